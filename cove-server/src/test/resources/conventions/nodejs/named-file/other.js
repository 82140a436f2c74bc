// No index.js and no package.json: the entry point names this file (other.greet).
exports.greet = (params) => ({ greeting: 'hello ' + (params.name || 'you') + ' from other.js' });
