// Prints params.lines numbered lines tagged with params.tag, then returns the tag.
function main(params) {
  for (let i = 0; i < params.lines; i++) console.log(params.tag + ' ' + i);
  return { tag: params.tag };
}
