const fs = require('fs');

function main() {
  return { cwdIsItsFolder: process.cwd() === __dirname, sees: fs.readdirSync('.').filter((f) => f.endsWith('.js')) };
}
