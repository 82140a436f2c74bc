// Tries to write files outside /tmp, and over its own code.
const fs = require('fs');

function attempt(path) {
  try {
    fs.writeFileSync(path, 'hostile');
    return 'written';
  } catch (e) {
    return e.code;
  }
}

function main(params) {
  const outcomes = {};
  for (const path of params.paths) outcomes[path] = attempt(path);
  outcomes.ownCode = attempt(__filename);
  return { outcomes };
}
