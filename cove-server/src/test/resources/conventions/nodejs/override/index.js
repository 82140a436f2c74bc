exports.main = () => ({ from: 'index.js' });
exports.alt = () => ({ from: 'index.js, alt' });
