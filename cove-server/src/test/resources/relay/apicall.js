const http = require('http');

// Sends args.method (GET) to args.path on __OW_API_HOST, with __OW_API_KEY if there is one and
// args.body as JSON if given; answers the status and the JSON it got back.
function main(args) {
  const headers = { 'content-type': 'application/json' };
  if (process.env.__OW_API_KEY) {
    headers.authorization = 'Basic ' + Buffer.from(process.env.__OW_API_KEY).toString('base64');
  }
  return new Promise((resolve) => {
    const request = http.request(new URL(args.path, process.env.__OW_API_HOST),
      { method: args.method || 'GET', headers, timeout: 30000 }, (response) => {
        const chunks = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode, body: text ? JSON.parse(text) : null });
        });
      });
    request.on('error', (e) => resolve({ error: e.message }));
    request.end(args.body === undefined ? undefined : JSON.stringify(args.body));
  });
}
