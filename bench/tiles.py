#!/usr/bin/env python3
"""The tiles example (examples/tiles): the latency of a tile over HTTP (/fn/tile?z=&x=&y=) with a
cold cache (the tile comes from the slow origin, which takes --delay-ms) and with a warm one, against
the origin's delay, in the same run. Each round asks for --tiles tiles never asked for before, then
for each of them again; figures are medians over rounds of the rounds' p50 and p99.

    bench/tiles.py [--rounds 5] [--tiles 50] [--delay-ms 100]
"""

import argparse
import http.client
import sys
import time

import covebench as cb


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tiles", type=int, default=50)
    parser.add_argument("--delay-ms", type=int, default=100)
    args = parser.parse_args()
    cb.build()
    cove = cb.Cove()
    try:
        deploy(cove, args.delay_ms)
        web = http.client.HTTPConnection("127.0.0.1", cove.port, timeout=60)
        get(web, 0, 0, 0)  # the origin starts, the instances are warm
        cold, warm = [], []
        for round_ in range(args.rounds):
            tiles = [(round_ + 1, i, i * 7 % 13) for i in range(args.tiles)]
            first = [get(web, *t) for t in tiles]
            second = [get(web, *t) for t in tiles]
            if any(hit for hit, _ in first) or not all(hit for hit, _ in second):
                cb.die("a first request was a hit or a second one a miss: the cache is not doing its job")
            cold.append([ms for _, ms in first])
            warm.append([ms for _, ms in second])
            print(f"round {round_ + 1}: cold p50 {cb.percentile(cold[-1], 50):.1f} ms, "
                  f"warm p50 {cb.percentile(warm[-1], 50):.2f} ms", file=sys.stderr)
        report(cold, warm, args)
    finally:
        cove.close()


def deploy(cove, delay_ms):
    app = cb.ROOT / "examples" / "tiles"
    body = {"functions": [
        {"name": "tile", "exec": {"kind": "python:3", "code": (app / "tile.py").read_text()}},
        {"name": "origin", "exec": {"kind": "nodejs:20", "code": (app / "origin.js").read_text()},
         "parameters": [{"key": "delayMs", "value": delay_ms}]}]}
    cove.deploy_app("tiles", body)


def get(web, z, x, y):
    """Answers whether the tile was a cache hit, and the milliseconds it took."""
    start = time.perf_counter()
    web.request("GET", f"/fn/tile?z={z}&x={x}&y={y}")
    response = web.getresponse()
    body = response.read()
    ms = (time.perf_counter() - start) * 1000
    if response.status != 200 or not body.startswith(b"\x89PNG"):
        cb.die(f"tile {z}/{x}/{y} answered {response.status} {body[:200]!r}")
    return response.getheader("x-cache") == "hit", ms


def report(cold, warm, args):
    print(f"{args.rounds} rounds of {args.tiles} tiles (medians of the rounds' figures), origin delay {args.delay_ms} ms")
    for name, runs in (("cold cache", cold), ("warm cache", warm)):
        p50 = cb.median([cb.percentile(r, 50) for r in runs])
        p99 = cb.median([cb.percentile(r, 99) for r in runs])
        print(f"{name:<11} p50 {p50:>8.2f} ms  p99 {p99:>8.2f} ms  {p50 / args.delay_ms:>6.3f} of the origin's delay")
    speedup = cb.median([cb.percentile(c, 50) / cb.percentile(w, 50) for c, w in zip(cold, warm)])
    print(f"warm is {speedup:.0f}x faster than cold at p50")


if __name__ == "__main__":
    main()
