// Reads what a function should never see: the host's password hashes, the platform's data folder,
// and the command line and environment of every process it can find.
const fs = require('fs');

function attempt(read) {
  try {
    return { value: read() };
  } catch (e) {
    return { error: e.code || String(e) };
  }
}

function main(params) {
  const pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).sort((a, b) => a - b);
  const procs = {};
  for (const pid of pids) {
    procs[pid] = {
      cmdline: attempt(() => fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1')),
      environ: attempt(() => fs.readFileSync(`/proc/${pid}/environ`, 'latin1')),
    };
  }
  return {
    shadow: attempt(() => fs.readFileSync('/etc/shadow', 'latin1')),
    dataDir: attempt(() => fs.readdirSync(params.dataDir)),
    database: attempt(() => fs.readFileSync(params.dataDir + '/cove.db', 'latin1').length),
    pids,
    procs,
  };
}
