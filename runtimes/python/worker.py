"""Cove's worker for the python runtime: runs one function, speaking docs/worker-protocol.md over a
Unix socket. Started as `python3 -I worker.py --socket PATH --token TOKEN` with an empty environment.

One script of over 800 lines on purpose, measured on stem cells (bench/README.md, "The workers' own
code"): split into a launcher and a module imported at start, a stem cell's init and first run took
1.02x the time and a worker's start 1.00x the CPU, the sandbox's read-only runtimes folder caching
no bytecode for the module; a part imported at init would add its compile to every cold start (the
init's 200 lines: 3.5x). A split pays only with its bytecode made where the platform unpacks it
(0.73x the CPU of a start, 0.46x to hello), which the platform does not do.

Design: the main thread reads frames (one JSON object per line) from the socket. With concurrency 1
a run is called right there, in the reader loop; with concurrency N > 1 it is handed to N threads.
Every frame goes out whole, in one sendall with the others that piled up while a send was under way.
sys.stdout and sys.stderr are replaced by writers that turn each line into a log frame carrying the
activation of the current thread; os.environ shows that activation's __OW_ACTIVATION_ID,
__OW_DEADLINE, __OW_ACTION_NAME and __OW_ACTION_VERSION the same way. A ctx.invoke of a peer (a
function the platform lets this worker host) is a fused call: the callee runs right there, on the
caller's thread, as a run would. A cache get the platform answers with keepMs is kept as a copy that
later gets answer without a frame, until it expires, the worker writes the key or an uncache frame
names it. Only the standard library is used, and only what start-up needs is imported at start-up.
"""

import os
import sys
import time
# the C parts of json, socket and threading: the modules over them import re, enum and selectors,
# 2.8x the CPU of what this worker imports before its init (bench/README.md, "The workers' own code")
import _thread

try:
    import _json
    import _socket
except ImportError:  # not CPython
    _json = None
    import socket as _socket

DEFAULT_LIMIT = 1048576
CO_VARARGS = 0x04
READ_SIZE = 65536


def _make_codec():
    """(decode(str) -> object, encode(object) -> str, encode_ascii(object) -> str, quote(str) -> str):
    compact JSON that refuses NaN, as json.loads and json.dumps(separators=(',', ':'),
    ensure_ascii=False, allow_nan=False) would give."""
    if _json is None:
        import json
        plain = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        ascii_only = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, allow_nan=False)
        return json.loads, plain.encode, ascii_only.encode, json.encoder.encode_basestring_ascii

    class Options:
        strict = True
        object_hook = None
        object_pairs_hook = None
        parse_float = float
        parse_int = int
        parse_constant = {"-Infinity": -float("inf"), "Infinity": float("inf"),
                          "NaN": float("nan")}.__getitem__

    scan = _json.make_scanner(Options())

    def decode(text):
        try:
            value, end = scan(text, 0)
        except StopIteration:
            raise ValueError("not JSON") from None
        if end != len(text):
            raise ValueError("extra data after JSON")
        return value

    def unknown(value):
        raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)

    def encoder(quote):
        def encode(value):
            make = _json.make_encoder({}, unknown, quote, None, ":", ",", False, False, False)
            return "".join(make(value, 0))
        return encode

    return decode, encoder(_json.encode_basestring), encoder(_json.encode_basestring_ascii), \
        _json.encode_basestring_ascii


json_decode, json_encode, json_encode_ascii, json_quote = _make_codec()


class Activation:
    """Output and state of one init, run or fused call; the current one of a thread is _local.activation."""

    __slots__ = ("id", "id_json", "deadline", "func", "depth", "fused", "max_log_bytes", "log_bytes",
                 "truncated", "done", "partial", "partial_length", "cache_hits")

    def __init__(self, activation_id, max_log_bytes, deadline=None, func=None, depth=1):
        self.id = activation_id
        self.deadline = deadline  # text, for __OW_DEADLINE; None for an init
        self.func = func  # the function it runs: _func, or a peer's record
        self.depth = depth  # its place in its chain of calls
        self.fused = 0  # how many fused calls it has made
        self.id_json = (json_quote(activation_id) if type(activation_id) is str
                        else json_encode_ascii(activation_id)).encode()
        self.max_log_bytes = max_log_bytes
        self.log_bytes = 0
        self.truncated = False
        self.done = False
        self.partial = ([], [])  # per stream, the pieces of a line not yet ended
        self.partial_length = [0, 0]
        self.cache_hits = [0, 0]  # gets answered from copies: of the function's scope, of the app's


class PlatformCalls:
    """What a function asks of the platform through its context, for the activation it runs."""

    __slots__ = ()

    def invoke(self, name, params=None):
        """Calls another function and returns its result; raises InvocationError when it fails."""
        return invoke(self._activation, name, params)

    def send(self, name, params=None):
        """Starts another function without waiting for it; returns its activation id."""
        return call_function(self.activation_id, name, params, False)

    @property
    def cache(self):
        """The function's own cache entries; .app has its application's."""
        return FunctionCache(self._activation, "function")

    def publish(self, topic, message):
        """Publishes a message (a dict) on a topic of the function's namespace, firing the triggers that
        subscribe to it; returns its event id once the fires are stored. Raises PublishError if refused."""
        return publish(self._activation.id, topic, message)


class Context(PlatformCalls):
    """The second argument of an OpenWhisk-style main(args, ctx)."""

    __slots__ = ("activation_id", "namespace", "function_name", "function_version", "deadline", "_activation")

    def __init__(self, act, namespace, function_name, function_version, deadline):
        self._activation = act
        self.activation_id = act.id
        self.namespace = namespace
        self.function_name = function_name
        self.function_version = function_version
        self.deadline = deadline

    def __repr__(self):
        return "Context(activation_id=%r, function_name=%r)" % (self.activation_id, self.function_name)


