// Frees what it allocated between calls, as OpenWhisk's memory tests do.
function main(params) {
  global.gc();
  let blocks = [];
  for (let i = 0; i < (params.blocks || 64); i++) blocks.push(new Uint8Array(65536).fill(i));
  const filled = blocks.length;
  blocks = [];
  global.gc();
  return { gc: typeof global.gc, filled };
}
