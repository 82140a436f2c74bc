// Allocates memory and touches every byte of it, keeping all of it, until something stops it.
const fs = require('fs');

function main(params) {
  if (!params.attack) return { pidns: fs.readlinkSync('/proc/self/ns/pid') };
  const kept = [];
  for (;;) kept.push(Buffer.alloc(8 * 1024 * 1024, 1));
}
