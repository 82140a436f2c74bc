// Looks for secrets everywhere a function can: its environment, every /proc/PID/environ and cmdline
// it can read, every regular file it can read outside /usr, /proc, /sys and /dev, and its own memory;
// and tries to connect to the given port on the given hosts. Answers where a secret was found and what
// each connection met. A secret is given as its first 6 characters, its length and its SHA-256, never
// whole: given whole, it would be in this function's own memory, the very place searched.
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');

const SKIP = new Set(['/usr', '/proc', '/sys', '/dev']);

function holds(data, secret) {
  const prefix = Buffer.from(secret.prefix);
  for (let at = data.indexOf(prefix); at !== -1; at = data.indexOf(prefix, at + 1)) {
    const candidate = data.subarray(at, at + secret.length);
    if (crypto.createHash('sha256').update(candidate).digest('hex') === secret.sha256) return true;
  }
  return false;
}

function read(file) {
  try {
    return fs.readFileSync(file).subarray(0, 4 * 1024 * 1024);
  } catch (e) {
    return Buffer.alloc(0);
  }
}

function* files(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIP.has(full)) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

function* ownMemory() {
  const fd = fs.openSync('/proc/self/mem', 'r');
  try {
    for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const [bounds, perms] = line.split(' ');
      if (!bounds || !perms.includes('r') || line.includes('[vvar]') || line.includes('[vsyscall]')) continue;
      const [start, end] = bounds.split('-').map((x) => BigInt('0x' + x));
      const size = Number(end - start);
      if (size > 256 * 1024 * 1024) continue; // address space reserved, not memory in use
      const chunk = Buffer.alloc(size);
      try {
        fs.readSync(fd, chunk, 0, size, start);
        yield chunk;
      } catch (e) {
        // a mapping that can't be read (a guard page): nothing in it
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

function connect(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.on('connect', () => { socket.destroy(); resolve('connected'); });
    socket.on('timeout', () => { socket.destroy(); resolve('ETIMEDOUT'); });
    socket.on('error', (e) => resolve(e.code));
  });
}

async function main(params) {
  const found = [];
  const check = (where, data) => params.secrets.forEach((s) => { if (holds(data, s)) found.push(where + ' holds ' + s.name); });
  check('the environment', Buffer.from(Object.entries(process.env).map(([k, v]) => k + '=' + v).join('\n')));
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    for (const part of ['environ', 'cmdline']) check('/proc/' + pid + '/' + part, read('/proc/' + pid + '/' + part));
  }
  let scanned = 0;
  for (const file of files('/')) {
    check(file, read(file));
    scanned++;
  }
  let memory = 0;
  for (const chunk of ownMemory()) {
    check('its own memory', chunk);
    memory += chunk.length;
  }
  // the port apart from the hosts: "host:port" would put the very address searched for in memory
  const connections = {};
  for (const host of params.hosts) connections[host] = await connect(host, params.port);
  return { found, files: scanned, memoryBytes: memory, connections };
}
