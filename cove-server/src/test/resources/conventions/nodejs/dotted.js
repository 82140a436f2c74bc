// A top-level object whose property is the entry point: deployed with main "api.greet".
const api = {
  greet: (params) => ({ greeting: 'hello ' + (params.name || 'you') + ' from api.greet' }),
};
