function main(params) {
  const value = process.env[params.name];
  return { value: value === undefined ? null : value, keys: Object.keys(process.env).sort() };
}
