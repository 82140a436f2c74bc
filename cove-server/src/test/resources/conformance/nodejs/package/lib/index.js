const pad = require('pad');

exports.main = (params) => ({ padded: pad(params.text) });
