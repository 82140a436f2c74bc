// Calls params.target with params.params: ctx.invoke, or ctx.send when params.mode is "send". A
// failed call is reported, not rethrown, so that the test sees what the error carried.
async function main(params, ctx) {
  try {
    if (params.mode === 'send') return { activationId: await ctx.send(params.target, params.params) };
    return { result: await ctx.invoke(params.target, params.params), me: ctx.activationId };
  } catch (e) {
    return {
      failed: e.message, name: e.name, status: e.status, activationId: e.activationId, calledResult: e.result,
    };
  }
}
