function main(params) {
  return { data: 'x'.repeat(params.size) };
}
