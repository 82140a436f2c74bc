// Exits the whole worker process in the middle of an activation.
const fs = require('fs');

function main(params) {
  if (!params.attack) return { pidns: fs.readlinkSync('/proc/self/ns/pid') };
  console.log('exiting mid-activation');
  process.exit(3);
}
