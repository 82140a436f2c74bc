// Says who ran it and where; params.fail makes it throw, answer an error, or never return.
function main(params, ctx) {
  console.log('callee ran ' + params.i);
  if (params.fail === 'throw') throw new Error('boom ' + params.i);
  if (params.fail === 'error') return { error: 'no ' + params.i };
  if (params.fail === 'loop') for (;;);
  return {
    pid: process.pid, i: params.i, id: ctx.activationId, idFromEnv: process.env.__OW_ACTIVATION_ID,
    name: process.env.__OW_ACTION_NAME, version: ctx.functionVersion, fixed: params.fixed,
  };
}
