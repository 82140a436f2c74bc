function main() {
  console.log('about to crash');
  process.exit(3);
}
