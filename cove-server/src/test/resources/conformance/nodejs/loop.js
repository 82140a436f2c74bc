function main() {
  for (;;) {
    // busy until the platform's time limit ends the worker
  }
}
