// Times `count` cache gets of an entry that is there (via "cache": after the first, answered by the
// worker's copy where it keeps one), gets of an entry just written again (via "written": the write
// drops any copy, so the get goes to the platform; only the get is timed), or as many bare round trips
// to the platform (via "bare": a call to a function that doesn't exist, which the platform refuses at
// once), and answers their p50 and p99 in microseconds.
async function main(params, ctx) {
  const value = { payload: 'x'.repeat(100) };
  await ctx.cache.set('bench', value);
  const ops = {
    bare: { before: null, op: () => ctx.invoke('no-such-function').catch(() => null) },
    cache: { before: null, op: () => ctx.cache.get('bench') },
    written: { before: () => ctx.cache.set('bench', value), op: () => ctx.cache.get('bench') },
  };
  const { before, op } = ops[params.via];
  for (let i = 0; i < params.warmup; i++) {
    if (before) await before();
    await op();
  }
  const micros = [];
  for (let i = 0; i < params.count; i++) {
    if (before) await before();
    const start = process.hrtime.bigint();
    await op();
    micros.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  micros.sort((a, b) => a - b);
  return { p50: micros[Math.floor(micros.length / 2)], p99: micros[Math.floor(micros.length * 0.99)] };
}
