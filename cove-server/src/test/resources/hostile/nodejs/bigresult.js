// Returns a result far over the size limit; with `forge`, writes its own done frame straight to the
// worker's socket, so that the worker's own size check never sees it; with `throws`, fails with an
// error message that large instead.
const net = require('net');

function forge(bytes) {
  const socket = process._getActiveHandles()
    .find((h) => h instanceof net.Socket && h !== process.stdout && h !== process.stderr);
  const id = JSON.stringify(process.env.__OW_ACTIVATION_ID);
  socket.write('{"type":"done","id":' + id + ',"result":{"data":"' + 'x'.repeat(bytes) + '"}}\n');
}

function main(params) {
  if (params.throws) throw new Error('x'.repeat(params.throws));
  if (params.forge) {
    forge(params.forge);
    return { forged: true };
  }
  return { data: 'x'.repeat(params.bytes) };
}