class KubelessContext(dict, PlatformCalls):
    """Kubeless's context dict, which can also call other functions and use the cache."""

    def __init__(self, act, fields):
        dict.__init__(self, fields)
        self._activation = act
        self.activation_id = act.id


class FunctionCache:
    """ctx.cache: each operation is a `cache` frame answered by a `cached` one, or a get answered from a
    copy the platform let the worker keep. Values are JSON values or bytes; get returns None for a
    missing entry (and for a stored null); ttl is in seconds."""

    __slots__ = ("activation_id", "scope", "_activation")

    def __init__(self, act, scope):
        self._activation = act
        self.activation_id = act.id
        self.scope = scope

    @property
    def app(self):
        return FunctionCache(self._activation, "app")

    def get(self, key, default=None):
        found, value = self._get(key)
        return value if found else default

    def set(self, key, value, ttl=None):
        self._op("set", key, value=value, ttl=ttl)

    def delete(self, key):
        return self._op("delete", key).get("deleted") is True

    def increment(self, key, by=1, ttl=None):
        return self._op("increment", key, by=by, ttl=ttl)["value"]

    def get_or_compute(self, key, compute, ttl=None):
        found, value = self._get(key)
        if found:
            return value
        value = compute()
        if self._op("setIfAbsent", key, value=value, ttl=ttl).get("written"):
            return value
        found, first = self._get(key)  # another caller stored one first
        return first if found else value

    @staticmethod
    def _value(answer):
        if "bytes" in answer:
            import base64
            return base64.b64decode(answer["bytes"])
        return answer.get("value")

    def _where(self, key):
        """What a copy of the entry is kept under: (the function's name, or None for the app's scope, key)."""
        return self._activation.func["name"] if self.scope == "function" else None, str(key)

    def _get(self, key):
        """(found, value): from a live copy without a frame, else from the platform, whose answer is kept
        when it says for how long and no change to the entry was heard while it was under way."""
        where = self._where(key)
        if where in _copies:
            if _thread.get_ident() == _reader:
                read_waiting(_sock)  # an uncache that has arrived is heard before the copy answers
            found = from_copy(self._activation, self.scope == "app", where)
            if found is not None:
                return found
        since = time.monotonic()  # before the frame: a copy outlives the answer's arrival by keepMs at most
        mark = [where, False]  # what is got, and whether a change to it was heard meanwhile
        copy = None
        with _copies_lock:
            _getting[id(mark)] = mark
        try:
            answer = self._op("get", key)
            if not answer.get("found"):
                return False, None
            value = self._value(answer)
            keep_ms = answer.get("keepMs")
            if type(keep_ms) in (int, float) and keep_ms > 0:
                copy = value if type(value) is bytes else json_encode(value)  # text: each hit decodes its own
                size = len(answer["bytes"]) if type(value) is bytes else len(copy)
            return True, value
        finally:
            with _copies_lock:
                del _getting[id(mark)]
                if copy is not None and not mark[1]:
                    keep(where, copy, since + keep_ms / 1000, size)

    def _op(self, op, key, value=None, by=None, ttl=None):
        frame = {"type": "cache", "activation": self.activation_id, "scope": self.scope, "op": op, "key": str(key)}
        if op in ("set", "setIfAbsent"):
            if isinstance(value, (bytes, bytearray)):
                import base64
                frame["bytes"] = base64.b64encode(bytes(value)).decode()
            else:
                frame["value"] = value
        if by is not None:
            frame["by"] = by
        if ttl is not None:
            frame["ttlMs"] = int(round(float(ttl) * 1000))
        # a write drops its key's copy once its frame is queued: a get sent later is answered after the
        # write, and one sent earlier is not kept
        answer = request(frame, None if op == "get" else lambda: changed(*self._where(key)))
        if "error" in answer:
            raise CacheError(str(answer["error"]))
        return answer


class CacheError(Exception):
    """A cache operation the platform refused (a value over the size limit, a key too long, …)."""


class InvocationError(Exception):
    """A call to another function that did not succeed, or was refused (then activation_id is None)."""

    def __init__(self, message, function, activation_id=None, status="refused", result=None):
        Exception.__init__(self, message)
        self.function = function
        self.activation_id = activation_id
        self.status = status
        self.result = result


class PublishError(Exception):
    """A message the platform did not publish; the message says why."""


_local = _thread._local()
_nobody = Activation(None, float("inf"))
_send_lock = _thread.allocate_lock()  # guards _outbox, _sending and _send_waiters
_send_waiters = []  # a held lock per thread waiting for the sender to take the outbox or to stop
_outbox = []  # frames waiting for the thread that is sending
_outbox_bytes = 0
_sending = False
OUTBOX_BYTES = 1048576
_sock = None
_func = {}  # the worker's function: its limits, and fn, kubeless, positional once it has loaded
_peers = {}  # name -> the record of a function this worker may run itself, its _func (fn None until it loads)
_unfusable = set()  # name@version of peers whose code failed to load
_peer_lock = _thread.allocate_lock()  # one thread loads a peer's code while the others wait for it
_fused_lock = _thread.allocate_lock()  # a caller's fused frames go out in the order of their numbers
_initialised = False
_pool = None  # the threads that run activations when concurrency > 1
_loops = _thread._local()  # each thread's asyncio event loop, for async def entry points
_calls = {}  # call id -> [the called frame once it arrives, a lock released then (None on the reader)]
_call_ids = iter(range(1, 1 << 62))
_reader = 0  # the thread that reads frames: a call it makes reads on until its answer arrives
_unread = []  # the start of a frame not yet ended by a newline
COPIES = 512
COPIES_BYTES = 1048576
_copies = None  # (function name or None, key) -> (JSON text or bytes, expiry, size), least recently used first
_copies_bytes = 0
_copies_lock = _thread.allocate_lock()  # guards _copies, _copies_bytes, _getting and the hit counts
_getting = {}  # id -> [(function name or None, key), whether a change was heard] of each get under way


