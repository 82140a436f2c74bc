function main() {
  require('.no-package-can-have-this-name'); // npm names never start with a dot
  return { loaded: true };
}
