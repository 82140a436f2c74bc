function main() {
  return { error: 'not found' };
}