def main():
    global _sock, _copies
    args = parse_args(sys.argv[1:])
    if "socket" not in args or "token" not in args:
        sys.stderr.write("usage: python3 -I worker.py --socket PATH --token TOKEN\n")
        sys.exit(2)
    clean_environment()
    _sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    _sock.connect(args["socket"])
    version = "%d.%d.%d" % sys.version_info[:3]
    send(json_encode({"type": "hello", "token": args["token"], "runtime": "python",
                      "version": version, "pid": os.getpid()}).encode() + b"\n")
    sys.stdout = LogWriter(0, sys.__stdout__)
    sys.stderr = LogWriter(1, sys.__stderr__)
    # what init needs, imported while this stem cell waits for a function rather than during its
    # cold start: it took init from ~9 ms to ~3 ms
    import importlib.machinery  # noqa: F401
    import importlib.util  # noqa: F401
    import collections  # for the copies of cache entries, likewise kept out of the cold start
    _copies = collections.OrderedDict()
    # a process's first compile of a source costs more than the next ones: the stem cell pays it here
    compile(b"def main(args):\n    return args\n", "warm-up.py", "exec", dont_inherit=True)
    try:
        read_frames(_sock)
    except OSError:  # the platform went away
        exit_now(0)


def parse_args(argv):
    args = {}
    for flag, value in zip(argv[0::2], argv[1::2]):
        if flag in ("--socket", "--token"):
            args[flag[2:]] = value
    return args


def clean_environment():
    """Python puts LC_CTYPE=C.UTF-8 into its own environment when started in the C locale (PEP 538);
    the function should see the environment the platform gave, as node's functions do. PWD is the
    sandbox's doing (bubblewrap always sets it), not the platform's."""
    os.environ.pop("PWD", None)
    if "LC_CTYPE" not in os.environ:
        return
    try:
        with open("/proc/self/environ", "rb") as f:
            given = f.read().split(b"\0")
    except OSError:
        return
    if not any(entry.startswith(b"LC_CTYPE=") for entry in given):
        del os.environ["LC_CTYPE"]


# ---- frames in and out ----

def read_frames(sock):
    global _reader
    _reader = _thread.get_ident()
    while True:
        read_once(sock)


def read_once(sock, flags=0):
    """Reads what has arrived and handles each whole frame; a line spread over reads is joined once."""
    data = sock.recv(READ_SIZE, flags)
    if not data:
        exit_now(0)
    start = 0
    nl = data.find(b"\n")
    while nl != -1:
        if _unread:
            _unread.append(data[start:nl])
            line = b"".join(_unread)
            del _unread[:]
        else:
            line = data[start:nl]
        start = nl + 1
        if line:
            on_frame(line)
        nl = data.find(b"\n", start)
    if start < len(data):
        _unread.append(data[start:] if start else data)


def on_frame(line):
    try:
        frame = json_decode(line.decode("utf-8"))
        kind = frame.get("type")
    except (ValueError, AttributeError):
        return  # not a frame; the platform never sends one
    if kind == "run":
        if _pool is None:
            run(frame)
        else:
            _pool.submit(frame)
    elif kind == "called" or kind == "cached" or kind == "published":
        answered(frame)
    elif kind == "init":
        init(frame)
    elif kind == "check":
        check(frame)
    elif kind == "peer":
        peer(frame)
    elif kind == "unpeer":
        _peers.pop(str(frame.get("name")), None)
        changed(str(frame.get("name")), None)  # the platform need not tell of its entries' changes from now on
    elif kind == "uncache":
        scope, key = frame.get("scope"), frame.get("key")
        if scope == "app" or scope == "function":
            changed(None if scope == "app" else str(frame.get("function")), None if key is None else str(key))


def send(data):
    """Sends a frame. A thread that finds another sending leaves its frame to that one and goes on: the
    sender sends whatever has piled up meanwhile, in order, in one sendall, so no thread waits for
    another's send and a busy worker wakes the platform fewer times than it has frames. Past
    OUTBOX_BYTES piled up (a log flood while the platform reads slowly), a thread waits instead, until
    the sender takes the pile."""
    global _sending, _outbox_bytes
    with _send_lock:
        if _outbox_bytes > OUTBOX_BYTES and _sending:
            wait_for_sender(lambda: _outbox_bytes <= OUTBOX_BYTES or not _sending)
        _outbox.append(data)
        _outbox_bytes += len(data)
        if _sending:
            return
        _sending = True
    try:
        while True:
            with _send_lock:
                if not _outbox:
                    _sending = False
                    wake_send_waiters()
                    return
                data = _outbox[0] if len(_outbox) == 1 else b"".join(_outbox)
                del _outbox[:]
                _outbox_bytes = 0
                wake_send_waiters()
            _sock.sendall(data)
    except BaseException:
        with _send_lock:
            _sending = False
            wake_send_waiters()
        raise


def wait_for_sender(done, seconds=None):
    """Under _send_lock: waits until done() holds, or for at most seconds, woken by the sender each time
    it takes the outbox or stops."""
    deadline = None if seconds is None else time.monotonic() + seconds
    while not done():
        left = -1 if deadline is None else deadline - time.monotonic()
        if deadline is not None and left <= 0:
            return
        woken = _thread.allocate_lock()
        woken.acquire()
        _send_waiters.append(woken)
        _send_lock.release()
        try:
            woken.acquire(True, left)
        finally:
            _send_lock.acquire()


