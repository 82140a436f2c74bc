function main() {
  return 'not an object';
}
