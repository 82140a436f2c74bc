// Ends with a rejected Promise of the kind params.how names, later or at once.
function main(params) {
  switch (params.how) {
    case 'object': return new Promise((resolve, reject) => setTimeout(() => reject({ done: true }), 5));
    case 'nothing': return new Promise((resolve, reject) => reject());
    case 'text': return Promise.reject('no luck');
    case 'thrown': return (async () => { throw new Error('app error'); })();
    case 'reference': return (async () => undefinedName.field)(); // eslint-disable-line no-undef
    default: return Promise.reject(Object.assign(new TypeError('bad input'), { code: 'E_INPUT', detail: { n: 1 } }));
  }
}
