// Writes its answer to Kubeless' response piece by piece, as a streaming handler does.
module.exports = {
  async handler(event, context) { // two parameters: a Kubeless handler
    const res = event.extensions.response;
    res.status(201);
    res.setHeader('content-type', 'text/plain');
    res.write('one, ');
    await new Promise((resolve) => setImmediate(resolve));
    res.write('two, ');
    res.end('three');
  },
};
