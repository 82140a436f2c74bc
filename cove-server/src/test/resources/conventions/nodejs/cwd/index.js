const fs = require('fs');

// Reads a file of its own zip by a relative path, then tries to write beside it and in /tmp.
exports.main = () => {
  const result = { read: fs.readFileSync('./test.txt', 'utf8'), cwdIsItsFolder: process.cwd() === __dirname };
  try {
    fs.writeFileSync('./written.txt', 'x');
    result.wroteBeside = true;
  } catch (e) {
    result.wroteBeside = e.code;
  }
  fs.writeFileSync('/tmp/scratch.txt', 'scratch');
  result.tmp = fs.readFileSync('/tmp/scratch.txt', 'utf8');
  return result;
};
