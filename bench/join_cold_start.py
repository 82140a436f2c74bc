#!/usr/bin/env python3
"""Cold start of a further function of an application, whose worker starts inside the application's
running sandbox, against the baseline of the same run: the application's first function, which takes
a stem cell (a sandbox started ahead of need with an idle worker inside).

Each round deploys an application of two functions, invokes the first (a stem cell becomes the
application's sandbox), then the second (its worker starts in that sandbox). Both figures are from
the invocation's start to its result; each application is deleted once measured.

    bench/join_cold_start.py [--functions 20]
"""

import argparse
import sys
import time

import covebench as cb

CODE = {  # runtime: (kind, code) of both functions
    "nodejs": ("nodejs:20", "function main(p) { return {n: p.n}; }"),
    "python": ("python:3", "def main(a):\n    return {'n': a['n']}\n"),
}


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
        for runtime in CODE:
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
    """Answers the ms to the first result of the application's first function and of its second."""
    kind, code = CODE[runtime]
    body = {"functions": [{"name": f"{name}-{i}", "exec": {"kind": kind, "code": code}} for i in (1, 2)]}
    cove.deploy_app(name, body)
    first = timed(cove, f"{name}-1", {"n": 1})
    further = timed(cove, f"{name}-2", {"n": 2})
    cove.request("DELETE", f"/api/v1/namespaces/_/applications/{name}")
    time.sleep(0.3)  # the stem cell taken is replaced before the next
    return first, further


def timed(cove, name, params):
    start = time.perf_counter()
    status, result = cove.invoke(name, params)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200 or result != {"n": params["n"]}:
        cb.die(f"{name} answered {status} {result}")
    return elapsed


if __name__ == "__main__":
    main()
