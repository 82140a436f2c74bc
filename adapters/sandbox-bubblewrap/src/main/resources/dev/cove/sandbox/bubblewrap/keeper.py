"""Cove's sandbox keeper: the first process (pid 1) of a sandbox, which starts the sandbox's worker
processes when the platform asks, so that one sandbox can hold the workers of every function of one
application. bwrap cannot add a process to a sandbox that runs already; this program, inside it, can.
Started as `python3 -I -S keeper.py` with an empty environment; the standard library's built-in
modules only, so that it starts quickly.

The platform writes commands on standard input, one a line, fields separated by tabs:

    start <id> <number of env entries> <KEY=VALUE>... <argv>...   start a worker, held at its gate
    go <id>                                                       let a held worker run its program
    kill <id>                                                     kill a worker and what it started
    tty <id> <rows> <columns> <dir> <n> <KEY=VALUE>... <argv>...  start a terminal: a worker whose
                                                                  fds 0-2 are a new pseudo-terminal,
                                                                  its controlling one, in <dir>
    in <id> <n>                                                   followed by n bytes typed at a terminal
    size <id> <rows> <columns>                                    a terminal's new window size

and reads events on standard output, one header line each, tabs again:

    started <id> <pid>             the worker's process exists, with this pid inside the sandbox, and
                                   waits at its gate for `go` before it runs its program
    out <id> <stream> <n>          followed by n bytes the worker (or its children) wrote to fd 1 or 2
                                   (stream stdout or stderr), or to a terminal (stream tty)
    exit <id> <status>             the worker ended: its exit code, or 128 + the signal that killed it

A worker's process waits at a gate (a pipe) until the platform says `go`: meanwhile the platform
moves it into its own cgroup from outside, so that its program and everything it starts count
against its own limits from their first instruction. A kill or a closed gate ends it there.

Each worker gets its own session (so its own process group), /dev/null as input and a pipe of its own
for each of stdout and stderr: what a worker's processes print stays that worker's. When a worker
ends, what is left in its pipes is sent before its exit. A kill ends the worker's process group and
every process still descended from it. Orphans that a worker left behind become this process's
children and are reaped here. The keeper ends when its input closes; being pid 1, that ends every
process of the sandbox.

Started as `keeper.py PORT SOCKET`, the keeper also relays the platform's REST API into the sandbox
(ApiRelay below): it listens on 127.0.0.1:PORT of the sandbox's own loopback before any worker
exists, and joins each connection to a new one to the Unix socket SOCKET, the server's API socket
bound into the sandbox. The relay lives here rather than in a process of its own because the keeper
is already there, in every sandbox, polling: a relay process would cost each sandbox a second python
start (its time and its memory) whether or not any function calls the API, where here it costs one
listening socket.
"""

import errno
import os
import select
import sys
import _signal
import _socket
import _struct

READ_SIZE = 65536
TIOCSWINSZ = 0x5414  # Linux's, on x86 and arm alike
MAX_TYPED = 65536  # bytes typed at a terminal that its shell has not read yet; more are dropped


