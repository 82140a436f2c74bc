// Floods its standard output straight through the file descriptor, past the worker's own log cap.
const fs = require('fs');

function writeAll(fd, buffer) {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(fd, buffer, offset);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e; // the pipe is full: the platform must read on
    }
  }
}

function main(params) {
  const chunk = Buffer.from(('x'.repeat(1023) + '\n').repeat(64));
  let written = 0;
  while (written < params.bytes) {
    writeAll(1, chunk);
    written += chunk.length;
  }
  return { written };
}
