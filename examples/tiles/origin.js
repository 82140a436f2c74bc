// The slow origin: an HTTP server on the application's sandbox loopback (127.0.0.1:8089), which
// only the application's own functions can reach. Invoking this function starts it (once) and
// answers where it listens; each tile it serves takes delayMs to "render".
const http = require('http');

const PORT = 8089;
let server = null;

function main(params) {
  const delayMs = Number(params.delayMs || 100);
  if (server === null) {
    server = http.createServer((req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(render(req.url));
      }, delayMs);
    });
    return new Promise((resolve) => server.listen(PORT, '127.0.0.1', () => resolve({ port: PORT, delayMs })));
  }
  return { port: PORT, delayMs };
}

/** A stand-in for a rendered tile: a PNG signature, then bytes that depend on the tile's path. */
function render(path) {
  const body = Buffer.alloc(4096);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(body);
  for (let i = 8; i < body.length; i++) body[i] = (path.charCodeAt(i % path.length) * i) & 0xff;
  return body;
}
