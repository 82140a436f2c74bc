// A web function: called through /fn/web?name=Ada, its result becomes the HTTP response.
function main(params) {
  const name = String(params.name || 'world').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/html' },
    body: `<h1>Hello, ${name}!</h1>`,
  };
}
