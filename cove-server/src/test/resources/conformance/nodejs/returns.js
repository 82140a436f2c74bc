// Returns params.value as it is (nothing at all without one), or a Promise of it with params.later.
function main(params) {
  return params.later ? new Promise((resolve) => setTimeout(() => resolve(params.value), 5)) : params.value;
}
