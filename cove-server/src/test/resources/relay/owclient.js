// OpenWhisk's own client, set up from the environment alone, as functions written for OpenWhisk use it.
const openwhisk = require('openwhisk');

async function main() {
  const ow = openwhisk();
  const result = await ow.actions.invoke({ name: 'relay-target', blocking: true, result: true, params: { from: 'openwhisk' } });
  const names = (await ow.actions.list()).map((a) => a.name);
  return { result, names };
}
