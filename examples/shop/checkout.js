// Prices each line of a basket by calling `price` (python) and adds them up.
async function main(params, ctx) {
  const items = params.items || [{ sku: 'tea', qty: 1 }];
  const lines = await Promise.all(items.map((item) => ctx.invoke('price', item)));
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  return { lines, total: Math.round(total * 100) / 100, currency: lines[0].currency };
}
