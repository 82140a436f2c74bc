#!/usr/bin/env python3
"""A worker program's start, driven over its socket outside Cove as the platform drives it, variant by
variant: spawn to hello (a stem cell's start), a stem cell's init and first run (what it adds to a cold
start, sent 0.3 s after its hello), spawn to the first result of a worker given its function at once
(a further instance in an application's sandbox) and that worker's CPU time. Variants interleave start
by start; figures are medians, ratios to the first variant.

    bench/worker_start.py [--starts 20] NAME=COMMAND [NAME=COMMAND ...]

COMMAND starts the worker without its --socket and --token, e.g.
"one=/usr/bin/python3 -I -B runtimes/python/worker.py" "split=/usr/bin/python3 -I -B /tmp/split/worker.py"
(-B: a variant's modules compile as in the sandbox, whose runtimes folder is read-only, unless their
bytecode is there already). A command naming node runs a node function, any other a python one.
"""

import argparse
import itertools
import json
import os
import shlex
import socket
import statistics
import subprocess
import tempfile
import time

FUNCTIONS = {"node": "function main(p) { return {n: p.n}; }\n", "python": "def main(a):\n    return {'n': a['n']}\n"}
STEM_CELL_WAIT_S = 0.3
SERIAL = itertools.count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=20, help="starts of each variant, of each kind")
    parser.add_argument("variants", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args()
    variants = [(spec.split("=", 1)[0], shlex.split(spec.split("=", 1)[1])) for spec in args.variants]
    scratch = tempfile.mkdtemp(prefix="cove-worker-start-")
    figures = {name: {"hello": [], "stem": [], "given": [], "cpu": []} for name, _ in variants}
    for _ in range(args.starts):
        for name, command in variants:
            hello, stem, _ = start(command, scratch, STEM_CELL_WAIT_S)
            _, given, cpu = start(command, scratch, None)
            for key, value in (("hello", hello), ("stem", stem), ("given", given), ("cpu", cpu)):
                figures[name][key].append(value)
    report(figures)


def start(command, scratch, wait_s):
    """(spawn to hello, init to the first result or spawn to it when wait_s is None, CPU time) in ms."""
    runtime = "node" if "node" in os.path.basename(command[0]) else "python"
    n = next(SERIAL)
    code = os.path.join(scratch, f"f{n}.js" if runtime == "node" else f"f{n}.py")
    with open(code, "w") as f:
        f.write(FUNCTIONS[runtime])
    path = os.path.join(scratch, f"w{n}.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(path)
        listener.listen(1)
        began = time.perf_counter()
        process = subprocess.Popen(command + ["--socket", path, "--token", "t"], env={}, stdin=subprocess.DEVNULL)
        conn, _ = listener.accept()
    with conn, conn.makefile("rb") as frames:
        expect(frames, "hello")
        hello = time.perf_counter()
        if wait_s is not None:
            time.sleep(wait_s)
        given = time.perf_counter() if wait_s is not None else began
        send(conn, {"type": "init", "id": "i", "namespace": "guest", "name": "f", "version": "1", "entry": code})
        expect(frames, "ready")
        send(conn, {"type": "run", "id": "r", "params": {"n": 1}, "deadline": int(time.time() * 1000) + 60000})
        done = expect(frames, "done")
        answered = time.perf_counter()
    if done.get("result") != {"n": 1}:
        raise SystemExit(f"{command} answered {done}")
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    os.unlink(path)
    os.unlink(code)
    return (hello - began) * 1000, (answered - given) * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def send(conn, frame):
    conn.sendall(json.dumps(frame).encode() + b"\n")


def expect(frames, kind):
    frame = json.loads(frames.readline() or b"null")
    if not isinstance(frame, dict) or frame.get("type") != kind or "error" in frame:
        raise SystemExit(f"expected a {kind} frame, got {frame}")
    return frame


def report(figures):
    keys = ("hello", "stem", "given", "cpu")
    base = {key: statistics.median(values) for key, values in next(iter(figures.values())).items()}
    print(f"{'variant':<16} {'hello ms':>9} {'stem ms':>8} {'given ms':>9} {'cpu ms':>7}   ratios to the first: "
          + ", ".join(keys))
    for name, values in figures.items():
        medians = [statistics.median(values[key]) for key in keys]
        print(f"{name:<16} {medians[0]:>9.2f} {medians[1]:>8.2f} {medians[2]:>9.2f} {medians[3]:>7.2f}   "
              + " ".join(f"{m / base[key]:.2f}" for m, key in zip(medians, keys)))


if __name__ == "__main__":
    main()
