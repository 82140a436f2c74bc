#!/usr/bin/env python3
"""One hop from a function to another: over the local bus (ctx.invoke) against the same hop through
the HTTP gateway, node to node and python to python, p50 and p99 as the calling function times them.

The gateway hop needs the calling function to reach the server's port on this machine, which a
sandbox never allows, so both hops are measured on a server started with --no-sandbox, from the same
function in the same run; the bus hop is measured again on a sandboxed server, as functions run by
default. Each round invokes the calling function once per hop kind (it makes --count hops after
--warmup); figures are medians over rounds, and the ratio (gateway / bus) the median of the rounds'.
Goal: the bus hop under 100 us p50 and at least 10x faster than the gateway hop.

    bench/local_hop.py [--rounds 5] [--count 2000] [--warmup 300]
"""

import argparse
import json
import sys

import covebench as cb

RUNTIMES = {  # runtime: (kind, caller file in bench/, echo file in examples/)
    "nodejs": ("nodejs:20", "hop_caller.js", "echo.js"),
    "python": ("python:3", "hop_caller.py", "echo.py"),
}
GOAL_P50_US = 100
GOAL_RATIO = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=2000, help="hops measured per invocation")
    parser.add_argument("--warmup", type=int, default=300, help="hops made first, not measured")
    args = parser.parse_args()
    cb.build()
    open_cove = cb.Cove(["--no-sandbox"])
    try:
        sandboxed = cb.Cove()
    except BaseException:
        open_cove.close()
        raise
    try:
        for cove in (open_cove, sandboxed):
            deploy(cove)
        results = {(r, via): [] for r in RUNTIMES for via in ("bus", "gateway", "bus-sandboxed")}
        for round_ in range(args.rounds):
            for runtime in RUNTIMES:
                results[(runtime, "bus")].append(hops(open_cove, runtime, "bus", args))
                results[(runtime, "gateway")].append(hops(open_cove, runtime, "gateway", args))
                results[(runtime, "bus-sandboxed")].append(hops(sandboxed, runtime, "bus", args))
            print(f"round {round_ + 1}: " + ", ".join(f"{r} {v} p50 {results[(r, v)][-1]['p50']:.0f} us"
                                                      for r, v in results), file=sys.stderr)
        report(results, args)
    finally:
        open_cove.close()
        sandboxed.close()


def deploy(cove):
    for runtime, (kind, caller, echo) in RUNTIMES.items():
        cove.deploy("hop-" + runtime, kind, (cb.ROOT / "bench" / caller).read_text(), {"timeout": 300000})
        cove.deploy("echo-" + runtime, kind, (cb.ROOT / "examples" / echo).read_text())


def hops(cove, runtime, via, args):
    params = {"target": "echo-" + runtime, "via": via.removesuffix("-sandboxed"), "count": args.count,
              "warmup": args.warmup, "port": cove.port, "auth": cove.headers_auth()}
    status, result = cove.invoke("hop-" + runtime, params)
    if status != 200 or "p50" not in result:
        cb.die(f"hop-{runtime} via {via} answered {status} {json.dumps(result)[:300]}")
    return result


def report(results, args):
    print(f"{args.rounds} rounds of {args.count} hops each (medians; microseconds as the calling function times them)")
    print(f"{'hop':<24} {'p50 us':>8} {'p99 us':>8} {'gateway/bus p50':>16}")
    verdicts = []
    for runtime in RUNTIMES:
        bus, gateway = results[(runtime, "bus")], results[(runtime, "gateway")]
        ratio = cb.median([g["p50"] / b["p50"] for g, b in zip(gateway, bus)])
        rounds = ", ".join(f"{g['p50'] / b['p50']:.1f}" for g, b in zip(gateway, bus))
        for via in ("bus", "gateway", "bus-sandboxed"):
            runs = results[(runtime, via)]
            extra = f"{ratio:>16.1f}  (rounds: {rounds})" if via == "gateway" else ""
            print(f"{runtime + ' -> ' + runtime + ' ' + via:<24} {cb.median([r['p50'] for r in runs]):>8.0f}"
                  f" {cb.median([r['p99'] for r in runs]):>8.0f} {extra}")
        p50 = cb.median([r["p50"] for r in results[(runtime, "bus-sandboxed")]])
        verdicts.append(f"{runtime}: bus p50 {p50:.0f} us sandboxed ({'met' if p50 < GOAL_P50_US else 'not met'}"
                        f", goal < {GOAL_P50_US} us); gateway/bus {ratio:.1f}x"
                        f" ({'met' if ratio >= GOAL_RATIO else 'not met'}, goal >= {GOAL_RATIO}x)")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
