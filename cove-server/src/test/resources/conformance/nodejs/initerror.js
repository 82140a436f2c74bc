// Compiles, so it deploys; fails as it loads.
const settings = JSON.parse('{"greeting": ');

function main(params) {
  return { ok: true, settings };
}
