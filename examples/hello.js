// An OpenWhisk-style function: main takes the parameters and returns a JSON object.
function main(params) {
  return { greeting: `Hello, ${params.name || 'world'}!` };
}
