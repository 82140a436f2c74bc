function main() {
  throw new Error('boom');
}
