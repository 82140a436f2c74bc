// Writes a file in /tmp until the disk says no, and reports what it was told.
const fs = require('fs');

function main(params) {
  const block = Buffer.alloc(1024 * 1024, 120);
  const fd = fs.openSync('/tmp/' + params.file, 'w');
  let written = 0;
  try {
    for (;;) written += fs.writeSync(fd, block);
  } catch (e) {
    return { code: e.code, message: e.message, written };
  } finally {
    fs.closeSync(fd);
  }
}