def wake_send_waiters():
    """Under _send_lock; costs the sender nothing while no thread waits."""
    if _send_waiters:
        for woken in _send_waiters:
            woken.release()
        del _send_waiters[:]


def exit_now(status):
    for act in (getattr(_local, "activation", None), _nobody):
        if act is not None and not act.done:
            flush_partial(act)
    with _send_lock:  # another thread may still be sending this one's last frames
        wait_for_sender(lambda: not _sending, 1)
    os._exit(status)


# ---- calls to other functions ----

def call_function(activation_id, name, params, wait):
    """One call frame and its answer."""
    try:
        answer = request({"type": "call", "activation": activation_id, "name": name,
                          "params": {} if params is None else params, "wait": wait})
    except (TypeError, ValueError) as e:
        raise InvocationError("The parameters of the call are not valid JSON: %s" % e, name)
    return call_answer(name, answer, wait)


def publish(activation_id, topic, message):
    """ctx.publish: one publish frame and its answer."""
    if not isinstance(message, dict):
        raise PublishError("A message on a topic must be a JSON object.")
    try:
        answer = request({"type": "publish", "activation": activation_id, "topic": str(topic), "message": message})
    except (TypeError, ValueError) as e:
        raise PublishError("The message is not valid JSON: %s" % e)
    if "error" in answer:
        raise PublishError(str(answer["error"]))
    return answer.get("eventId")


def request(frame, sent=None):
    """Sends a frame with a fresh id and returns the platform's answer to it. The reader thread (a run
    with concurrency 1) reads frames itself until the answer comes; any other thread waits on a lock
    the reader releases. sent, when given, is called once the frame is on its way."""
    frame_id = "c%d" % next(_call_ids)
    frame["id"] = frame_id
    text = json_encode(frame)
    refusal = over_limit(text)
    if refusal is not None:
        return {"error": refusal}
    on_reader = _thread.get_ident() == _reader
    slot = [None, None if on_reader else _thread.allocate_lock()]
    if slot[1] is not None:
        slot[1].acquire()
    _calls[frame_id] = slot
    send(text.encode() + b"\n")
    if sent is not None:
        sent()
    if on_reader:
        while slot[0] is None:
            read_once(_sock)
    else:
        slot[1].acquire()
    return slot[0]


def read_waiting(sock):
    """Handles the frames that have arrived, without waiting for more. The reader thread, busy running a
    function (concurrency 1), reads frames only while it waits for an answer: this is how it hears of a
    peer, or of an unpeer, before the function's next ctx.invoke."""
    try:
        while True:
            read_once(sock, _socket.MSG_DONTWAIT)
    except BlockingIOError:
        pass


def over_limit(text):
    """Why a request this long is not sent (the platform would stop the worker for its frame), or None."""
    max_bytes = 2 * _func.get("max_result_bytes", DEFAULT_LIMIT)
    if len(text) > max_bytes // 4 and len(text.encode()) > max_bytes:
        return "The request is %d bytes, over the limit of %d bytes" % (len(text.encode()), max_bytes)
    return None


def answered(frame):
    slot = _calls.pop(frame.get("id"), None)
    if slot is not None:
        slot[0] = frame
        if slot[1] is not None:
            slot[1].release()


def call_answer(name, frame, wait):
    activation_id = frame.get("activationId")
    if activation_id is None:
        raise InvocationError(str(frame.get("error")), name)
    if not wait:
        return activation_id
    result = frame.get("result")
    if frame.get("success") is not True:
        error = result.get("error") if type(result) is dict else result
        raise InvocationError(error if type(error) is str else json_encode(error), name, activation_id,
                              frame.get("status"), result)
    return result


# ---- copies of cache entries (docs/worker-protocol.md, "Copies a worker keeps") ----

def from_copy(act, app, where):
    """(True, a fresh copy of the value) from a live copy, counting a hit for act; None without one."""
    with _copies_lock:
        copy = _copies.get(where)
        if copy is None:
            return None
        if copy[1] <= time.monotonic():
            drop((where,))
            return None
        _copies.move_to_end(where)
        act.cache_hits[app] += 1
    return True, copy[0] if type(copy[0]) is bytes else json_decode(copy[0])


def keep(where, copy, expiry, size):
    """Keeps a copy, dropping the least recently used past COPIES entries or COPIES_BYTES; under _copies_lock."""
    global _copies_bytes
    if size > COPIES_BYTES:
        return
    drop((where,))
    _copies[where] = (copy, expiry, size)
    _copies_bytes += size
    while len(_copies) > COPIES or _copies_bytes > COPIES_BYTES:
        _copies_bytes -= _copies.popitem(last=False)[1][2]


def changed(function, key):
    """An entry changed (key None: all of a scope; function None: the app's scope): drops its copies, and
    marks the gets of it under way not to be kept, since their answers may predate the change."""
    with _copies_lock:
        drop([(function, key)] if key is not None else [w for w in _copies if w[0] == function])
        for mark in _getting.values():
            if mark[0][0] == function and (key is None or mark[0][1] == key):
                mark[1] = True


def drop(wheres):
    """Drops these copies, where there are; under _copies_lock."""
    global _copies_bytes
    for where in wheres:
        copy = _copies.pop(where, None)
        if copy is not None:
            _copies_bytes -= copy[2]


# ---- fused calls: peers the worker runs itself ----

