// Its own node_modules/openwhisk, an older client of its choosing, must be the one it gets.
exports.main = () => ({ version: require('openwhisk/package.json').version, own: require('openwhisk').own === true });
