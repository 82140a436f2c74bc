#!/usr/bin/env python3
"""Scaling from zero: a function whose instances all stopped for being idle, then one request, from the
request to its result, p50 and p99 over --samples per runtime, against a stem-cell cold start of the
same runtime in the same run (a freshly deployed function's first request, as bench/cold_start.py
measures it), samples of the two interleaved.

Each function runs with an idle timeout of 1 s; before each sample the script waits until GET of the
function shows no instance left (the server stops idle ones within a second of their timeout).
Goals: from zero p50 <= 1.5x the cold start's p50, p99 < 100 ms.

Burst from zero: --burst concurrent requests (200) to a python function at zero that sleeps 20 ms,
concurrency 1 per instance and 20 instances at most: every one must succeed; p50 and p99 from each
request to its result, against the same burst right after, when the 20 instances are warm.

    bench/scale.py [--samples 20] [--burst 200]
"""

import argparse
import http.client
import json
import threading
import time

import covebench as cb

RUNTIMES = ("nodejs", "python")
GOAL_RATIO = 1.5
GOAL_P99_MS = 100.0
NAP = "import time\n\ndef main(args):\n    time.sleep(0.02)\n    return {'n': args['n']}\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--burst", type=int, default=200)
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
        burst_from_zero(cove, args.burst)
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


def burst_from_zero(cove, size):
    cove.deploy("burst", "python:3", NAP, limits={"idleTimeout": 1000, "concurrency": 1, "maxInstances": 20})
    invoke(cove, "burst")
    await_zero(cove, "burst")
    cold = burst(cove, "burst", size)
    warm = burst(cove, "burst", size)
    print(f"\n{'burst':<8} {'ok':>5} {'p50 ms':>8} {'p99 ms':>8}")
    for what, (ok, took) in (("zero", cold), ("warm", warm)):
        print(f"{what:<8} {ok:>5} {cb.percentile(took, 50):>8.1f} {cb.percentile(took, 99):>8.1f}")
    verdict = "met" if cold[0] == size else "MISSED"
    print(f"all {size} from zero succeed: {verdict}; p99 from zero / warm: "
          f"{cb.percentile(cold[1], 99) / cb.percentile(warm[1], 99):.2f}")


def burst(cove, name, size):
    """Sends size blocking invocations at once, one connection each: (how many answered 200, the ms of each)."""
    results = [None] * size
    start = threading.Barrier(size)

    def one(i):
        connection = http.client.HTTPConnection("127.0.0.1", cove.port, timeout=120)
        body = json.dumps({"n": i})
        start.wait()
        began = time.perf_counter()
        connection.request("POST", f"/api/v1/namespaces/_/actions/{name}?blocking=true&result=true", body,
                           headers=cove.headers)
        response = connection.getresponse()
        response.read()
        results[i] = (response.status, (time.perf_counter() - began) * 1000)
        connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(size)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(1 for status, _ in results if status == 200), [took for _, took in results]


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
