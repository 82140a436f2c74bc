exports.main = () => ({ from: 'other.js' });