def peer(frame):
    """A function this worker may run itself from now on, replacing any of that name; its code loads at
    its first call."""
    name, version = str(frame.get("name")), str(frame.get("version"))
    if _func.get("fn") is None or name + "@" + version in _unfusable:
        return
    import hashlib  # noqa: F401  for the ids of fused calls, now rather than during the first
    params = frame.get("params")
    timeout_ms = frame.get("timeoutMs") or 60000
    _peers[name] = dict(
        _func, fn=None, name=name, version=version, action_name="/%s/%s" % (_func["namespace"], name),
        kind=frame.get("kind") or "python:3", timeout_ms=timeout_ms, timeout=seconds_text(timeout_ms),
        memory=str(frame.get("memoryMb") or 256), max_log_bytes=limit(frame.get("maxLogBytes")),
        entry=str(frame.get("entry")), main=frame.get("main") or "main",
        params=json_encode(params if isinstance(params, dict) else {}),
        fused_tail=(',"name":%s,"version":%s}\n' % (json_quote(name), json_quote(version))).encode())


def invoke(caller, name, params):
    """ctx.invoke: a fused call when name is a peer whose code loads and the chain of calls may grow by
    one, else a call frame. A caller that has ended goes as a call frame too, for the platform to refuse."""
    if _thread.get_ident() == _reader:
        read_waiting(_sock)
    func = _peers.get(name) if isinstance(name, str) else None
    if (func is None or caller.done or caller.depth >= _func["max_call_depth"]
            or (func["fn"] is None and not load_peer(func))):
        return call_function(caller.id, name, params, True)
    return fused_call(caller, func, name, params)


def load_peer(func):
    """Loads a peer's code, once, as a module of its own; one that fails is forgotten and not taken
    again at that version. Its output while it loads is its caller's, as an init's is its run's."""
    key = func["name"] + "@" + func["version"]
    with _peer_lock:
        if func["fn"] is None and key not in _unfusable:
            try:
                module = load(func["entry"], "__cove_peer_%s__" % func["name"])
                failed = specialise(module, func["main"], func) is not None
            except BaseException:  # the call goes as a call frame, where the function's own instance says why
                failed = True
            if failed:
                _unfusable.add(key)
                if _peers.get(func["name"]) is func:
                    del _peers[func["name"]]
    return func["fn"] is not None


def fused_call(caller, func, name, params):
    """Runs a peer on the caller's thread as a run of its own, under the id the platform computes too,
    and answers as a called frame would (docs/worker-protocol.md, "fused")."""
    text = fused_params(name, params)
    import hashlib
    with _fused_lock:
        caller.fused += 1
        n = caller.fused
        callee_id = caller.id[:12] + hashlib.sha256(("%s/%d" % (caller.id, n)).encode()).hexdigest()[:20]
        send(b"".join((b'{"type":"fused","id":', json_quote(callee_id).encode(), b',"activation":', caller.id_json,
                       b',"n":%d' % n, func["fused_tail"])))
    given = json_decode(func["params"])  # copies, so neither side sees the other's objects
    given.update(json_decode(text))
    deadline = int(time.time() * 1000) + func["timeout_ms"]
    act = Activation(callee_id, func["max_log_bytes"], str(deadline), func, caller.depth + 1)
    body, failure = execute(act, given, deadline)
    finish_run(act, body, failure)
    if failure is not None:
        answer = {"activationId": callee_id, "status": "action developer error", "result": {"error": failure}}
    else:
        result = json_decode(body.decode())
        ok = type(result) is not dict or "error" not in result
        answer = {"activationId": callee_id, "success": ok, "status": "success" if ok else "application error",
                  "result": result}
    return call_answer(name, answer, True)


def fused_params(name, params):
    """The JSON text of a fused call's parameters, refused where the platform would refuse a call frame's."""
    if params is None:
        return "{}"
    if not isinstance(params, dict):
        raise InvocationError("The parameters of a call must be a JSON object.", name)
    try:
        text = json_encode(params)
    except (TypeError, ValueError) as e:
        raise InvocationError("The parameters of the call are not valid JSON: %s" % e, name)
    size = len(text.encode()) if len(text) > _func["max_result_bytes"] // 4 else 0
    if size > _func["max_result_bytes"]:  # the platform's limit on a call frame, which is that of a result
        raise InvocationError("The call is %d bytes, over the limit of %d bytes." % (size, _func["max_result_bytes"]),
                              name)
    return text


class Pool:
    """N threads taking runs from one queue; lighter than concurrent.futures for this one use."""

    def __init__(self, size):
        import _queue  # queue's module imports threading and heapq, during a cold start (bench/README.md)
        self.queue = _queue.SimpleQueue()
        for _ in range(size):
            _thread.start_new_thread(self.work, ())

    def submit(self, frame):
        self.queue.put(frame)

    def work(self):
        try:
            while True:
                run(self.queue.get())
        except OSError:  # the platform went away
            exit_now(0)


# ---- check ----

def check(frame):
    """Compiles a source without running it and answers where it does not compile
    (docs/worker-protocol.md, "check")."""
    source = frame.get("source")
    filename = frame.get("file") or "function.py"
    answer = {"type": "checked", "id": frame.get("id")}
    try:
        compile(source if isinstance(source, str) else "", str(filename), "exec", dont_inherit=True)
    except SyntaxError as e:  # also IndentationError and TabError
        answer["error"] = {"message": "%s: %s" % (type(e).__name__, e.msg)}
        if e.lineno:
            answer["error"].update(line=e.lineno, column=e.offset or 1)
    except (ValueError, MemoryError, RecursionError) as e:  # a NUL byte; a source too deep to compile
        answer["error"] = {"message": "%s: %s" % (type(e).__name__, e)}
    send(json_encode_ascii(answer).encode() + b"\n")


# ---- init ----

