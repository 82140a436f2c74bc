function main() {
  return new Promise((resolve) => setTimeout(() => resolve({ async: true }), 5));
}
