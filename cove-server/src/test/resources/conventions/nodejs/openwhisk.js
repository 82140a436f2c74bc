// OpenWhisk's client, which its node runtime provides to every function.
const openwhisk = require('openwhisk');

function main() {
  const client = openwhisk({ apihost: 'http://127.0.0.1:9', api_key: 'user:secret' });
  return {
    version: require('openwhisk/package.json').version,
    invoke: typeof client.actions.invoke,
    triggers: typeof client.triggers.invoke,
  };
}
