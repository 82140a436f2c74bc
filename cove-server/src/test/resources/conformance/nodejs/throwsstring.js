// Throws a value that is no Error.
function main() {
  throw 'Extraordinary exception';
}
