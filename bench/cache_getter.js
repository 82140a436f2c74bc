// Times `count` cache gets of an entry that is there (via "cache"), or as many bare round trips to
// the platform (via "bare": a call to a function that doesn't exist, which the platform refuses at
// once), and answers their p50 and p99 in microseconds.
async function main(params, ctx) {
  await ctx.cache.set('bench', { payload: 'x'.repeat(100) });
  const op = params.via === 'bare'
    ? () => ctx.invoke('no-such-function').catch(() => null)
    : () => ctx.cache.get('bench');
  for (let i = 0; i < params.warmup; i++) await op();
  const micros = [];
  for (let i = 0; i < params.count; i++) {
    const start = process.hrtime.bigint();
    await op();
    micros.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  micros.sort((a, b) => a - b);
  return { p50: micros[Math.floor(micros.length / 2)], p99: micros[Math.floor(micros.length * 0.99)] };
}
