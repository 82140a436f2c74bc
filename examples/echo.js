// Returns its parameters: the smallest possible function, for benchmarks.
function main(params) {
  return params;
}
