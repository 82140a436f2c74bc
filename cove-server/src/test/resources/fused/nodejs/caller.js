// Calls params.target params.times times with {i} over params.params, sleeping params.pauseMs
// between calls, and answers each call's result (or what its error carried) with its own pid.
async function main(params, ctx) {
  const calls = [];
  for (let i = 0; i < (params.times || 1); i++) {
    if (i > 0 && params.pauseMs) await new Promise((resolve) => setTimeout(resolve, params.pauseMs));
    try {
      calls.push(await ctx.invoke(params.target, Object.assign({ i }, params.params)));
    } catch (e) {
      calls.push({ failed: e.message, status: e.status, activationId: e.activationId, calledResult: e.result });
    }
  }
  return { pid: process.pid, me: ctx.activationId, calls };
}
