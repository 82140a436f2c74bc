#!/usr/bin/env python3
"""Warm invoke over HTTP: wrk (2 threads, 64 keep-alive connections, a 61-byte JSON POST) against an
echo function in each runtime at /fn/NAME (Java's twice: inline, and in the process tier), and against a bare Vert.x echo server started by this
script, which is the limit for an HTTP service on this machine. Rounds interleave the targets so that
noise hits them alike; each figure is the median over rounds, and each ratio the median of the
rounds' ratios to the bare server of the same round.

    bench/warm_invoke.py [--rounds 3] [--seconds 10] [--warmup 15]
"""

import subprocess
import sys

import covebench as cb

GOALS = {"java": 0.6, "java-process": 0.3, "nodejs": 0.2, "python": 0.2}  # runtime: the ratio to the bare server it must reach
P99_TARGET_MS = 10.0


def main():
    args = cb.wrk_start(cb.wrk_options(__doc__, rounds=3, warmup=15))
    bare_port = cb.free_port()
    bare = subprocess.Popen([cb.java(), "-cp", str(cb.JAR), str(cb.ROOT / "bench" / "BareEcho.java"), str(bare_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        cove = cb.Cove()
    except BaseException:
        bare.kill()
        raise
    try:
        cb.wait_for_port(bare_port)
        urls = {"bare": f"http://127.0.0.1:{bare_port}/"}
        urls.update({r: cove.deploy_echo(r) for r in GOALS})
        for name, url in urls.items():  # warm up: JIT, stem cells, instances
            cb.wrk(url, args.warmup, cb.ECHO_BODY)
        results = {name: [] for name in urls}
        for round_ in range(args.rounds):
            for name, url in urls.items():
                results[name].append(cb.wrk(url, args.seconds, cb.ECHO_BODY))
            print(f"round {round_ + 1}: " + ", ".join(f"{n} {r[-1]['rps']:.0f}/s" for n, r in results.items()),
                  file=sys.stderr)
        report(results)
    finally:
        cove.close()
        bare.terminate()


def report(results):
    bare = results["bare"]
    print(f"{'target':<12} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7} {'ratio':>6}  goal")
    for name, runs in results.items():
        rps = cb.median([r["rps"] for r in runs])
        p50 = cb.median([r["p50"] for r in runs])
        p99 = cb.median([r["p99"] for r in runs])
        errors = sum(r["errors"] for r in runs)
        if name == "bare":
            print(f"{name:<12} {rps:>9.0f} {p50:>7.2f} {p99:>7.2f} {errors:>7} {1:>6.2f}  (baseline)")
            continue
        ratio = cb.median([r["rps"] / b["rps"] for r, b in zip(runs, bare)])
        goal = GOALS[name]
        verdict = "met" if ratio >= goal and p99 < P99_TARGET_MS and errors == 0 else "MISSED"
        print(f"{name:<12} {rps:>9.0f} {p50:>7.2f} {p99:>7.2f} {errors:>7} {ratio:>6.2f}  "
              f">= {goal} of bare, p99 < {P99_TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
