function main(params) {
  return { text: params.text + ' ✓ 日本語 🚀', length: [...params.text].length };
}
