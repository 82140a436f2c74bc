function main() {
  console.log('out line 1');
  console.log('out line 2');
  console.error('err line');
  return { ok: true };
}
