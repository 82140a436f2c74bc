'use strict';
// Cove's worker for the nodejs runtime: runs one function, speaking docs/worker-protocol.md over a
// Unix socket. Started as `node worker.js --socket PATH --token TOKEN` with an empty environment.
//
// One file of over 800 lines on purpose, measured on stem cells (bench/README.md, "The workers' own
// code"): split into a launcher and a module required at start, a stem cell's init and first run
// took 0.88x the time and a worker's start 1.01x the CPU, within this machine's noise; timed around
// the loading itself, each further module costs every start about 0.35 ms of CPU to find, read and
// compile, which buys the start nothing, and a part required at init would add it to every cold
// start.
//
// Design: one event loop. Frames are read as Buffers and cut at '\n' (a frame split across chunks is
// joined once, with Buffer.concat, so a large frame costs linear time). Every frame goes out in one
// socket.write; the done frames of the runs that one chunk started and that finished at once share
// one. Runs are plain calls (a returned Promise is awaited), so any number may be in flight; each
// runs inside AsyncLocalStorage with its Activation, which is how output written through
// process.stdout / process.stderr (and so console.*) is tied to the activation that printed it, and
// how process.env shows each run its own __OW_ACTIVATION_ID. A fused call (ctx.invoke of a peer) is
// one more run, started by the caller at once, of a function whose code was loaded as init loads.
// A cache get answered with keepMs is kept as a copy, which answers later gets without a frame until
// it expires, the worker writes the key or an uncache frame names it.

const net = require('net');
const crypto = require('crypto');
const { AsyncLocalStorage } = require('async_hooks');

const NEWLINE = 10;
const DEFAULT_LIMIT = 1048576;
const STDOUT = ',"stream":"stdout","line":';
const STDERR = ',"stream":"stderr","line":';
const LOOKUP = Symbol.for('cove.lookup');
const PLACE = Symbol('cove.place'); // on a SyntaxError: its line and column in the source itself
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const KEPT_COPIES = 512;
const KEPT_CHARS = 1048576; // of the values' JSON or base64 text
const COMMONJS_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** Output and state of one init or run (or fused call); the store of the AsyncLocalStorage while it runs. */
class Activation {
  constructor(id, func, isInit, deadline, depth) {
    this.id = id;
    this.func = func; // the function it runs: the init's, or a peer's
    this.isInit = isInit;
    this.deadline = deadline; // epoch ms
    this.depth = depth; // its place in its chain of calls
    this.fused = 0; // how many fused calls it made: the n of the next one is one more
    this.invoked = null; // for a fused call, {resolve, reject} of the caller's ctx.invoke
    this.hits = null; // gets answered from kept copies, per scope ({function: n, app: m}), once there is one
    this.idJson = JSON.stringify(id);
    this.maxLogBytes = func === null ? Infinity : func.maxLogBytes;
    this.logBytes = 0;
    this.truncated = false;
    this.done = false;
    this.partial = ['', ''];
  }
}

const activations = new AsyncLocalStorage();
const nobody = new Activation(null, null, false, undefined, 1);
let func = null; // the init's function, see functionOf; also holds maxResultBytes, the worker's own limit
let maxCallDepth = 50;
const peers = new Map(); // name -> function record (see functionOf) of a peer; call is null until its first fused call
const unfusable = new Set(); // name@version of peers whose code failed to load
let socket = null;
let doneBatch = null; // done frames waiting for the end of the chunk being read
const calls = new Map(); // call id -> {resolve, reject, name}, for ctx.invoke and ctx.send
const copies = new Map(); // scope/key -> {json, bytes, size, until} kept from gets, least recently used first
let copiedChars = 0;
let hitsSinceTurn = 0; // hits answered since one last waited for the event loop, see answerFromCopy
const getting = new Map(); // scope/key -> Set of the gets of it in flight; a change drops the Set, so none is kept
let lastCall = 0;

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.socket || args.token === undefined) {
    process.stderr.write('usage: node worker.js --socket PATH --token TOKEN\n');
    process.exit(2);
  }
  captureOutput();
  delete process.env.PWD; // the sandbox's doing (bubblewrap always sets it), not the platform's
  useRuntimePackages();
  socket = net.createConnection(args.socket);
  socket.on('connect', () => {
    send(JSON.stringify({
      type: 'hello', token: args.token, runtime: 'nodejs', version: process.version, pid: process.pid,
    }) + '\n');
    setImmediate(warmUp);
  });
  const read = frameReader(onFrame);
  socket.on('data', (chunk) => {
    // done frames of runs that answer at once leave together, in one write after the chunk; log
    // frames are not held back, so a function that never returns still has its output seen
    doneBatch = [];
    try {
      read(chunk);
    } finally {
      sendBatch();
    }
  });
  socket.on('end', () => process.exit(0));
  socket.on('close', () => process.exit(0));
  socket.on('error', () => process.exit(0));
  process.on('uncaughtException', onUncaught);
  process.on('exit', flushAll);
}

/**
 * The packages every function can require, as OpenWhisk's runtime has them (its openwhisk client):
 * the platform places them beside this file. They join node's global paths, as NODE_PATH's would,
 * which are searched after every node_modules a function's own folders hold.
 */
function useRuntimePackages() {
  const dir = require('path').join(__dirname, 'node_modules');
  if (!require('fs').existsSync(dir)) return;
  process.env.NODE_PATH = dir;
  require('module')._initPaths(); // node reads NODE_PATH only here: it has no public API for a global path
  delete process.env.NODE_PATH;
}

/**
 * The function's own dependencies, installed by the platform at deploy (docs/functions.md,
 * "Dependencies"): searched, as NODE_PATH's folders are, after every node_modules its code's folders
 * hold (a zip's own come first) and before the packages every function can require.
 */
function usePackages(dir) {
  const path = require('path');
  const runtime = path.join(__dirname, 'node_modules');
  process.env.NODE_PATH = require('fs').existsSync(runtime) ? dir + path.delimiter + runtime : dir;
  require('module')._initPaths();
  delete process.env.NODE_PATH;
}

/**
 * Loads what init needs while this stem cell waits for a function, not during its cold start, and
 * runs the loading path once on a throwaway source so that it is compiled already.
 */
