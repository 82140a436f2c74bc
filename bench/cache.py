#!/usr/bin/env python3
"""A cache get from inside a function, node and python, with the embedded cache and with Redis,
against the worker's bare round trip to the platform in the same run (a call the platform refuses at
once: the frame there and back with no work). A get of an entry that is there is timed over and over
(the worker answers it from its copy after the first, with either backend: with Redis while the
platform hears Redis's reports of changes), and so is a get of an entry the function has just written
again (the write drops any copy: the get goes to the platform, and with Redis on to Redis).
The calling function times --count operations of each kind per round; figures are medians over
rounds of the rounds' p50 and p99. Goals: a get under 50 us p50 embedded, under 150 us with Redis.

    bench/cache.py [--rounds 5] [--count 5000] [--warmup 1000]
"""

import argparse
import os
import secrets
import subprocess
import sys
import time

import covebench as cb

RUNTIMES = {"nodejs": ("nodejs:20", "cache_getter.js"), "python": ("python:3", "cache_getter.py")}
GOALS_US = {"embedded": 50, "redis": 150}
VIAS = ("cache", "written", "bare")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=1000)
    args = parser.parse_args()
    cb.require("redis-server", "redis-server")
    cb.build()
    password = secrets.token_hex(16)
    redis_port = cb.free_port()
    redis = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
                              "--appendonly", "no", "--requirepass", password],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    servers = {}
    try:
        cb.wait_for_port(redis_port)
        servers["embedded"] = cb.Cove()
        os.environ["COVE_CACHE_REDIS_PASSWORD"] = password
        servers["redis"] = cb.Cove(["--cache-redis", f"127.0.0.1:{redis_port}"])
        del os.environ["COVE_CACHE_REDIS_PASSWORD"]
        for cove in servers.values():
            for runtime, (kind, file) in RUNTIMES.items():
                cove.deploy("getter-" + runtime, kind, (cb.ROOT / "bench" / file).read_text(), {"timeout": 300000})
        results = {}
        for round_ in range(args.rounds):
            for backend, cove in servers.items():
                for runtime in RUNTIMES:
                    for via in VIAS:
                        results.setdefault((backend, runtime, via), []).append(timed(cove, runtime, via, args))
            print(f"round {round_ + 1}: " + ", ".join(f"{b} {r} {v} {x[-1]['p50']:.0f} us"
                                                      for (b, r, v), x in results.items()), file=sys.stderr)
        report(results, args)
    finally:
        for cove in servers.values():
            cove.close()
        redis.terminate()


def timed(cove, runtime, via, args):
    status, result = cove.invoke("getter-" + runtime, {"via": via, "count": args.count, "warmup": args.warmup})
    if status != 200 or "p50" not in result:
        cb.die(f"getter-{runtime} via {via} answered {status} {result}")
    return result


def report(results, args):
    print(f"{args.rounds} rounds of {args.count} operations each (medians; microseconds as the function times them)")
    print(f"{'backend':<9} {'runtime':<7} {'get p50':>8} {'get p99':>8} {'written p50':>12} {'written p99':>12}"
          f" {'bare p50':>9} {'bare p99':>9}  goal")
    for backend in GOALS_US:
        for runtime in RUNTIMES:
            get, written, bare = (results[(backend, runtime, via)] for via in VIAS)
            p50 = cb.median([r["p50"] for r in get])
            verdict = "met" if p50 < GOALS_US[backend] else "not met"
            print(f"{backend:<9} {runtime:<7} {p50:>8.0f} {cb.median([r['p99'] for r in get]):>8.0f}"
                  f" {cb.median([r['p50'] for r in written]):>12.0f} {cb.median([r['p99'] for r in written]):>12.0f}"
                  f" {cb.median([r['p50'] for r in bare]):>9.0f} {cb.median([r['p99'] for r in bare]):>9.0f}"
                  f"  get p50 < {GOALS_US[backend]} us: {verdict}")


if __name__ == "__main__":
    main()
