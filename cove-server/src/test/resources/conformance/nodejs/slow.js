function main(params) {
  return new Promise((resolve) => setTimeout(() => resolve({ slept: params.ms }), params.ms));
}
