// Tries to open TCP connections to the host's loopback ports it is given.
const net = require('net');

function connect(host, port) {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host, port });
    const done = (outcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(2000, () => done('ETIMEDOUT'));
    socket.on('connect', () => done('connected'));
    socket.on('error', (e) => done(e.code));
  });
}

async function main(params) {
  const outcomes = {};
  for (const port of params.ports) outcomes[port] = await connect('127.0.0.1', port);
  return { outcomes };
}
