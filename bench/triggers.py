#!/usr/bin/env python3
"""Triggers: a message published on a topic to the start of the function a rule subscribes to it, and
one message fanned out by a label selector to ten functions, each against a direct asynchronous
invoke of the same function in the same run; and how late a cron schedule fires (its trigger's
activation's start minus the second it was due).

Each sample sends one request from here (the time before it is sent is the start) and reads, from the
activation's result, the time the function saw when it began (python's time.time(), on this machine's
clock): p50 and p99 over the samples, and the ratio of the medians. Samples of the three kinds are
interleaved, after --warmup of each.
Goals: topic to start p50 < 1 ms; all ten of a fan-out started within 5 ms p50; cron lateness p99 < 1 s.

    bench/triggers.py [--samples 200] [--warmup 20] [--cron-seconds 30]
"""

import argparse
import json
import sys
import time

import covebench as cb

STAMP = "import time\n\ndef main(args):\n    return {'t': time.time(), 'n': args.get('n')}\n"
FANOUT = 10
GOAL_TOPIC_MS = 1.0
GOAL_FANOUT_MS = 5.0
GOAL_LATENESS_P99_MS = 1000.0
API = "/api/v1/namespaces/_"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--cron-seconds", type=int, default=30)
    args = parser.parse_args()
    cb.build()
    cove = cb.Cove()
    try:
        setup(cove)
        results = {"direct": [], "topic": [], "fanout": []}
        n = 0
        for i in range(args.warmup + args.samples):
            for kind in results:
                n += 1
                took = sample(cove, kind, n)
                if i >= args.warmup:
                    results[kind].append(took)
        lateness = cron_lateness(cove, args.cron_seconds)
        report(results, lateness)
    finally:
        cove.close()


def setup(cove):
    cove.deploy("stamp", "python:3", STAMP)
    request(cove, "PUT", f"{API}/triggers/bench-topic", {"topic": "bench"})
    request(cove, "PUT", f"{API}/rules/bench-topic-rule", {"trigger": "bench-topic", "action": "stamp"})
    for i in range(FANOUT):
        body = {"exec": {"kind": "python:3", "code": STAMP}, "labels": {"bench": "fanout"}}
        request(cove, "PUT", f"{API}/actions/fan-{i}?overwrite=true", body)
    request(cove, "PUT", f"{API}/triggers/bench-fanout", {"topic": "fanout"})
    request(cove, "PUT", f"{API}/rules/bench-fanout-rule", {"trigger": "bench-fanout", "selector": "bench=fanout"})


def request(cove, method, path, body):
    status, answer = cove.request(method, path, body)
    if status >= 300:
        cb.die(f"{method} {path} failed: {status} {answer}")
    return answer


def sample(cove, kind, n):
    """Milliseconds from the request's start to the last of its functions' starts."""
    functions = ["stamp"] if kind != "fanout" else [f"fan-{i}" for i in range(FANOUT)]
    sent = time.time()
    if kind == "direct":
        request(cove, "POST", f"{API}/actions/stamp", {"n": n})
    else:
        request(cove, "POST", f"{API}/topics/{'bench' if kind == 'topic' else 'fanout'}", {"n": n})
    return max(started(cove, f, n) for f in functions) - sent * 1000


def started(cove, function, n):
    """The start, in ms, that the function's activation for sample n reports, once it is recorded."""
    deadline = time.time() + 60
    while time.time() < deadline:
        status, found = cove.request("GET", f"{API}/activations?name={function}&limit=5&docs=true")
        for activation in found or []:
            result = activation.get("response", {}).get("result", {})
            if result.get("n") == n:
                return result["t"] * 1000
        time.sleep(0.005)
    cb.die(f"{function} did not run sample {n} within 60 s")


def cron_lateness(cove, seconds):
    """Ms between each second a 6-field cron was due and its fire's start, over the given seconds."""
    request(cove, "PUT", f"{API}/triggers/bench-cron", {"schedule": {"cron": "* * * * * *"}})
    request(cove, "PUT", f"{API}/rules/bench-cron-rule", {"trigger": "bench-cron", "action": "stamp"})
    time.sleep(seconds)  # the schedule runs on its own for this long: the wait is the measurement
    request(cove, "DELETE", f"{API}/triggers/bench-cron", None)
    status, found = cove.request("GET", f"{API}/activations?name=bench-cron&limit=200&docs=true")
    starts = sorted(a["start"] for a in found or [])
    if len(set(s // 1000 for s in starts)) != len(starts):
        cb.die(f"a second fired twice: {starts}")
    return [s % 1000 for s in starts]


def report(results, lateness):
    direct = cb.median(results["direct"])
    print(f"{'what':10} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}  goal")
    for kind, goal in (("direct", None), ("topic", GOAL_TOPIC_MS), ("fanout", GOAL_FANOUT_MS)):
        p50 = cb.median(results[kind])
        verdict = "(baseline)" if goal is None else f"p50 < {goal:g} ms: {'met' if p50 < goal else 'MISSED'}"
        print(f"{kind:10} {p50:8.2f} {cb.percentile(results[kind], 99):8.2f} {p50 / direct:6.2f}  {verdict}")
    p99 = cb.percentile(lateness, 99)
    print(f"{'cron late':10} {cb.median(lateness):8.2f} {p99:8.2f} {'':>6}  "
          f"p99 < {GOAL_LATENESS_P99_MS:g} ms over {len(lateness)} fires, none doubled: "
          f"{'met' if p99 < GOAL_LATENESS_P99_MS else 'MISSED'}")
    print(json.dumps({k: {"p50": cb.median(v), "p99": cb.percentile(v, 99)} for k, v in results.items()}),
          file=sys.stderr)


if __name__ == "__main__":
    main()