function warmUp() {
  ['vm', 'fs', 'path', 'module', 'url'].forEach((name) => require(name));
  lookupSuffix(['main', 'handler']);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i + 1 < argv.length; i += 2) {
    if (argv[i] === '--socket') args.socket = argv[i + 1];
    else if (argv[i] === '--token') args.token = argv[i + 1];
  }
  return args;
}

// ---- frames in and out ----

/** Cuts the byte stream into lines; a line spread over chunks is concatenated once. */
function frameReader(onLine) {
  let pending = [];
  return (chunk) => {
    let start = 0;
    let nl;
    while ((nl = chunk.indexOf(NEWLINE, start)) !== -1) {
      let line;
      if (pending.length === 0) {
        line = chunk.toString('utf8', start, nl);
      } else {
        pending.push(chunk.subarray(start, nl));
        line = Buffer.concat(pending).toString('utf8');
        pending = [];
      }
      start = nl + 1;
      if (line.length > 0) onLine(line);
    }
    if (start < chunk.length) pending.push(start === 0 ? chunk : chunk.subarray(start));
  };
}

function send(text) {
  socket.write(text);
}

function sendBatch() {
  const batch = doneBatch;
  doneBatch = null;
  if (batch === null || batch.length === 0) return;
  send(batch.length === 1 ? batch[0] : batch.join(''));
}

function onFrame(line) {
  let frame;
  try {
    frame = JSON.parse(line);
  } catch (e) {
    return; // not a frame; the platform never sends one
  }
  switch (frame.type) {
    case 'run': return run(frame);
    case 'init': return init(frame);
    case 'check': return check(frame);
    case 'called': return called(frame);
    case 'cached': return cached(frame);
    case 'published': return published(frame);
    case 'peer': return addPeer(frame);
    case 'uncache': return uncache(frame);
    case 'unpeer': // the platform need not tell of changes to the peer's entries from now on
      uncache({ scope: 'function', function: frame.name });
      return peers.delete(frame.name);
    default: return undefined; // frames of later protocol versions
  }
}

// ---- init ----

function init(frame) {
  if (func !== null) {
    send(readyFrame(frame.id, 'The worker was already initialised'));
    return;
  }
  func = functionOf(frame, String(frame.namespace));
  func.maxResultBytes = limit(frame.maxResultBytes);
  if (typeof frame.maxCallDepth === 'number') maxCallDepth = frame.maxCallDepth;
  const act = new Activation(frame.id, func, true, undefined, 1);
  activations.run(act, () => {
    let loaded;
    try {
      if (frame.packages) usePackages(String(frame.packages));
      applyEnv(frame.env);
      enterCodeFolder(func.entry);
      loaded = load(func.entry, entryNames(func.main));
    } catch (e) {
      return initFailed(act, e);
    }
    if (loaded instanceof Promise) {
      loaded.then((exp) => specialise(act, exp), (e) => initFailed(act, e));
    } else {
      specialise(act, loaded);
    }
    return undefined;
  });
}

/** What running a function needs, from its init or peer frame: `call` is set once its code has loaded;
 *  `params` are a peer's default parameters, as JSON. */
function functionOf(frame, namespace) {
  const timeoutMs = frame.timeoutMs || 60000;
  return {
    call: null, kubeless: false, entry: String(frame.entry), main: frame.main,
    namespace, name: String(frame.name), version: String(frame.version), actionName: '/' + namespace + '/' + frame.name,
    kind: frame.kind || 'nodejs:' + process.versions.node.split('.')[0],
    timeoutMs, timeout: String(timeoutMs / 1000), memory: String(frame.memoryMb || 256),
    maxLogBytes: limit(frame.maxLogBytes), params: JSON.stringify(frame.params || {}),
  };
}

function limit(value) {
  return typeof value === 'number' && value >= 0 ? value : DEFAULT_LIMIT;
}

