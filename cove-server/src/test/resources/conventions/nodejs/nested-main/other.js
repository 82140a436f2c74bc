// The entry point other.api.greet names a function two properties deep in this file's exports.
exports.api = {
  greet: (params) => ({ greeting: 'hello ' + (params.name || 'you') + ' from other.api.greet' }),
};
