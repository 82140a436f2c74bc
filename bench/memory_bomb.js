// A noisy neighbour for noisy_neighbours.py: allocates memory and writes to it until the memory limit
// of its sandbox kills it. Buffers live outside V8's heap, so the cgroup, not V8, is what stops it.
function main() {
  const hoard = [];
  for (;;) {
    hoard.push(Buffer.alloc(8 * 1024 * 1024, 1));
  }
}
