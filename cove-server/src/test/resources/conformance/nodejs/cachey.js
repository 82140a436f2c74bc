// Exercises ctx.cache: params.key names the entries; answers what each operation gave.
async function main(params, ctx) {
  const key = params.key;
  const out = {};
  out.missing = await ctx.cache.get(key + '-nothing');
  await ctx.cache.set(key, { n: 1, text: 'héllo' }, { ttl: 60 });
  out.json = await ctx.cache.get(key);
  await ctx.cache.set(key + '-bytes', Buffer.from([0, 1, 2, 255]));
  out.bytes = [...(await ctx.cache.get(key + '-bytes'))];
  out.counted = [await ctx.cache.increment(key + '-n'), await ctx.cache.increment(key + '-n', 5)];
  out.deleted = [await ctx.cache.delete(key), await ctx.cache.delete(key)];
  out.computed = await ctx.cache.getOrCompute(key + '-c', async () => 'made', { ttl: 60 });
  out.again = await ctx.cache.getOrCompute(key + '-c', async () => 'made twice');
  await ctx.cache.app.set(key + '-shared', 'for the application');
  out.appOwn = await ctx.cache.get(key + '-shared');
  try {
    await ctx.cache.set(key + '-big', 'x'.repeat(params.big || 0));
    out.big = 'stored';
  } catch (e) {
    out.big = e.name + ': ' + e.message;
  }
  return out;
}
