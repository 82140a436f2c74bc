// Drives Cove through Apache OpenWhisk's own JavaScript client (npm package openwhisk), unchanged;
// prints what it saw as one JSON line for OpenWhiskClientIT to check.
const openwhisk = require('openwhisk');
const ow = openwhisk({ apihost: process.env.APIHOST, api_key: process.env.AUTH });
(async () => {
  await ow.actions.create({ name: 'owhello', action: 'function main(p) { return {hi: p.name}; }', kind: 'nodejs:default' });
  const result = await ow.actions.invoke({ name: 'owhello', blocking: true, result: true, params: { name: 'Ada' } });
  await ow.actions.update({ name: 'owhello', action: 'function main(p) { return {hello: p.name}; }' });
  const updated = await ow.actions.invoke({ name: 'owhello', blocking: true, params: { name: 'Bo' } });
  const actions = await ow.actions.list();
  const got = await ow.actions.get({ name: 'owhello' });
  const { activationId } = await ow.actions.invoke({ name: 'owhello', params: { name: 'Cy' } });
  await new Promise((r) => setTimeout(r, 200));
  const activation = await ow.activations.get({ name: activationId });
  const logs = await ow.activations.logs({ name: activationId });
  const listed = await ow.activations.list({ name: 'owhello', limit: 5 });
  await ow.actions.delete({ name: 'owhello' });
  let missing;
  try { await ow.actions.get({ name: 'owhello' }); } catch (e) { missing = e.statusCode; }
  console.log(JSON.stringify({ result, updated: updated.response.result, names: actions.map((a) => a.name),
    version: got.version, activation: activation.response.result, logs, listed: listed.length, missing }));
})().catch((e) => { console.error('FAILED', e.statusCode, e.message); process.exit(1); });
