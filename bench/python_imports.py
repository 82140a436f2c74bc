#!/usr/bin/env python3
"""What the python worker's C modules (_json, _socket, _thread, _queue) save against the public
modules over them: the CPU time of each set's imports in a fresh `python3 -I`, with what the worker
imports anyway before its init, sets interleaved, ratio to the C modules alone; then per call, the
worker's JSON codec against the public json module's (a pre-built JSONEncoder's encode,
JSONDecoder's raw_decode), best of 15 repeats, in the interpreter the workers run on.

    /usr/bin/python3 bench/python_imports.py [--starts 40]
"""

import argparse
import importlib.util
import json
import statistics
import subprocess
import timeit
from pathlib import Path

PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).resolve().parent.parent / "runtimes" / "python" / "worker.py"
ANYWAY = "import importlib.machinery, importlib.util, collections"  # what the worker imports after its hello
SETS = {
    "C modules": "import _json, _socket, _thread",
    "threading": "import _json, _socket, threading",
    "socket": "import _json, socket, _thread",
    "json": "import json, _socket, _thread",
    "all public": "import json, socket, threading",
    "+ queue": "import _json, _socket, threading, queue",
}
PROGRAM = "import time\nt = time.process_time()\n{}\n" + ANYWAY + "\nprint((time.process_time() - t) * 1000)"
FRAME = ('{"type":"run","id":"7f3c9b2e4d1a4c8e9b2e4d1a4c8e9b2e","params":{"name":"Ada Lovelace",'
         '"msg":"hello from wrk!","n":123456789},"deadline":1732300060000}')
RESULT = {"name": "Ada Lovelace", "msg": "hello from wrk!", "n": 123456789}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=40)
    args = parser.parse_args()
    imports(args.starts)
    per_call()


def imports(starts):
    cpu = {name: [] for name in SETS}
    for _ in range(starts):
        for name, line in SETS.items():
            out = subprocess.run([PYTHON, "-I", "-c", PROGRAM.format(line)], capture_output=True, text=True, env={},
                                 check=True)
            cpu[name].append(float(out.stdout))
    base = statistics.median(cpu["C modules"])
    print(f"{'imports, then ' + ANYWAY:<40}")
    print(f"{'set':<12} {'cpu p50 ms':>10} {'min':>6} {'ratio':>6}")
    for name, values in cpu.items():
        p50 = statistics.median(values)
        print(f"{name:<12} {p50:>10.2f} {min(values):>6.2f} {p50 / base:>6.2f}")


def per_call():
    spec = importlib.util.spec_from_file_location("worker", WORKER)
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    plain = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    ascii_only = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
    raw_decode = json.JSONDecoder().raw_decode
    cases = {
        "decode a run frame": (lambda: worker.json_decode(FRAME), lambda: raw_decode(FRAME)),
        "encode a result": (lambda: worker.json_encode(RESULT), lambda: plain.encode(RESULT)),
        "encode a ready frame": (lambda: worker.json_encode_ascii({"type": "ready", "id": "i-1"}),
                                 lambda: ascii_only.encode({"type": "ready", "id": "i-1"})),
    }
    print(f"\n{'ns per call':<22} {'worker':>7} {'json':>7} {'ratio':>6}")
    for name, (own, public) in cases.items():
        if own() != (public()[0] if name.startswith("decode") else public()):
            raise SystemExit(f"{name}: the codecs disagree")
        ns = [best_ns(own), best_ns(public)]
        print(f"{name:<22} {ns[0]:>7.0f} {ns[1]:>7.0f} {ns[1] / ns[0]:>6.2f}")


def best_ns(call, number=20000):
    return min(timeit.repeat(call, number=number, repeat=15)) / number * 1e9


if __name__ == "__main__":
    main()
