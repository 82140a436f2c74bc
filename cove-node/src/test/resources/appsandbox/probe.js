// One function of the application-sandbox tests: does what its parameters ask, inside its sandbox.
const fs = require('fs');
const net = require('net');
const { execFileSync } = require('child_process');

let server = null;

async function main(params) {
  switch (params.op) {
    case 'whoami':
      return { pid: process.pid, pidns: fs.readlinkSync('/proc/self/ns/pid') };
    case 'write':
      fs.writeFileSync(params.path, params.text);
      return { written: params.path };
    case 'read':
      try {
        return { text: fs.readFileSync(params.path, 'utf8') };
      } catch (e) {
        return { code: e.code };
      }
    case 'listen':
      server = net.createServer((s) => s.end(params.greeting + '\n'));
      await new Promise((resolve) => server.listen(params.port, '127.0.0.1', resolve));
      return { listening: params.port };
    case 'connect':
      return await new Promise((resolve) => {
        const s = net.connect(params.port, '127.0.0.1');
        let got = '';
        s.on('data', (d) => { got += d; });
        s.on('end', () => resolve({ got: got.trim() }));
        s.on('error', (e) => resolve({ code: e.code }));
      });
    case 'print': // through a child process, so the lines bypass the worker's log frames
      for (let i = 0; i < params.times; i++) {
        execFileSync('/bin/sh', ['-c', `echo ${params.text}-${i}; sleep 0.02`], { stdio: ['ignore', 'inherit', 'inherit'] });
      }
      return { printed: params.times };
    case 'exit':
      process.exit(params.status);
  }
  return { unknown: params.op };
}
