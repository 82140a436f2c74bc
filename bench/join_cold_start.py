#!/usr/bin/env python3
"""Cold start of a further instance of an application, whose worker starts inside the application's
running sandbox, against the baseline of the same run: the application's first instance, which takes
a stem cell (a sandbox started ahead of need with an idle worker inside).

Until applications can be deployed over the API, the further instance is a second instance of the
same function (an application of one): its concurrency is 1, one invocation holds the first
instance busy, and a second invocation at the same time needs a second instance, which starts in the
first one's sandbox. Both figures are from the invocation's start to its result; each function is
deleted once measured.

    bench/join_cold_start.py [--functions 20]
"""

import argparse
import http.client
import json
import sys
import threading
import time

import covebench as cb

SLEEPY = {  # runtime: (kind, code) of a function that sleeps as long as it is asked to
    "nodejs": ("nodejs:20", "async function main(p) {\n"
               "  await new Promise((r) => setTimeout(r, p.sleep || 0));\n  return {n: p.n};\n}\n"),
    "python": ("python:3", "import time\n\ndef main(a):\n    time.sleep(a.get('sleep', 0) / 1000)\n"
               "    return {'n': a['n']}\n"),
}
BUSY_MS = 1500


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=20)
    args = parser.parse_args()
    cb.build()
    cove = cb.Cove()
    try:
        time.sleep(2)  # let the stem cells start
        print(f"{cove.isolation()}", file=sys.stderr)
        print(f"{'runtime':<8} {'first p50':>10} {'further p50':>12} {'further p90':>12} {'ratio':>6}")
        for runtime in SLEEPY:
            first, further = [], []
            for i in range(args.functions):
                a, b = measure(cove, f"join-{runtime}-{i}", runtime)
                first.append(a)
                further.append(b)
            f50, j50 = cb.percentile(first, 50), cb.percentile(further, 50)
            print(f"{runtime:<8} {f50:>10.1f} {j50:>12.1f} {cb.percentile(further, 90):>12.1f} {j50 / f50:>6.2f}")
    finally:
        cove.close()


def measure(cove, name, runtime):
    """Answers the ms to the first result of the function's first instance and of its second."""
    kind, code = SLEEPY[runtime]
    cove.deploy(name, kind, code, {"concurrency": 1, "maxInstances": 2})
    first = timed(cove, name, {"n": 1})
    busy = threading.Thread(target=invoke_apart, args=(cove, name, {"n": 2, "sleep": BUSY_MS}))
    busy.start()
    time.sleep(0.2)  # the first instance is busy now
    further = timed(cove, name, {"n": 3})
    busy.join()
    cove.delete(name)
    time.sleep(0.3)  # the stem cell taken is replaced before the next
    return first, further


def invoke_apart(cove, name, params):
    """Invokes on a connection of its own (the client's one connection is the main thread's)."""
    connection = http.client.HTTPConnection("127.0.0.1", cove.port, timeout=120)
    connection.request("POST", f"/api/v1/namespaces/_/actions/{name}?blocking=true&result=true", json.dumps(params),
                 cove.headers)
    connection.getresponse().read()
    connection.close()


def timed(cove, name, params):
    start = time.perf_counter()
    status, result = cove.invoke(name, params)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200 or result != {"n": params["n"]}:
        cb.die(f"{name} answered {status} {result}")
    return elapsed


if __name__ == "__main__":
    main()