def init(frame):
    global _initialised, _pool
    init_id = frame.get("id")
    if _initialised:
        send(ready_frame(init_id, "The worker was already initialised"))
        return
    _initialised = True
    _func.update(
        namespace=str(frame.get("namespace")), name=str(frame.get("name")),
        version=str(frame.get("version")),
        action_name="/%s/%s" % (frame.get("namespace"), frame.get("name")),
        kind=frame.get("kind") or "python:3",
        timeout=seconds_text(frame.get("timeoutMs") or 60000),
        memory=str(frame.get("memoryMb") or 256),
        max_result_bytes=limit(frame.get("maxResultBytes")),
        max_log_bytes=limit(frame.get("maxLogBytes")),
        max_call_depth=frame.get("maxCallDepth") or 50, fn=None)
    act = Activation(init_id, _func["max_log_bytes"])
    _local.activation = act
    entry = str(frame.get("entry"))
    try:
        apply_env(frame.get("env"))
        if frame.get("packages"):
            sys.path.insert(0, str(frame["packages"]))  # its dependencies, after its own code (load puts that first)
        os.chdir(entry if os.path.isdir(entry) else os.path.dirname(entry))  # as OpenWhisk: its own files by relative paths
        module = load(entry, "__cove_function__")
        error = specialise(module, frame.get("main") or "main", _func)
    except SystemExit as e:
        exit_now(exit_status(e))
    except InvalidVirtualenv as e:
        error = str(e)
    except BaseException as e:  # whatever the code raised is the developer's error
        log_traceback(act, e)  # as OpenWhisk's python runtime, to stderr: the activation's logs
        error = init_error_text(e, entry)
    finally:
        _local.activation = None
    concurrency = frame.get("concurrency") or 1
    if error is None and concurrency > 1:
        _pool = Pool(concurrency)
    flush_partial(act)
    act.done = True
    send(ready_frame(init_id, error))


def limit(value):
    return value if isinstance(value, int) and value >= 0 else DEFAULT_LIMIT


def seconds_text(ms):
    seconds = ms / 1000
    return str(int(seconds)) if seconds == int(seconds) else repr(seconds)


def apply_env(env):
    environ = os.environ
    for key, value in (env or {}).items():
        environ[str(key)] = value if isinstance(value, str) else json_encode(value)
    environ["__OW_ACTION_NAME"] = _func["action_name"]
    environ["__OW_ACTION_VERSION"] = _func["version"]
    environ["__OW_NAMESPACE"] = _func["namespace"]
    environ.__class__ = _run_environ_class(type(environ))


_PER_RUN = ("__OW_ACTIVATION_ID", "__OW_DEADLINE", "__OW_ACTION_NAME", "__OW_ACTION_VERSION")


def _per_run(key):
    act = getattr(_local, "activation", None)
    if act is None or act.deadline is None:
        return None
    if key == "__OW_ACTIVATION_ID":
        return act.id
    if key == "__OW_DEADLINE":
        return act.deadline
    return act.func["action_name"] if key == "__OW_ACTION_NAME" else act.func["version"]


def _run_environ_class(base):
    """os.environ, plus __OW_ACTIVATION_ID and __OW_DEADLINE of the run on the current thread, and the
    name and version of its function (a fused call's is a peer's). They are not written into the real
    environment: glibc's setenv never frees a value, so a new id per run would leak ~100 bytes each.
    (So a child process sees them only when given env=os.environ.)"""

    class RunEnviron(base):
        def __getitem__(self, key):
            if key in _PER_RUN:
                value = _per_run(key)
                if value is not None:
                    return value
            return base.__getitem__(self, key)

        def __iter__(self):
            keys = list(base.__iter__(self))
            yield from keys
            for key in _PER_RUN:
                if key not in keys and _per_run(key) is not None:
                    yield key

        def __len__(self):
            return sum(1 for _ in self)

    return RunEnviron


