function main() {
  throw new Error('wrong entry');
}

function greet(params) {
  return { greeting: 'hello ' + params.name };
}