function applyEnv(env) {
  const real = process.env;
  for (const key of Object.keys(env || {})) {
    const value = env[key];
    real[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  real.__OW_ACTION_NAME = func.actionName;
  real.__OW_ACTION_VERSION = func.version;
  real.__OW_NAMESPACE = func.namespace;
  process.env = runEnvironment(real);
}

const PER_RUN = new Map([
  ['__OW_ACTIVATION_ID', (act) => act.id], ['__OW_DEADLINE', (act) => String(act.deadline)],
  ['__OW_ACTION_NAME', (act) => act.func.actionName], ['__OW_ACTION_VERSION', (act) => act.func.version],
]);

/**
 * process.env, plus __OW_ACTIVATION_ID and __OW_DEADLINE of the run that reads it (found through
 * the AsyncLocalStorage, so concurrent runs each see their own), and the __OW_ACTION_NAME and
 * __OW_ACTION_VERSION of its function (a fused call's differ from the init's). They are not written
 * into the real environment: glibc's setenv never frees a value, so a new id per run would leak ~100
 * bytes each. Child processes started through child_process see them, since it reads process.env.
 */
function runEnvironment(real) {
  const perRun = (key) => {
    const get = PER_RUN.get(key);
    if (get === undefined) return undefined;
    const act = activations.getStore();
    return act === undefined || act.isInit || act === nobody ? undefined : get(act);
  };
  return new Proxy(real, {
    get(target, key) {
      const value = perRun(key);
      return value !== undefined ? value : Reflect.get(target, key);
    },
    has(target, key) {
      return perRun(key) !== undefined || Reflect.has(target, key);
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      for (const key of PER_RUN.keys()) {
        if (perRun(key) !== undefined && !keys.includes(key)) keys.push(key);
      }
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      const value = perRun(key);
      if (value === undefined) return Reflect.getOwnPropertyDescriptor(target, key);
      return { value, writable: true, enumerable: true, configurable: true };
    },
  });
}

/** Runs the function in its code's folder, as OpenWhisk does: a relative path names a file of its own. */
function enterCodeFolder(entry) {
  process.chdir(require('fs').statSync(entry).isDirectory() ? entry : require('path').dirname(entry));
}

/** The names the entry point may have: the one asked for, and `handler` in place of `main`. */
function entryNames(main) {
  const wanted = typeof main === 'string' && main ? main : 'main';
  return wanted === 'main' ? ['main', 'handler'] : [wanted];
}

/**
 * Appended to a source file so that its top-level functions (`function main() {}` without exports,
 * as OpenWhisk accepts them) can be found after it has run; for a dotted name (`lib.main`) the
 * top-level value of its first part. Only identifiers (not reserved words) are looked up, so the
 * suffix itself always compiles.
 */
function lookupSuffix(names) {
  const vm = require('vm');
  const lookups = names.map((name) => name.split('.')[0]).filter((name) => {
    if (!IDENTIFIER.test(name)) return false;
    try {
      new vm.Script('typeof ' + name); // eslint-disable-line no-new
      return true;
    } catch (e) {
      return false;
    }
  }).map((name) => JSON.stringify(name) + ': typeof ' + name + " !== 'undefined' ? " + name + ' : undefined');
  return '\n;module[Symbol.for("cove.lookup")] = {' + lookups.join(', ') + '};\n';
}

/** Loads the code: its exports plus its top-level values of the given names (source files only). */
function load(entry, names) {
  const fs = require('fs');
  if (fs.statSync(entry).isDirectory()) return loadPackage(entry, names[0]);
  const path = require('path');
  const Module = require('module');
  const m = new Module(entry, null);
  m.filename = entry;
  m.paths = Module._nodeModulePaths(path.dirname(entry)); // as require sets them; there is no public API
  require.cache[entry] = m;
  let source = fs.readFileSync(entry, 'utf8');
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  try {
    // the CommonJS loader's own compile: no public API runs a module from a source given (the suffix)
    m._compile(source + lookupSuffix(names), entry);
  } catch (e) {
    // an error the source leaves open (a missing brace) is found in the suffix, lines past its end:
    // the source alone says where it really is
    if (!(e instanceof SyntaxError)) throw e;
    const own = compileError(source, entry);
    if (own === null) throw e;
    own[PLACE] = syntaxErrorPlace(own, source);
    throw own;
  }
  m.loaded = true;
  return { exports: m.exports, lookup: m[LOOKUP] || null };
}

/**
 * Where a SyntaxError of compiling `source` is, {line, column} from 1, in the source's own lines: an
 * error at the very end (a brace never closed) is put at the end of the last line, not on the line
 * after its final newline, which V8 names. The column is the caret's in node's decorated stack (a tab
 * there for each tab in the line), 1 when there is none.
 */
function syntaxErrorPlace(e, source) {
  const m = /^[^\n]*:(\d+)\n[^\n]*\n(?:([ \t]*)\^)?/.exec(typeof e.stack === 'string' ? e.stack : '');
  let line = m ? Number(m[1]) : 1;
  let column = m && m[2] !== undefined ? m[2].length + 1 : 1;
  const lines = source.split(/\r\n|[\n\r\u2028\u2029]/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (line > lines.length) {
    line = lines.length;
    column = lines[line - 1].length + 1;
  }
  return { line, column };
}

/** The SyntaxError of a source compiled as CommonJS, without running it; null when it compiles. */
function compileError(source, filename) {
  try {
    require('vm').compileFunction(source, COMMONJS_PARAMETERS, { filename });
    return null;
  } catch (e) {
    if (e instanceof SyntaxError) return e;
    throw e;
  }
}

// ---- check ----

/**
 * Compiles a source without running it and answers where it does not compile (docs/worker-protocol.md,
 * "check"). CommonJS compiles in this process, as load() would; an ES module in a `node --check` of its
 * own, since compiling one here needs a flag the worker does not start with. Either way no code of the
 * source runs.
 */
function check(frame) {
  let source = typeof frame.source === 'string' ? frame.source : '';
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  const file = typeof frame.file === 'string' && frame.file ? frame.file : 'function.js';
  let error;
  try {
    error = frame.module === true ? moduleError(source) : commonJsError(source, file);
  } catch (e) {
    error = { message: 'The source could not be checked: ' + String(e && e.message).split('\n')[0] };
  }
  const answer = error === null ? { type: 'checked', id: frame.id } : { type: 'checked', id: frame.id, error };
  send(JSON.stringify(answer) + '\n');
}

function commonJsError(source, file) {
  const e = compileError(source, file);
  if (e === null) return null;
  const place = syntaxErrorPlace(e, source);
  return { message: errorName(e) + ': ' + String(e.message).split('\n')[0], line: place.line, column: place.column };
}

function moduleError(source) {
  const checked = require('child_process').spawnSync(process.execPath, ['--check', '--input-type=module', '-'],
    { input: source, encoding: 'utf8', timeout: 10000, env: {}, maxBuffer: 1048576 });
  if (checked.error) throw checked.error;
  if (checked.status === 0) return null;
  const stderr = String(checked.stderr);
  const named = /^(\w*Error): ([^\n]*)$/m.exec(stderr);
  if (named === null) throw new Error('node --check exited with ' + (checked.status === null ? checked.signal : checked.status));
  const place = syntaxErrorPlace({ stack: stderr }, source);
  return { message: named[1] + ': ' + named[2], line: place.line, column: place.column };
}

/**
 * A zip's code, as OpenWhisk's node runtime requires it: for a main of the form `file.name[.more]`
 * the folder's module `file` (file.js, file/index.js, …), whose exports hold `name[.more]`; for a
 * plain name the folder itself (package.json's main, else index.js).
 */
function loadPackage(dir, main) {
  const dot = main.indexOf('.');
  const target = dot > 0 ? require('path').join(dir, main.slice(0, dot)) : dir;
  try {
    return { exports: require(target), lookup: null, byFile: dot > 0 };
  } catch (e) {
    if (e.code !== 'ERR_REQUIRE_ESM' && e.code !== 'ERR_REQUIRE_ASYNC_MODULE') throw e;
    return importModule(target).then((exports) => ({ exports, lookup: null, byFile: dot > 0 }));
  }
}

function importModule(target) {
  const { pathToFileURL } = require('url');
  return import(pathToFileURL(require.resolve(target)).href);
}

function specialise(act, loaded) {
  if (bind(func, loaded)) return finishInit(act, null);
  return finishInit(act, 'The code has no function named '
    + entryNames(func.main).map((n) => '"' + n + '"').join(' or '));
}

/** Sets the function's call (and how it is called) from its loaded code; false when it has no entry point. */
function bind(f, loaded) {
  for (const name of entryNames(f.main)) {
    const found = find(loaded, name);
    if (found !== null) {
      f.call = found;
      f.kubeless = name !== 'main' && found.length === 2;
      return true;
    }
  }
  return false;
}

/**
 * An exported function of that name, else a top-level one; a dotted name is a path of properties
 * (`niam.xyz`), whose first part names the file in a zip that was required by it (see loadPackage).
 */
function find(loaded, name) {
  const path = name.split('.');
  if (loaded.byFile) path.shift();
  const head = path.shift();
  const exp = loaded.exports;
  if (exp !== null && (typeof exp === 'object' || typeof exp === 'function')) {
    const value = property(exp[head], path);
    if (typeof value === 'function') return value;
  }
  const value = loaded.lookup !== null && Object.prototype.hasOwnProperty.call(loaded.lookup, head)
    ? property(loaded.lookup[head], path) : undefined;
  return typeof value === 'function' ? value : null;
}

function property(value, path) {
  let found = value;
  for (const key of path) {
    if (found === null || (typeof found !== 'object' && typeof found !== 'function')) return undefined;
    found = found[key];
  }
  return found;
}

function initFailed(act, e) {
  logLoadError(act, e);
  finishInit(act, initErrorText(e, func.entry));
}

/** What failed the load, with its stack, to the activation's stderr, as a throw at run time writes it;
 *  without this worker's frames, nor the module loader's that ran the function's code. */
function logLoadError(act, e) {
  let text;
  try {
    text = withoutWorkerFrames(require('util').inspect(e)).split('\n')
      .filter((line) => !/^\s+at .*node:internal\//.test(line)).join('\n');
  } catch (ignored) {
    text = failureText(e);
  }
  if (text.length > THROWN_LOG_CHARS) text = text.slice(0, THROWN_LOG_CHARS) + '…';
  emitText(act, 1, text + '\n');
}

function finishInit(act, error) {
  flushPartial(act);
  act.done = true;
  send(readyFrame(act.id, error));
}

function readyFrame(id, error) {
  const frame = error === null ? { type: 'ready', id } : { type: 'ready', id, error };
  return JSON.stringify(frame) + '\n';
}

/** `SyntaxError: Unexpected token '}' (hello.js:3)`: the first line of the message, and where in
 *  the function's own code it happened, relative to the code's folder. */
function initErrorText(e, entry) {
  if (!(e instanceof Error)) return failureText(e);
  const text = errorName(e) + ': ' + String(e.message).split('\n')[0];
  const path = require('path');
  let root = entry;
  try {
    if (!require('fs').statSync(entry).isDirectory()) root = path.dirname(entry);
  } catch (ignored) {
    root = path.dirname(entry);
  }
  const where = errorLocation(e, root + path.sep);
  if (!where) return text;
  return text + ' (' + path.relative(root, where.file) + ':' + where.line + ')';
}

/** The first place in the stack that lies in the function's own code. */
function errorLocation(e, root) {
  const stack = typeof e.stack === 'string' ? e.stack : '';
  if (e instanceof SyntaxError) {
    const m = /^(\/[^\n]*):(\d+)\n/.exec(stack);
    if (m && m[1].startsWith(root)) return { file: m[1], line: e[PLACE] ? e[PLACE].line : m[2] };
  }
  const frames = /^\s+at (?:.* \()?(\/.*?):(\d+):\d+\)?$/gm;
  let m;
  while ((m = frames.exec(stack)) !== null) {
    if (m[1].startsWith(root)) return { file: m[1], line: m[2] };
  }
  return null;
}

function errorName(e) {
  return typeof e.name === 'string' && e.name ? e.name : 'Error';
}

// ---- run ----

function run(frame) {
  const act = new Activation(frame.id, func, false, frame.deadline, typeof frame.depth === 'number' ? frame.depth : 1);
  if (func === null || func.call === null) finishRun(act, null, 'The worker was not initialised');
  else activations.run(act, runFunction, act, frame.params);
}

/** Calls the activation's function; runs inside the AsyncLocalStorage with the activation. */
function runFunction(act, given) {
  const f = act.func;
  const params = given === undefined || given === null ? {} : given;
  // what fired it (a trigger, a topic's message): Kubeless' event says so, an OpenWhisk-style function
  // is given the payload alone
  const fired = params.__cove_event;
  if (fired !== undefined) delete params.__cove_event;
  let value;
  try {
    // called as a plain function, as OpenWhisk's runtime calls it, not as a method of the record
    if (f.kubeless) {
      const event = kubelessEvent(act.id, params, fired);
      value = kubelessOutcome(event.extensions.response,
        Reflect.apply(f.call, undefined, [event, kubelessContext(act)]));
    } else {
      value = Reflect.apply(f.call, undefined, [params, context(act)]);
    }
  } catch (e) {
    thrown(act, e);
    return;
  }
  if (value !== null && typeof value === 'object' && typeof value.then === 'function') {
    // a rejection is the function's answer, as OpenWhisk has it: an application error carrying the value
    Promise.resolve(value).then((v) => succeed(act, v), (e) => succeed(act, { error: rejection(e) }));
  } else {
    succeed(act, value);
  }
}

function context(act) {
  const f = act.func;
  return withCalls(act, {
    activationId: act.id, namespace: f.namespace, functionName: f.name, functionVersion: f.version,
    deadline: act.deadline,
  });
}

/** The activation's calls (invoke, send) and cache, added to its context (either shape). */
function withCalls(act, ctx) {
  ctx.invoke = (name, params) => call(act, name, params, true);
  ctx.send = (name, params) => call(act, name, params, false);
  ctx.cache = cacheOf(act);
  ctx.publish = (topic, message) => publish(act, topic, message);
  return ctx;
}

/**
 * ctx.publish: a message (a JSON object) on a topic of the function's namespace, which fires the
 * triggers that subscribe to it; resolves to the message's event id once its fires are stored.
 */
function publish(act, topic, message) {
  return new Promise((resolve, reject) => {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      return reject(new Error('A message on a topic must be a JSON object'));
    }
    const id = 'p' + (++lastCall);
    let text;
    try {
      text = JSON.stringify({ type: 'publish', id, activation: act.id, topic: String(topic), message });
    } catch (e) {
      return reject(new Error('The message is not valid JSON: ' + (e && e.message)));
    }
    if (tooLarge(text)) {
      return reject(new Error('The message is ' + Buffer.byteLength(text) + ' bytes, over the limit of '
        + func.maxResultBytes + ' bytes'));
    }
    calls.set(id, { resolve, reject });
    send(text + '\n');
    return undefined;
  });
}

function published(frame) {
  const pending = calls.get(frame.id);
  if (pending === undefined) return;
  calls.delete(frame.id);
  if (frame.error !== undefined) pending.reject(new Error(String(frame.error)));
  else pending.resolve(frame.eventId);
}

// ---- the function's cache ----

/**
 * ctx.cache (the function's own entries) and ctx.cache.app (its application's): each operation is a
 * `cache` frame answered by a `cached` one, but a get of an entry kept from an earlier answer (see
 * keep) is answered here. Values are JSON values or Buffers; get answers undefined for a missing
 * entry; ttl is in seconds. A fused call's own entries are its function's, not the worker's.
 */
function cacheOf(act) {
  const scoped = (name, prefix) => {
    const scope = { name, prefix }; // prefix: of the keys in copies and getting; names never hold a '/'
    return {
      get: (key) => cacheOp(act, scope, 'get', key),
      set: (key, value, options) => cacheOp(act, scope, 'set', key, value, options),
      delete: (key) => cacheOp(act, scope, 'delete', key),
      increment: (key, by, options) => cacheOp(act, scope, 'increment', key, by === undefined ? 1 : by, options),
      getOrCompute: async (key, compute, options) => {
        const found = await cacheOp(act, scope, 'get', key);
        if (found !== undefined) return found;
        const value = await compute();
        if (await cacheOp(act, scope, 'setIfAbsent', key, value, options)) return value;
        const first = await cacheOp(act, scope, 'get', key); // another caller stored one first
        return first === undefined ? value : first;
      },
    };
  };
  const cache = scoped('function', 'function/' + act.func.name + '/');
  cache.app = scoped('app', 'app/');
  return cache;
}

function cacheOp(act, scope, op, key, value, options) {
  return new Promise((resolve, reject) => {
    const copy = scope.prefix + String(key);
    if (op === 'get' && !act.done) { // once done, its hits could no longer be counted
      const kept = copyOf(copy);
      if (kept !== undefined) {
        if (act.hits === null) act.hits = {};
        act.hits[scope.name] = (act.hits[scope.name] || 0) + 1;
        return answerFromCopy(resolve, kept);
      }
    }
    const id = 'k' + (++lastCall);
    const frame = { type: 'cache', id, activation: act.id, scope: scope.name, op, key: String(key) };
    if (op === 'set' || op === 'setIfAbsent') {
      if (Buffer.isBuffer(value)) frame.bytes = value.toString('base64');
      else if (value === undefined) return reject(new Error('ctx.cache.set needs a value'));
      else frame.value = value;
    }
    if (op === 'increment') frame.by = value;
    if (options && options.ttl !== undefined) frame.ttlMs = Math.round(Number(options.ttl) * 1000);
    let text;
    try {
      text = JSON.stringify(frame);
    } catch (e) {
      return reject(new Error('The value is not valid JSON: ' + (e && e.message)));
    }
    if (tooLarge(text)) {
      return reject(cacheError('The value is ' + Buffer.byteLength(text) + " bytes, over the cache's limit"));
    }
    const pending = { resolve, reject, cache: op, copy };
    calls.set(id, pending);
    send(text + '\n');
    if (op !== 'get') changed(copy);
    else if (getting.has(copy)) getting.get(copy).add(pending);
    else getting.set(copy, new Set([pending]));
    return undefined;
  });
}

/** A frame the platform would refuse as a whole (and stop the worker for): twice the result limit. */
function tooLarge(text) {
  return text.length > func.maxResultBytes && Buffer.byteLength(text) > 2 * func.maxResultBytes;
}

function cached(frame) {
  const pending = calls.get(frame.id);
  if (pending === undefined) return;
  calls.delete(frame.id);
  if (pending.cache === 'get' && untouched(pending) && frame.found === true && frame.keepMs > 0) {
    keep(pending.copy, frame);
  }
  if (frame.error !== undefined) {
    pending.reject(cacheError(String(frame.error)));
  } else if (pending.cache === 'get') {
    pending.resolve(frame.bytes !== undefined ? Buffer.from(frame.bytes, 'base64') : frame.value);
  } else if (pending.cache === 'delete') {
    pending.resolve(frame.deleted === true);
  } else if (pending.cache === 'setIfAbsent') {
    pending.resolve(frame.written === true);
  } else {
    pending.resolve(frame.value);
  }
}

function cacheError(message) {
  const e = new Error(message);
  e.name = 'CacheError';
  return e;
}

/** Forgets an answered get; true when nothing changed its entry while it was in flight. */
function untouched(get) {
  const gets = getting.get(get.copy);
  if (gets === undefined || !gets.delete(get)) return false;
  if (gets.size === 0) getting.delete(get.copy);
  return true;
}

/**
 * Keeps a get's answer for keepMs from now, which the platform sends only when it will tell this
 * worker of every change to the entry (an uncache frame). The JSON is kept as text, so that each
 * hit decodes a copy of its own; the least recently used copies go first past the bounds.
 */
function keep(copy, frame) {
  const json = frame.bytes === undefined ? JSON.stringify(frame.value) : null;
  const size = json !== null ? json.length : frame.bytes.length;
  if (size > KEPT_CHARS) return;
  drop(copy);
  const bytes = json === null ? Buffer.from(frame.bytes, 'base64') : null;
  copies.set(copy, { json, bytes, size, until: performance.now() + frame.keepMs });
  copiedChars += size;
  for (const oldest of copies.keys()) {
    if (copies.size <= KEPT_COPIES && copiedChars <= KEPT_CHARS) break;
    drop(oldest);
  }
}

/**
 * A hit resolves at once, without the event loop turning; so that a function polling a kept entry
 * (`while (!(await ctx.cache.get('flag')))`) still hears of its change, every 64th hit waits for
 * the loop to turn, reading the socket, first.
 */
function answerFromCopy(resolve, kept) {
  if (++hitsSinceTurn < 64) return resolve(kept);
  hitsSinceTurn = 0;
  return setImmediate(resolve, kept);
}

/** A fresh copy of the live kept entry, now the most recently used; undefined when there is none. */
function copyOf(copy) {
  const kept = copies.get(copy);
  if (kept === undefined) return undefined;
  copies.delete(copy);
  if (kept.until <= performance.now()) {
    copiedChars -= kept.size;
    return undefined;
  }
  copies.set(copy, kept);
  return kept.bytes !== null ? Buffer.from(kept.bytes) : JSON.parse(kept.json);
}

function drop(copy) {
  const kept = copies.get(copy);
  if (kept === undefined) return;
  copies.delete(copy);
  copiedChars -= kept.size;
}

/** The entry changes (this worker writes it, or the platform says so): gets of it in flight are not kept. */
function changed(copy) {
  drop(copy);
  getting.delete(copy);
}

/** Drops the copies an uncache frame names: one entry, or without a key all of a scope's. */
function uncache(frame) {
  if (frame.scope !== 'app' && frame.scope !== 'function') return undefined; // a scope of a later protocol version
  const prefix = frame.scope === 'app' ? 'app/' : 'function/' + frame.function + '/';
  if (frame.key !== undefined) return changed(prefix + frame.key);
  for (const copy of copies.keys()) if (copy.startsWith(prefix)) drop(copy);
  for (const copy of getting.keys()) if (copy.startsWith(prefix)) getting.delete(copy);
  return undefined;
}

// ---- calls to other functions ----

/**
 * ctx.invoke resolves to the called function's result and rejects with an Error carrying
 * activationId, status and result when it did not succeed (or the call was refused); ctx.send
 * resolves to the activation id once the call is admitted. ctx.invoke of a peer is a fused call.
 */
function call(act, name, params, wait) {
  return new Promise((resolve, reject) => {
    const peer = wait ? peerFor(act, name) : null;
    if (peer !== null) return fuse(act, peer, params, resolve, reject);
    const id = 'c' + (++lastCall);
    let text;
    try {
      text = JSON.stringify({
        type: 'call', id, activation: act.id, name, params: params === undefined ? {} : params, wait,
      });
    } catch (e) {
      return reject(notJson(e));
    }
    if (tooLarge(text)) return reject(overLimit(text));
    calls.set(id, { resolve, reject, name, wait });
    send(text + '\n');
    return undefined;
  });
}

function notJson(e) {
  return new Error('The parameters of the call are not valid JSON: ' + (e && e.message));
}

function overLimit(text) {
  return new Error('The call is ' + Buffer.byteLength(text) + ' bytes, over the limit of ' + func.maxResultBytes
    + ' bytes');
}

function called(frame) {
  const pending = calls.get(frame.id);
  if (pending === undefined) return;
  calls.delete(frame.id);
  if (frame.activationId === undefined || (pending.wait && frame.success !== true)) {
    pending.reject(callError(pending.name, frame));
  } else {
    pending.resolve(pending.wait ? frame.result : frame.activationId);
  }
}

// ---- fused calls ----

function addPeer(frame) {
  if (func === null || typeof frame.name !== 'string' || unfusable.has(frame.name + '@' + frame.version)) return;
  peers.set(frame.name, functionOf(frame, func.namespace));
}

/**
 * The peer a call of the activation runs as a fused call, or null: not for an activation that has
 * ended (the platform stops a worker for a fused frame of one) nor past maxCallDepth (the call frame
 * is refused). Its code loads at its first call; code that fails to load is left to the function's
 * own instance, which the call frame reaches, and not taken again at that version.
 */
function peerFor(act, name) {
  const peer = peers.get(name);
  if (peer === undefined || act.done || act.depth >= maxCallDepth) return null;
  if (peer.call !== null) return peer;
  try {
    if (bind(peer, load(peer.entry, entryNames(peer.main)))) return peer;
  } catch (e) {
    // the function's own instance reports it
  }
  peers.delete(name);
  unfusable.add(peer.name + '@' + peer.version);
  return null;
}

/**
 * Runs the caller's call of a peer here, as a run frame would run it (docs/worker-protocol.md,
 * "fused"), under the id the platform computes too, announced before any of its code runs. Its
 * parameters are copies, so neither side sees the other's objects; its done settles the call.
 */
function fuse(caller, peer, params, resolve, reject) {
  let json;
  try {
    json = JSON.stringify(params === undefined || params === null ? {} : params);
  } catch (e) {
    return reject(notJson(e));
  }
  if (json === undefined || json.charCodeAt(0) !== 123) { // not '{': refused as the platform refuses such a call frame
    return reject(callError(peer.name, { error: 'The parameters of a call must be a JSON object.' }));
  }
  if (json.length > func.maxResultBytes / 3 && Buffer.byteLength(json) > func.maxResultBytes) { // as the platform's
    return reject(overLimit(json)); // limit on a call frame, which is that of a result
  }
  const n = ++caller.fused;
  const id = caller.id.slice(0, 12) + crypto.createHash('sha256').update(caller.id + '/' + n).digest('hex').slice(0, 20);
  const act = new Activation(id, peer, false, Date.now() + peer.timeoutMs, caller.depth + 1);
  act.invoked = { resolve, reject };
  send('{"type":"fused","id":' + act.idJson + ',"activation":' + caller.idJson + ',"n":' + n + ',"name":'
    + JSON.stringify(peer.name) + ',"version":' + JSON.stringify(peer.version) + '}\n');
  return activations.run(act, runFunction, act, JSON.parse(withDefaults(peer.params, json)));
}

/** Both objects' JSON as one, the call's keys over the defaults': JSON.parse keeps a repeated key's last value. */
function withDefaults(defaults, json) {
  if (defaults === '{}') return json;
  return json === '{}' ? defaults : defaults.slice(0, -1) + ',' + json.slice(1);
}

/** The end of a fused call, to its caller: as a called frame would tell it. */
function answerCaller(act, resultJson, failure) {
  const result = resultJson !== null ? JSON.parse(resultJson) : { error: String(failure) };
  if (resultJson !== null && !Object.prototype.hasOwnProperty.call(result, 'error')) return act.invoked.resolve(result);
  const status = resultJson !== null ? 'application error' : 'action developer error';
  return act.invoked.reject(callError(act.func.name, { activationId: act.id, status, result }));
}

function callError(name, frame) {
  const refused = frame.activationId === undefined;
  const cause = refused ? frame.error : frame.result && frame.result.error;
  const e = new Error(typeof cause === 'string' ? cause : JSON.stringify(cause));
  e.name = 'InvocationError';
  e.function = name;
  e.activationId = refused ? null : frame.activationId;
  e.status = refused ? 'refused' : frame.status;
  e.result = refused ? null : frame.result;
  return e;
}

function kubelessEvent(id, params, fired) {
  let data;
  if (Object.prototype.hasOwnProperty.call(params, '__ow_body')) {
    data = params.__ow_body;
  } else {
    data = {};
    for (const key of Object.keys(params)) if (!key.startsWith('__ow_')) data[key] = params[key];
  }
  // over HTTP, Kubeless takes these four from the request; a fire's event carries its own
  const headers = params.__ow_headers || {};
  const ev = fired === null || typeof fired !== 'object' ? {} : fired;
  const event = {
    data, 'event-id': headers['event-id'] || ev.id || id, 'event-type': headers['event-type'] || ev.type || 'application/json',
    'event-time': headers['event-time'] || ev.time || new Date().toISOString(),
    'event-namespace': headers['event-namespace'] || 'cove', extensions: { response: kubelessResponse() },
  };
  if (params.__ow_method !== undefined) {
    event.extensions.request = {
      method: params.__ow_method, path: params.__ow_path, headers: params.__ow_headers,
      query: params.__ow_query,
    };
  }
  return event;
}

/** Kubeless' `event.extensions.response`: what a handler writes to it is kept, and becomes its HTTP answer. */
function kubelessResponse() {
  const res = { statusCode: 200, headers: {}, chunks: [], finished: false, headersSent: false, touched: false };
  const touch = () => { res.touched = true; return res; };
  res.status = (code) => { res.statusCode = Number(code); return touch(); };
  res.setHeader = res.header = res.set = (name, value) => {
    res.headers[String(name).toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
    return touch();
  };
  res.getHeader = (name) => res.headers[String(name).toLowerCase()];
  res.write = (chunk) => {
    if (chunk !== undefined && chunk !== null) res.chunks.push(Buffer.from(typeof chunk === 'string' ? chunk : chunk));
    res.headersSent = true;
    touch();
    return true;
  };
  res.end = (chunk) => { res.write(chunk); res.finished = true; return res; };
  res.json = (value) => {
    if (res.headers['content-type'] === undefined) res.headers['content-type'] = 'application/json';
    return res.end(JSON.stringify(value));
  };
  res.send = (body) => (body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? res.json(body)
    : res.end(typeof body === 'number' ? String(body) : body));
  return res;
}

/** The handler's value, or, once it used its response, that response as {statusCode, headers, body}. */
function kubelessOutcome(res, value) {
  const answer = (v) => {
    if (!res.touched) return v;
    if (!res.finished) {
      if (typeof v === 'string' || v === undefined || v === null) res.end(v === null ? undefined : v);
      else res.send(v);
    }
    const type = res.headers['content-type'];
    const text = type === undefined || /^text\/|json|xml|javascript|urlencoded/i.test(type);
    const bytes = Buffer.concat(res.chunks);
    return { statusCode: res.statusCode, headers: res.headers, body: bytes.toString(text ? 'utf8' : 'base64') };
  };
  return value !== null && typeof value === 'object' && typeof value.then === 'function' ? value.then(answer) : answer(value);
}

function kubelessContext(act) {
  const f = act.func;
  return withCalls(act, { 'function-name': f.name, timeout: f.timeout, runtime: f.kind, 'memory-limit': f.memory });
}

function succeed(act, value) {
  if (act.done) return;
  if (value === undefined || (value === null && act.func.kubeless)) {
    finishRun(act, '{}', null);
    return;
  }
  if (value === null) {
    finishRun(act, null, notAnObject('null'));
    return;
  }
  if (typeof value !== 'object') {
    if (act.func.kubeless) finishRun(act, JSON.stringify({ body: String(value) }), null);
    else finishRun(act, null, notAnObject('a ' + typeof value));
    return;
  }
  let json;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    finishRun(act, null, "The function's result is not valid JSON: " + (e && e.message));
    return;
  }
  if (json === undefined) json = '{}';
  const first = json.charCodeAt(0);
  if (first !== 123 && first !== 91) { // neither '{' nor '[': an object whose toJSON gave a scalar
    finishRun(act, null, notAnObject(jsonKind(json)));
    return;
  }
  const max = func.maxResultBytes;
  if (json.length * 3 > max) { // a UTF-16 unit is at most 3 UTF-8 bytes: skip the count when it can't be over
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > max) { // OpenWhisk's rule: an application error that shows the result's start
      finishRun(act, JSON.stringify({ error: "The function's result is " + bytes + ' bytes, over the limit of '
        + max + ' bytes; it began: ' + resultStart(json) }), null);
      return;
    }
  }
  finishRun(act, json, null);
}

const RESULT_START_CHARS = 1000; // of a result over the limit, in its error (the platform's own count)

function resultStart(json) {
  let kept = Math.min(json.length, RESULT_START_CHARS);
  const last = json.charCodeAt(kept - 1);
  if (last >= 0xd800 && last <= 0xdbff) kept--;
  return json.slice(0, kept);
}

function notAnObject(kind) {
  return 'The function returned ' + kind + '; it must return a JSON object or array';
}

const THROWN_LOG_CHARS = 65536; // of what a throw writes to the logs: a huge message stays in the error

/** A throw (or an exception escaping a callback) fails the activation; what was thrown, its stack for an
 *  Error, goes to its stderr first, as console.error would print it. */
function thrown(act, e) {
  if (act.done) return;
  let text;
  try {
    text = withoutWorkerFrames(require('util').inspect(e));
  } catch (ignored) {
    text = failureText(e);
  }
  if (text.length > THROWN_LOG_CHARS) text = text.slice(0, THROWN_LOG_CHARS) + '…';
  emitText(act, 1, text + '\n');
  finishRun(act, null, failureText(e));
}

/** A printed stack without the frames from the first of this worker's on: the function's own are what it needs. */
function withoutWorkerFrames(text) {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => /^\s+at /.test(line) && line.includes(__filename));
  if (first === -1) return text;
  return lines.filter((line, i) => i < first || !/^\s+at /.test(line)).join('\n');
}

/**
 * The value a rejected Promise carries, as JSON can hold it: nothing (undefined, null, false, 0, '') is
 * {}; an Error is its own enumerable fields with its name, message, stack and code; another object is
 * its own enumerable fields, nested objects likewise (a cycle is "[Circular]", a function is left out);
 * a string, number or boolean is itself.
 */
function rejection(e) {
  if (!e) return {};
  if (typeof e === 'function') return '[Function: ' + (e.name || 'anonymous') + ']';
  if (typeof e !== 'object') return typeof e === 'bigint' ? String(e) : e;
  return plainCopy(e, new Set(), true);
}

function plainCopy(from, seen, top) {
  if (typeof from.toJSON === 'function') return from.toJSON();
  if (Buffer.isBuffer(from)) return '[object Buffer]';
  seen.add(from);
  const to = Array.isArray(from) ? [] : {};
  for (const [key, value] of Object.entries(from)) {
    if (typeof value === 'function') continue;
    if (value === null || typeof value !== 'object') to[key] = value;
    else to[key] = seen.has(value) ? '[Circular]' : plainCopy(value, seen, false);
  }
  for (const key of top ? ['name', 'message', 'stack', 'code'] : ['code']) {
    if (typeof from[key] === 'string') to[key] = from[key];
  }
  seen.delete(from);
  return to;
}

function jsonKind(json) {
  const c = json[0];
  if (c === '"') return 'a string';
  if (c === 't' || c === 'f') return 'a boolean';
  if (c === 'n') return 'null';
  return 'a number';
}

function failureText(e) {
  if (e instanceof Error || (e !== null && typeof e === 'object' && typeof e.message === 'string')) {
    const name = errorName(e);
    return e.message ? name + ': ' + e.message : name;
  }
  if (typeof e === 'string') return e;
  try {
    const json = JSON.stringify(e);
    if (json !== undefined) return json;
  } catch (ignored) {
    // fall through
  }
  return String(e);
}

/** Sends the activation's last partial lines, then its done frame: one write each; a fused call's
 *  caller then hears of it. */
function finishRun(act, resultJson, failure) {
  if (act.done) return;
  flushPartial(act);
  act.done = true;
  const hits = act.hits === null ? '' : ',"cacheHits":' + JSON.stringify(act.hits);
  const frame = resultJson !== null
    ? '{"type":"done","id":' + act.idJson + ',"result":' + resultJson + hits + '}\n'
    : '{"type":"done","id":' + act.idJson + ',"failure":' + JSON.stringify(String(failure)) + hits + '}\n';
  if (doneBatch !== null) doneBatch.push(frame);
  else send(frame);
  if (act.invoked !== null) answerCaller(act, resultJson, failure);
}

/** An exception nobody caught: it fails the activation it came from; one from nowhere ends the worker
 *  as it would have without this handler. */
function onUncaught(e) {
  const act = activations.getStore();
  if (act !== undefined && act !== nobody && !act.done) {
    if (act.isInit) initFailed(act, e);
    else thrown(act, e);
    return;
  }
  emitText(nobody, 1, 'Uncaught ' + (e && e.stack ? e.stack : failureText(e)) + '\n');
  process.exit(1);
}

// ---- output ----

function captureOutput() {
  process.stdout.write = writer(0);
  process.stderr.write = writer(1);
}

function writer(stream) {
  return function write(chunk, encoding, callback) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    emitText(currentActivation(), stream, toText(chunk, encoding));
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  };
}