def load(entry, module_name):
    """Runs a .py file, or a folder's __main__.py with the folder (and its virtualenv) on sys.path."""
    import importlib.machinery
    import importlib.util
    if os.path.isdir(entry):
        folder = entry
        path = os.path.join(entry, "__main__.py")
        add_to_path(folder)
    else:
        folder = os.path.dirname(entry)
        path = entry
        sys.path.insert(0, folder)
    loader = importlib.machinery.SourceFileLoader(module_name, path)  # whatever the file's suffix
    spec = importlib.util.spec_from_file_location(module_name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


class InvalidVirtualenv(Exception):
    pass


def add_to_path(folder):
    import glob
    import site
    venv = os.path.join(folder, "virtualenv")
    if os.path.isdir(venv) and not any(os.path.isfile(os.path.join(venv, scripts, "activate_this.py"))
                                       for scripts in ("bin", "Scripts")):
        # what makes a folder a virtualenv to OpenWhisk's python runtime, which refuses it at init too
        raise InvalidVirtualenv("Invalid virtualenv. Zip file does not include 'activate_this.py'.")
    found = sorted(glob.glob(os.path.join(folder, "virtualenv", "lib", "python3.*", "site-packages")))
    own = os.path.join(folder, "virtualenv", "lib", "python%d.%d" % sys.version_info[:2], "site-packages")
    before = list(sys.path)
    for site_packages in ([own] if own in found else found[-1:]):
        site.addsitedir(site_packages)  # also runs its .pth files
    added = [p for p in sys.path if p not in before]
    sys.path[:] = [folder] + added + before


def specialise(module, wanted, func):
    name = wanted
    found = find(module, wanted)
    if found is None and wanted == "main":
        name = "handler"
        found = find(module, "handler")
    if found is None:
        names = '"main" or "handler"' if wanted == "main" else '"%s"' % wanted
        return "The code has no function named " + names
    positional, varargs = positional_parameters(found)
    func["kubeless"] = name != "main" and positional == 2 and not varargs
    func["positional"] = 2 if varargs or positional >= 2 else 1
    func["fn"] = found  # last: a thread that sees it loaded sees the rest
    return None


def find(module, name):
    value = getattr(module, name, None)
    return value if callable(value) else None


def positional_parameters(fn):
    """(how many positional parameters, whether it takes *args): from the code object when there is
    one, which is much cheaper to import than inspect."""
    code = getattr(fn, "__code__", None)
    if code is not None:
        count = code.co_argcount - (1 if getattr(fn, "__self__", None) is not None else 0)
        return count, bool(code.co_flags & CO_VARARGS)
    import inspect
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1, True
    kinds = [p.kind for p in params]
    positional = sum(1 for k in kinds if k in (inspect.Parameter.POSITIONAL_ONLY,
                                               inspect.Parameter.POSITIONAL_OR_KEYWORD))
    return positional, inspect.Parameter.VAR_POSITIONAL in kinds


def ready_frame(init_id, error):
    frame = {"type": "ready", "id": init_id}
    if error is not None:
        frame["error"] = error
    return json_encode_ascii(frame).encode() + b"\n"


def init_error_text(e, entry):
    """`SyntaxError: invalid syntax (hello.py:3)`: the error, and where in the function's own code it
    happened, relative to the code's folder."""
    folder = entry if os.path.isdir(entry) else os.path.dirname(entry)
    if isinstance(e, SyntaxError):
        text = "%s: %s" % (type(e).__name__, e.msg)
        where = (e.filename, e.lineno) if e.filename else None
    else:
        text = failure_text(e)
        where = None
        tb = e.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.startswith(folder + os.sep):
                where = (filename, tb.tb_lineno)
            tb = tb.tb_next
    if where is None or not str(where[0]).startswith(folder + os.sep):
        return text
    return "%s (%s:%s)" % (text, os.path.relpath(where[0], folder), where[1])


# ---- run ----

def run(frame):
    act = Activation(frame.get("id"), _func.get("max_log_bytes", DEFAULT_LIMIT), str(frame.get("deadline")),
                     _func, frame.get("depth") or 1)
    if _func.get("fn") is None:
        finish_run(act, None, "The worker was not initialised")
        return
    body, failure = execute(act, frame.get("params"), frame.get("deadline"))
    finish_run(act, body, failure)


def execute(act, params, deadline):
    """Calls act's function as act, the thread's activation meanwhile (a fused call's caller is again
    afterwards); returns (result body, failure) for its done frame."""
    outer = getattr(_local, "activation", None)
    _local.activation = act
    try:
        value = call(act, {} if params is None else params, deadline)
        if type(value) is not dict and hasattr(value, "__await__"):
            value = run_awaitable(value)
    except SystemExit as e:
        exit_now(exit_status(e))
    except Exception as e:  # as in OpenWhisk: the function's own error, its traceback in the logs
        return raised(act, e, True)
    except BaseException as e:  # one that would stop a program (KeyboardInterrupt, …) is its failure
        return raised(act, e, False)
    finally:
        _local.activation = outer
    return outcome(act, value)


def call(act, params, deadline):
    func = act.func
    # what fired it (a trigger, a topic's message): Kubeless' event says so, an OpenWhisk-style function
    # is given the payload alone
    fired = params.pop("__cove_event", None) if type(params) is dict else None
    if func["kubeless"]:
        return func["fn"](kubeless_event(act.id, params, fired), kubeless_context(act))
    if func["positional"] == 2:
        return func["fn"](params, Context(act, func["namespace"], func["name"], func["version"], deadline))
    return func["fn"](params)


async def _await(awaitable):
    return await awaitable


def run_awaitable(awaitable):
    """Runs an `async def` entry point on this thread's own event loop, kept from run to run. A fused
    callee's, while an `async def` caller's loop waits in ctx.invoke, gets a loop for that call."""
    import asyncio
    # no public API lets a thread set its running loop aside: asyncio exports these two for event loops
    outer = asyncio._get_running_loop()
    if outer is not None:
        asyncio._set_running_loop(None)  # a thread runs one loop at a time; the caller's waits meanwhile
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(_await(awaitable))
        finally:
            loop.close()
            asyncio._set_running_loop(outer)
    loop = getattr(_loops, "loop", None)
    if loop is None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        _loops.loop = loop
    return loop.run_until_complete(_await(awaitable))


def kubeless_event(activation_id, params, fired=None):
    if "__ow_body" in params:
        data = params["__ow_body"]
    else:
        data = {k: v for k, v in params.items() if not k.startswith("__ow_")}
    # over HTTP, Kubeless takes these four from the request; a fire's event carries its own
    headers = params.get("__ow_headers") or {}
    ev = fired if type(fired) is dict else {}
    event = {"data": data, "event-id": headers.get("event-id") or ev.get("id") or activation_id,
             "event-type": headers.get("event-type") or ev.get("type") or "application/json",
             "event-time": headers.get("event-time") or ev.get("time") or iso_now(),
             "event-namespace": headers.get("event-namespace") or "cove"}
    if "__ow_method" in params:
        event["extensions"] = {"request": {
            "method": params.get("__ow_method"), "path": params.get("__ow_path"),
            "headers": params.get("__ow_headers"), "query": params.get("__ow_query")}}
    return event


def kubeless_context(act):
    func = act.func
    return KubelessContext(act, {"function-name": func["name"], "timeout": func["timeout"],
                                 "runtime": func["kind"], "memory-limit": func["memory"]})


def iso_now():
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % (int(now * 1000) % 1000)


def outcome(act, value):
    """(result body, failure) of what act's function returned."""
    if value is None and act.func["kubeless"]:
        return b"{}", None
    if not isinstance(value, (dict, list, tuple)):
        if not act.func["kubeless"]:
            return None, not_an_object(value)
        value = {"body": str(value)}
    try:
        body = encode_result(value)
    except (TypeError, ValueError, RecursionError) as e:
        return None, "The function's result is not valid JSON: %s" % e
    limit_bytes = _func["max_result_bytes"]
    if len(body) > limit_bytes:  # OpenWhisk's rule: an application error that shows the result's start
        start = body[:RESULT_START_CHARS * 4].decode("utf-8", "ignore")[:RESULT_START_CHARS]
        return encode_result({"error": "The function's result is %d bytes, over the limit of %d bytes; it began: %s"
                              % (len(body), limit_bytes, start)}), None
    return body, None


RESULT_START_CHARS = 1000  # of a result over the limit, in its error (the platform's own count)


TRACEBACK_CHARS = 65536  # of a traceback in the logs: a huge message stays in the error


def log_traceback(act, e):
    """e's traceback to act's stderr, from the function's own frames on (not this worker's, nor the
    import machinery's that loaded the function)."""
    import traceback
    tb = e.__traceback__
    while tb is not None and (tb.tb_frame.f_code.co_filename == __file__
                              or tb.tb_frame.f_code.co_filename.startswith("<frozen importlib")):
        tb = tb.tb_next
    text = "".join(traceback.format_exception(type(e), e, tb))
    if len(text) > TRACEBACK_CHARS:
        text = text[:TRACEBACK_CHARS] + "\u2026\n"
    emit_text(act, 1, text)


def raised(act, e, application):
    """(result body, failure) of an exception the function raised, once its traceback (from the
    function's own frames on) is in act's stderr: {"error": "ValueError: boom"}, an application error,
    or, when that would not fit the result limit or the exception is no Exception, a failure."""
    log_traceback(act, e)
    failure = failure_text(e)
    if application:
        body = encode_result({"error": failure})
        if len(body) <= _func["max_result_bytes"]:
            return body, None
    return None, failure


def encode_result(value):
    text = json_encode(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: escape them as JSON allows
        return json_encode_ascii(value).encode("ascii")


def not_an_object(value):
    if value is None:
        kind = "None"
    elif isinstance(value, str):
        kind = "a string"
    elif isinstance(value, bool):
        kind = "a boolean"
    elif isinstance(value, (int, float)):
        kind = "a number"
    else:
        name = type(value).__name__
        kind = ("an " if name[:1].lower() in "aeiou" else "a ") + name
    return "The function returned %s; it must return a JSON object or list" % kind


def failure_text(e):
    message = str(e)
    name = type(e).__name__
    return "%s: %s" % (name, message) if message else name


def exit_status(e):
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    sys.stderr.write("%s\n" % (code,))
    return 1


def finish_run(act, body, failure):
    """Sends the activation's last partial lines, then its done frame: one write each."""
    if act.done:
        return
    flush_partial(act)
    act.done = True
    function, app = act.cache_hits
    hits = b""
    if function or app:  # the gets answered from copies, which the platform adds to the scopes' hits
        hits = b',"cacheHits":' + json_encode({k: n for k, n in (("function", function), ("app", app)) if n}).encode()
    if body is not None:
        send(b"".join((b'{"type":"done","id":', act.id_json, b',"result":', body, hits, b"}\n")))
    else:
        send(b"".join((b'{"type":"done","id":', act.id_json, b',"failure":',
                       json_quote(failure).encode("ascii"), hits, b"}\n")))


# ---- output ----

_STREAMS = (b',"stream":"stdout","line":', b',"stream":"stderr","line":')


class LogWriter:
    """sys.stdout / sys.stderr: line-buffered, each line a log frame of the thread's activation."""

    encoding = "utf-8"
    errors = "replace"
    newlines = None
    closed = False
    line_buffering = True

    def __init__(self, stream, original):
        self._stream = stream
        self._original = original
        self.buffer = _BytesWriter(self)

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        act = getattr(_local, "activation", None)
        if act is None or act.done:
            act = _nobody
        emit_text(act, self._stream, text)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False

    def seekable(self):
        return False

    def fileno(self):  # the real descriptor: what a child process writes there is plain output
        if self._original is None:
            raise OSError("no file descriptor")
        return self._original.fileno()

    def close(self):
        pass


class _BytesWriter:
    """sys.stdout.buffer: bytes written there are decoded and logged like text."""

    def __init__(self, text_writer):
        self._text = text_writer

    def write(self, data):
        self._text.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        pass


def emit_text(act, stream, text):
    """Line-buffers one stream of one activation; a line written in many pieces is joined once."""
    if act.truncated:
        return
    pieces = act.partial[stream]
    if "\n" not in text:
        pieces.append(text)
        act.partial_length[stream] += len(text)
        if act.partial_length[stream] > act.max_log_bytes - act.log_bytes:  # can no longer fit
            flush_stream(act, stream)
        return
    lines = text.split("\n")
    if pieces:
        pieces.append(lines[0])
        lines[0] = "".join(pieces)
        pieces.clear()
    last = lines.pop()
    if last:
        pieces.append(last)
    act.partial_length[stream] = len(last)
    for line in lines:
        emit_line(act, stream, line)


def emit_line(act, stream, line):
    if act.truncated:
        return
    size = len(line) if line.isascii() else len(line.encode("utf-8", "surrogatepass"))
    if act.log_bytes + size > act.max_log_bytes:
        act.truncated = True
        note = "Logs were truncated after %d bytes." % act.max_log_bytes
        send(b"".join((b'{"type":"log","id":', act.id_json, _STREAMS[1],
                       json_quote(note).encode("ascii"), b"}\n")))
        return
    act.log_bytes += size
    send(b"".join((b'{"type":"log","id":', act.id_json, _STREAMS[stream],
                   json_quote(line).encode("ascii"), b"}\n")))


def flush_partial(act):
    flush_stream(act, 0)
    flush_stream(act, 1)


def flush_stream(act, stream):
    pieces = act.partial[stream]
    if pieces:
        line = "".join(pieces)
        pieces.clear()
        act.partial_length[stream] = 0
        emit_line(act, stream, line)


if __name__ == "__main__":
    main()
