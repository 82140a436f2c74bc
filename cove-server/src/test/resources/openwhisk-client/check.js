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
  const triggers = await checkTriggers();
  console.log(JSON.stringify({ result, updated: updated.response.result, names: actions.map((a) => a.name),
    version: got.version, activation: activation.response.result, logs, listed: listed.length, missing, triggers }));
})().catch((e) => { console.error('FAILED', e.statusCode, e.message); process.exit(1); });

// Triggers, rules and the alarms feed, as the client's own calls make and read them.
async function checkTriggers () {
  await ow.actions.create({ name: 'owecho', action: 'function main(p) { return p; }', kind: 'nodejs:default' });
  const created = await ow.triggers.create({ name: 'owtrigger', trigger: { parameters: [{ key: 'from', value: 'trigger' }] },
    annotations: { feed: '/whisk.system/alarms/alarm' } });
  const rule = await ow.rules.create({ name: 'owrule', action: 'owecho', trigger: 'owtrigger' });
  const got = await ow.triggers.get({ name: 'owtrigger' });
  const listed = await ow.triggers.list({ limit: 10 });
  const fired = await ow.triggers.invoke({ name: 'owtrigger', params: { n: 1 } });
  const activation = await eventually(() => ow.activations.get({ name: fired.activationId }));
  const ruleActivation = await eventually(() => ow.activations.get({ name: JSON.parse(activation.logs[0]).activationId }));
  const gotRule = await ow.rules.get({ name: 'owrule' });
  const rules = await ow.rules.list();
  const disabled = await ow.rules.disable({ name: 'owrule' });
  const quiet = await ow.triggers.invoke({ name: 'owtrigger' });
  const enabled = await ow.rules.enable({ name: 'owrule' });
  const feed = await ow.feeds.create({ name: '/whisk.system/alarms/alarm', trigger: 'owtrigger',
    params: { cron: '0 9 * * *', trigger_payload: { tick: true } } });
  const scheduled = await ow.triggers.get({ name: 'owtrigger' });
  const feedDeleted = await ow.feeds.delete({ name: '/whisk.system/alarms/alarm', trigger: 'owtrigger' });
  const unscheduled = await ow.triggers.get({ name: 'owtrigger' });
  const deletedRule = await ow.rules.delete({ name: 'owrule' });
  const deleted = await ow.triggers.delete({ name: 'owtrigger' });
  let missing;
  try { await ow.triggers.get({ name: 'owtrigger' }); } catch (e) { missing = e.statusCode; }
  return { created: created.name, ruleStatus: rule.status, ruleTrigger: rule.trigger, rulesOfTrigger: got.rules,
    listed: listed.map((t) => t.name), activationName: activation.name, fireResult: ruleActivation.response.result,
    gotRule: gotRule.action, rules: rules.map((r) => r.name), disabled: disabled.status,
    quiet: quiet && quiet.activationId ? 'fired' : 'nothing ran', enabled: enabled.status,
    feed: feed.response.result, schedule: scheduled.schedule, feedDeleted: feedDeleted.response.success,
    unscheduled: unscheduled.schedule === undefined, deletedRule: deletedRule.name, deleted: deleted.name, missing };
}

// Activation records are written off the invocation path: asks again for up to 10 s.
async function eventually (read) {
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      return await read();
    } catch (e) {
      if (e.statusCode !== 404 || Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