function currentActivation() {
  const act = activations.getStore();
  return act === undefined || act.done ? nobody : act;
}

function toText(chunk, encoding) {
  if (typeof chunk === 'string') {
    if (!encoding || encoding === 'utf8' || encoding === 'utf-8') return chunk;
    return Buffer.from(chunk, encoding).toString('utf8');
  }
  if (chunk instanceof Uint8Array) {
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
  }
  return String(chunk);
}

/** Line-buffers one stream of one activation; only the new text is searched for newlines. */
function emitText(act, stream, text) {
  if (act.truncated) return;
  let nl = text.indexOf('\n');
  if (nl === -1) {
    act.partial[stream] += text;
    if (act.partial[stream].length > act.maxLogBytes - act.logBytes) { // can no longer fit: truncate now
      emitLine(act, stream, act.partial[stream]);
      act.partial[stream] = '';
    }
    return;
  }
  emitLine(act, stream, act.partial[stream] + text.slice(0, nl));
  let start = nl + 1;
  while ((nl = text.indexOf('\n', start)) !== -1) {
    emitLine(act, stream, text.slice(start, nl));
    start = nl + 1;
  }
  act.partial[stream] = start < text.length ? text.slice(start) : '';
}

function emitLine(act, stream, line) {
  if (act.truncated || socket === null) return;
  const bytes = Buffer.byteLength(line, 'utf8');
  if (act.logBytes + bytes > act.maxLogBytes) {
    act.truncated = true;
    send('{"type":"log","id":' + act.idJson + STDERR
      + JSON.stringify('Logs were truncated after ' + act.maxLogBytes + ' bytes.') + '}\n');
    return;
  }
  act.logBytes += bytes;
  send('{"type":"log","id":' + act.idJson + (stream === 0 ? STDOUT : STDERR) + JSON.stringify(line) + '}\n');
}

function flushPartial(act) {
  for (let stream = 0; stream < 2; stream++) {
    if (act.partial[stream] !== '') {
      const line = act.partial[stream];
      act.partial[stream] = '';
      emitLine(act, stream, line);
    }
  }
}

/** On the way out (process.exit in the function): what is still line-buffered is sent. */
function flushAll() {
  const act = activations.getStore();
  if (act !== undefined && !act.done) flushPartial(act);
  flushPartial(nobody);
  sendBatch();
}

main();
