function main(params) {
  return params;
}