class Keeper:
    def __init__(self, api=None):
        self.api = api  # the ApiRelay, if the sandbox has one
        self.ids = {}  # pid -> worker id
        self.pids = {}  # worker id -> pid
        self.streams = {}  # read fd -> (worker id, stream name)
        self.owned = {}  # worker id -> its read fds
        self.gates = {}  # worker id -> the write end of its gate, until it is opened
        self.terminals = {}  # worker id -> its terminal's master fd
        self.typed = {}  # a terminal's master fd -> bytes typed that it has not taken yet
        self.poll = select.poll()
        self.pending = b""

    def run(self):
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        _signal.set_wakeup_fd(wake_w)
        _signal.signal(_signal.SIGCHLD, lambda signum, frame: None)
        self.poll.register(0, select.POLLIN)
        self.poll.register(wake_r, select.POLLIN)
        if self.api is not None:
            self.api.start(self.poll)
        while True:
            api_events = []
            for fd, events in self.poll.poll():
                if fd == 0:
                    self.read_commands()
                elif fd == wake_r:
                    drain(wake_r)
                    self.reap()
                elif fd in self.streams:
                    if events & select.POLLOUT:
                        self.flush_typed(fd)
                    if events & ~select.POLLOUT:
                        self.relay(fd)
                else:
                    api_events.append((fd, events))
            # the API's connections come after the platform's commands and the workers' events, one
            # bounded step each per turn, so that however busy a function keeps them, every turn
            # still reads the platform's commands first
            for fd, events in api_events:
                self.api.on_event(fd, events)

    def read_commands(self):
        data = os.read(0, READ_SIZE)
        if not data:
            os._exit(0)
        self.pending += data
        while True:
            end = self.pending.find(b"\n")
            if end < 0:
                return
            fields = self.pending[:end].decode("utf-8", "surrogateescape").split("\t")
            if fields[0] == "in" and len(fields) == 3:  # its bytes follow the line
                size = int(fields[2])
                if len(self.pending) < end + 1 + size:
                    return
                self.type(fields[1], self.pending[end + 1:end + 1 + size])
                self.pending = self.pending[end + 1 + size:]
                continue
            self.pending = self.pending[end + 1:]
            if fields[0] == "start" and len(fields) >= 4:
                self.start(fields[1], fields[3:3 + int(fields[2])], fields[3 + int(fields[2]):])
            elif fields[0] == "go" and len(fields) == 2:
                self.go(fields[1])
            elif fields[0] == "kill" and len(fields) == 2:
                self.kill(fields[1])
            elif fields[0] == "tty" and len(fields) >= 7:
                count = int(fields[5])
                self.terminal(fields[1], int(fields[2]), int(fields[3]), fields[4], fields[6:6 + count],
                              fields[6 + count:])
            elif fields[0] == "size" and len(fields) == 4:
                if fields[1] in self.terminals:
                    resize(self.terminals[fields[1]], int(fields[2]), int(fields[3]))

    def start(self, worker, env, argv):
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        gate_r, gate_w = os.pipe()
        environment = dict(e.split("=", 1) for e in env)
        try:
            pid = os.fork()
        except OSError as e:
            for fd in (out_r, out_w, err_r, err_w, gate_r, gate_w):
                os.close(fd)
            message = ("could not start %s: %s\n" % (argv[0], e.strerror)).encode()
            emit(b"out\t%s\tstderr\t%d\n" % (worker.encode(), len(message)) + message)
            emit(b"exit\t%s\t127\n" % worker.encode())
            return
        if pid == 0:
            try:
                become(argv, environment, out_w, err_w, gate_r)
            finally:
                os._exit(127)  # whatever happened, the child never returns into the keeper
        for fd in (out_w, err_w, gate_r):
            os.close(fd)
        self.ids[pid] = worker
        self.pids[worker] = pid
        self.owned[worker] = [out_r, err_r]
        self.gates[worker] = gate_w
        for fd, name in ((out_r, "stdout"), (err_r, "stderr")):
            os.set_blocking(fd, False)
            self.streams[fd] = (worker, name)
            self.poll.register(fd, select.POLLIN)
        emit(b"started\t%s\t%d\n" % (worker.encode(), pid))

    def terminal(self, worker, rows, columns, directory, env, argv):
        """As start, with a new pseudo-terminal for the process's fds 0-2 and its controlling terminal,
        in a session of its own, in directory: a shell for a person."""
        environment = dict(e.split("=", 1) for e in env)
        try:
            master, slave = os.openpty()
            gate_r, gate_w = os.pipe()
            pid = os.fork()
        except OSError as e:
            message = ("could not open a terminal: %s\r\n" % e.strerror).encode()
            emit(b"out\t%s\ttty\t%d\n" % (worker.encode(), len(message)) + message)
            emit(b"exit\t%s\t127\n" % worker.encode())
            return
        if pid == 0:
            try:
                default_signals()
                os.close(master)
                os.login_tty(slave)
                os.chdir(directory)
                if os.read(gate_r, 1) != b"g":
                    os._exit(126)
                os.execve(argv[0], argv, environment)
            except OSError as e:
                os.write(2, ("could not start %s: %s\r\n" % (argv[0], e.strerror)).encode())
            finally:
                os._exit(127)
        os.close(slave)
        os.close(gate_r)
        resize(master, rows, columns)
        os.set_blocking(master, False)
        self.ids[pid] = worker
        self.pids[worker] = pid
        self.owned[worker] = [master]
        self.gates[worker] = gate_w
        self.terminals[worker] = master
        self.streams[master] = (worker, "tty")
        self.poll.register(master, select.POLLIN)
        emit(b"started\t%s\t%d\n" % (worker.encode(), pid))

    def type(self, worker, data):
        """Bytes typed at a terminal, in order; what its shell does not take at once waits for it."""
        master = self.terminals.get(worker)
        if master is None:
            return
        waiting = self.typed.get(master, b"")
        self.typed[master] = (waiting + data)[:MAX_TYPED]
        self.flush_typed(master)

    def flush_typed(self, master):
        waiting = self.typed.pop(master, b"")
        try:
            waiting = waiting[os.write(master, waiting):] if waiting else b""
        except BlockingIOError:
            pass
        except OSError:
            waiting = b""  # the terminal is closing
        if waiting:
            self.typed[master] = waiting
        if master in self.streams:
            self.poll.modify(master, select.POLLIN | (select.POLLOUT if waiting else 0))

    def go(self, worker):
        gate = self.gates.pop(worker, None)
        if gate is not None:
            os.write(gate, b"g")
            os.close(gate)

    def kill(self, worker):
        gate = self.gates.pop(worker, None)
        if gate is not None:
            os.close(gate)  # a worker still at its gate ends there
        pid = self.pids.get(worker)
        if pid is None:
            return
        doomed = descendants(pid)
        for target in [-pid, pid] + doomed:
            try:
                os.kill(target, 9)
            except OSError:
                pass

    def relay(self, fd, everything=False):
        """Sends what the stream holds: one read, or everything up to now."""
        while fd in self.streams:
            worker, name = self.streams[fd]
            try:
                data = os.read(fd, READ_SIZE)
            except BlockingIOError:
                return
            except OSError as e:
                if e.errno != errno.EIO:
                    raise
                data = b""  # a terminal whose processes have all closed it
            if not data:
                self.poll.unregister(fd)
                del self.streams[fd]
                self.typed.pop(fd, None)
                if self.terminals.get(worker) == fd:
                    del self.terminals[worker]
                os.close(fd)
            else:
                emit(b"out\t%s\t%s\t%d\n" % (worker.encode(), name.encode(), len(data)) + data)
                if not everything:
                    return

    def reap(self):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            worker = self.ids.pop(pid, None)
            if worker is None:
                continue  # an orphan some worker left behind
            del self.pids[worker]
            gate = self.gates.pop(worker, None)
            if gate is not None:
                os.close(gate)
            for fd in self.owned.pop(worker):
                self.relay(fd, everything=True)  # what it printed comes before its exit
            code = os.waitstatus_to_exitcode(status)
            emit(b"exit\t%s\t%d\n" % (worker.encode(), code if code >= 0 else 128 - code))


