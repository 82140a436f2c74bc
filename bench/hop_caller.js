// Calls `target` `count` times in a row, each hop either over the local bus (ctx.invoke) or through
// the HTTP gateway (a keep-alive POST to the REST API, as a function on a platform without a local
// bus would call another), and answers the hops' p50 and p99 in microseconds.
const http = require('http');

async function main(params, ctx) {
  const hop = params.via === 'gateway' ? gatewayHop(params) : (body) => ctx.invoke(params.target, body);
  for (let i = 0; i < params.warmup; i++) await hop({ n: i });
  const micros = [];
  for (let i = 0; i < params.count; i++) {
    const start = process.hrtime.bigint();
    const result = await hop({ n: i });
    micros.push(Number(process.hrtime.bigint() - start) / 1000);
    if (result.n !== i) throw new Error('hop ' + i + ' answered ' + JSON.stringify(result));
  }
  micros.sort((a, b) => a - b);
  return { p50: micros[Math.floor(micros.length / 2)], p99: micros[Math.floor(micros.length * 0.99)] };
}

function gatewayHop(params) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const path = '/api/v1/namespaces/_/actions/' + params.target + '?blocking=true&result=true';
  const auth = 'Basic ' + Buffer.from(params.auth).toString('base64');
  return (body) => new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({
      host: '127.0.0.1', port: params.port, path, method: 'POST', agent,
      headers: { authorization: auth, 'content-type': 'application/json', 'content-length': data.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
    });
    req.on('error', reject);
    req.end(data);
  });
}
