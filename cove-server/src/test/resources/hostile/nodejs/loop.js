// An endless loop: only the activation's time limit ends it.
const fs = require('fs');

function main(params) {
  if (!params.attack) return { pidns: fs.readlinkSync('/proc/self/ns/pid') };
  for (;;) {
    // spin
  }
}