class ApiRelay:
    """Relays connections to 127.0.0.1:port inside the sandbox to the server's API socket, bytes
    unchanged both ways; the API asks for credentials as it does of any client. Non-blocking
    throughout, on the keeper's poll: each direction of a connection holds at most one read
    (READ_SIZE bytes) that its receiver has not taken yet, and reads no more until it has, so a
    slow reader holds back its sender instead of filling the keeper's memory. An end that has
    reached its end of stream passes that on (shutdown for writing) once what it sent is delivered;
    a connection is closed when both directions have ended, or at once on an error on either side.
    At most MAX_CONNECTIONS are open: past that the keeper stops accepting, and further connections
    wait in the listening socket's backlog until one closes. The keeper's end closes them all."""

    MAX_CONNECTIONS = 128
    ACCEPTS_PER_TURN = 16

    def __init__(self, port, path):
        self.path = path
        self.ends = {}  # fd -> End, both ends of every open connection
        self.poll = None
        self.listener = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        self.listener.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(128)
        self.listener.setblocking(False)
        self.accepting = False

    def start(self, poll):
        self.poll = poll
        self.accept_more(True)

    def accept_more(self, yes):
        if yes != self.accepting:
            self.accepting = yes
            if yes:
                self.poll.register(self.listener.fileno(), select.POLLIN)
            else:
                self.poll.unregister(self.listener.fileno())

    def on_event(self, fd, events):
        if fd == self.listener.fileno():
            self.accept()
            return
        end = self.ends.get(fd)
        if end is None:
            return  # closed earlier this turn with its other end
        if events & (select.POLLOUT | select.POLLERR | select.POLLHUP) and end.out:
            self.flush(end)
        if end.fd in self.ends and events & (select.POLLIN | select.POLLERR | select.POLLHUP) and end.reading():
            self.pull(end)
        if end.fd in self.ends:
            self.settle(end)

    def accept(self):
        for _ in range(self.ACCEPTS_PER_TURN):
            if len(self.ends) >= 2 * self.MAX_CONNECTIONS:
                self.accept_more(False)
                return
            try:
                fd, _ = self.listener._accept()
            except BlockingIOError:
                return
            except OSError:
                return  # say, out of descriptors: the client is refused, the keeper goes on
            client = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM, 0, fd)
            api = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
            try:
                client.setblocking(False)
                client.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
                api.setblocking(False)
                api.connect(self.path)  # a Unix socket connects at once, or fails (EAGAIN when its backlog is full)
            except OSError:
                client.close()
                api.close()
                continue
            a, b = End(client), End(api)
            a.peer, b.peer = b, a
            for end in (a, b):
                self.ends[end.fd] = end
                self.settle(end)

    def pull(self, end):
        """One read from this end, handed to its peer."""
        try:
            data = end.sock.recv(READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            self.close(end)
            return
        if not data:
            end.eof = True
            if not end.peer.out:
                end.peer.shut()
        else:
            end.peer.out = data
            self.flush(end.peer)

    def flush(self, end):
        """Writes what this end holds for its socket, as much as the socket takes now."""
        try:
            sent = end.sock.send(end.out, _socket.MSG_NOSIGNAL)
        except BlockingIOError:
            return
        except OSError:
            self.close(end)
            return
        end.out = end.out[sent:]
        if not end.out and end.peer.eof:
            end.shut()

    def settle(self, end):
        """Closes a connection that has ended both ways; otherwise polls each end for what it waits for."""
        if end.fd not in self.ends:
            return
        if end.done() and end.peer.done():
            self.close(end)
            return
        for e in (end, end.peer):
            mask = (select.POLLIN if e.reading() else 0) | (select.POLLOUT if e.out else 0)
            if mask != e.mask:
                # an end polled for nothing is left out of the poll, or a hung-up one would wake it forever
                if mask == 0:
                    self.poll.unregister(e.fd)
                elif e.mask == 0:
                    self.poll.register(e.fd, mask)
                else:
                    self.poll.modify(e.fd, mask)
                e.mask = mask

    def close(self, end):
        for e in (end, end.peer):
            if self.ends.pop(e.fd, None) is not None:
                if e.mask:
                    self.poll.unregister(e.fd)
                e.sock.close()
        if not self.accepting and len(self.ends) < 2 * self.MAX_CONNECTIONS:
            self.accept_more(True)


class End:
    """One side of a relayed connection: its socket, and what was read from the other side that
    this socket has not taken yet."""

    __slots__ = ("sock", "fd", "peer", "out", "eof", "mask")

    def __init__(self, sock):
        self.sock = sock
        self.fd = sock.fileno()
        self.peer = None
        self.out = b""
        self.eof = False  # this socket said it sends no more
        self.mask = 0  # the events it is polled for

    def reading(self):
        return not self.eof and not self.peer.out

    def done(self):
        return self.eof and not self.out

    def shut(self):
        try:
            self.sock.shutdown(_socket.SHUT_WR)
        except OSError:
            pass  # gone already: its own events say so


def api_relay(argv):
    """The relay the command line asks for, if it does; none if it can't listen (the log says why)."""
    if len(argv) != 3:
        return None
    try:
        return ApiRelay(int(argv[1]), argv[2])
    except OSError as e:
        os.write(2, ("the REST API's relay could not listen on 127.0.0.1:%s: %s\n" % (argv[1], e.strerror)).encode())
        return None


def become(argv, env, out_w, err_w, gate_r):
    """In the forked child: a session of its own, its pipes as fd 1 and 2, then the gate, then the
    program. Never returns. The keeper's own descriptors are close-on-exec and go at the exec."""
    try:
        default_signals()
        os.setsid()
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        if os.read(gate_r, 1) != b"g":
            os._exit(126)  # the platform closed the gate: it could not place the worker
        os.execve(argv[0], argv, env)
    except OSError as e:
        os.write(2, ("could not start %s: %s\n" % (argv[0], e.strerror)).encode())
    os._exit(127)


def default_signals():
    """In a forked child: what the keeper inherited ignoring (SIGINT and SIGQUIT, when the server was
    started in the background; SIGPIPE, which python ignores) is not passed on past the exec, so that
    Ctrl-C ends what a shell runs, and a pipe's reader going away ends its writer."""
    for signal in (_signal.SIGINT, _signal.SIGQUIT, _signal.SIGPIPE, _signal.SIGTSTP, _signal.SIGTTIN,
                   _signal.SIGTTOU, _signal.SIGXFSZ):
        _signal.signal(signal, _signal.SIG_DFL)


def resize(master, rows, columns):
    import fcntl  # built in, but only a terminal needs it
    try:
        fcntl.ioctl(master, TIOCSWINSZ, _struct.pack("HHHH", rows, columns, 0, 0))
    except OSError:
        pass  # the terminal is closing


def descendants(root):
    """Every process of the sandbox descended from root, from the parents /proc gives."""
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name, "rb") as f:
                    stat = f.read()
                children.setdefault(int(stat[stat.rindex(b")") + 2:].split()[1]), []).append(int(name))
            except (OSError, ValueError, IndexError):
                pass  # gone meanwhile
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def drain(fd):
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass


def emit(data):
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]


if __name__ == "__main__":
    Keeper(api_relay(sys.argv)).run()
