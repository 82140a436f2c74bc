#!/usr/bin/env python3
"""Scaling from zero: a function whose instances all stopped for being idle, then one request, from the
request to its result, p50 and p99 over --samples per runtime, against a stem-cell cold start of the
same runtime in the same run (a freshly deployed function's first request, as bench/cold_start.py
measures it), samples of the two interleaved.

Each function runs with an idle timeout of 1 s; before each sample the script waits until GET of the
function shows no instance left (the server stops idle ones within a second of their timeout).
Goals: from zero p50 <= 1.5x the cold start's p50, p99 < 100 ms.

    bench/scale.py [--samples 20]
"""

import argparse
import time

import covebench as cb

RUNTIMES = ("nodejs", "python")
GOAL_RATIO = 1.5
GOAL_P99_MS = 100.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    cb.build()
    cove = cb.Cove()
    try:
        time.sleep(2)  # let the stem cells start
        print(f"{'runtime':<8} {'zero p50':>9} {'zero p99':>9} {'cold p50':>9} {'ratio':>6}  goals")
        for runtime in RUNTIMES:
            kind, code, _ = cb.COLD[runtime]
            name = f"napper-{runtime}"
            cove.deploy(name, kind, code, limits={"idleTimeout": 1000})
            invoke(cove, name)
            zero, cold = [], []
            for i in range(args.samples):
                await_zero(cove, name)
                zero.append(invoke(cove, name))
                time.sleep(0.3)  # the stem cell it took is replaced, as cold_start waits between its own
                cold.append(cb.cold_start(cove, f"cold-{runtime}-{i}", runtime))
            p50, p99, cold50 = cb.percentile(zero, 50), cb.percentile(zero, 99), cb.percentile(cold, 50)
            verdict = "met" if p50 <= GOAL_RATIO * cold50 and p99 < GOAL_P99_MS else "MISSED"
            print(f"{runtime:<8} {p50:>9.1f} {p99:>9.1f} {cold50:>9.1f} {p50 / cold50:>6.2f}  "
                  f"p50 <= {GOAL_RATIO}x cold, p99 < {GOAL_P99_MS:g} ms: {verdict}")
    finally:
        cove.close()


def invoke(cove, name):
    """Ms from the request to its result."""
    start = time.perf_counter()
    status, result = cove.invoke(name, {"n": 1})
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200 or result != {"n": 1}:
        cb.die(f"{name} answered {status} {result}")
    return elapsed


def await_zero(cove, name):
    """Waits until the function has no instance: the idle sweep stops it, and says so to nobody."""
    deadline = time.time() + 60
    while time.time() < deadline:
        status, action = cove.request("GET", f"/api/v1/namespaces/_/actions/{name}?code=false")
        if status == 200 and sum(action.get("instances", {}).values()) == 0:
            return
        time.sleep(0.05)
    cb.die(f"{name} did not scale to zero within 60 s")


if __name__ == "__main__":
    main()
