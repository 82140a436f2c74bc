#!/usr/bin/env python3
"""One hop from a function to another: within its application, over the local bus to another
application, and through the HTTP gateway, node to node and python to python, p50 and p99 as the
calling function times them.

A call within an application, to a function its worker can host, runs in the caller's worker once the
platform has offered it (a fused call, docs/worker-protocol.md "peer"); a call to another application
takes the local bus through the platform to the callee's own worker. The gateway hop needs the
calling function to reach the server's port on this machine, which a sandbox never allows, so every
hop is measured on a server started with --no-sandbox, from the same function in the same run, and
the two bus hops again on a sandboxed server, as functions run by default. Each round invokes the
calling function once per hop kind (it makes --count hops after --warmup); figures are medians over
rounds, and the ratios (gateway / hop) the medians of the rounds'.
Goal: the hop within an application under 100 us p50 and at least 10x faster than the gateway hop.

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
HOPS = ("app", "bus", "gateway", "app-sandboxed", "bus-sandboxed")
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
        results = {(r, via): [] for r in RUNTIMES for via in HOPS}
        for round_ in range(args.rounds):
            for runtime in RUNTIMES:
                for via in HOPS:
                    cove = sandboxed if via.endswith("-sandboxed") else open_cove
                    results[(runtime, via)].append(hops(cove, runtime, via.removesuffix("-sandboxed"), args))
            print(f"round {round_ + 1}: " + ", ".join(f"{r} {v} p50 {results[(r, v)][-1]['p50']:.0f} us"
                                                      for r, v in results), file=sys.stderr)
        report(results, args)
    finally:
        open_cove.close()
        sandboxed.close()


def deploy(cove):
    """The application hop-RUNTIME (the caller and near-RUNTIME, an echo) and echo-RUNTIME on its own."""
    for runtime, (kind, caller, echo) in RUNTIMES.items():
        echo_code = (cb.ROOT / "examples" / echo).read_text()
        cove.deploy_app("hop-" + runtime, {"functions": [
            {"name": "hop-" + runtime, "exec": {"kind": kind, "code": (cb.ROOT / "bench" / caller).read_text()},
             "limits": {"timeout": 300000}},
            {"name": "near-" + runtime, "exec": {"kind": kind, "code": echo_code}}]})
        cove.deploy("echo-" + runtime, kind, echo_code)


def hops(cove, runtime, via, args):
    target = ("near-" if via == "app" else "echo-") + runtime
    params = {"target": target, "via": "gateway" if via == "gateway" else "bus", "count": args.count,
              "warmup": args.warmup, "port": cove.port, "auth": cove.headers_auth()}
    status, result = cove.invoke("hop-" + runtime, params)
    if status != 200 or "p50" not in result:
        cb.die(f"hop-{runtime} via {via} answered {status} {json.dumps(result)[:300]}")
    return result


def report(results, args):
    print(f"{args.rounds} rounds of {args.count} hops each (medians; microseconds as the calling function times them)")
    print(f"{'hop':<30} {'p50 us':>8} {'p99 us':>8} {'gateway/hop p50':>16}")
    verdicts = []
    for runtime in RUNTIMES:
        gateway = results[(runtime, "gateway")]
        ratios = {}
        for via in HOPS:
            runs = results[(runtime, via)]
            extra = ""
            if via in ("app", "bus"):
                ratios[via] = cb.median([g["p50"] / r["p50"] for g, r in zip(gateway, runs)])
                rounds = ", ".join(f"{g['p50'] / r['p50']:.1f}" for g, r in zip(gateway, runs))
                extra = f"{ratios[via]:>16.1f}  (rounds: {rounds})"
            print(f"{runtime + ' -> ' + runtime + ' ' + via:<30} {cb.median([r['p50'] for r in runs]):>8.0f}"
                  f" {cb.median([r['p99'] for r in runs]):>8.0f} {extra}")
        p50 = cb.median([r["p50"] for r in results[(runtime, "app-sandboxed")]])
        ratio = ratios["app"]
        verdicts.append(f"{runtime}: hop within an application p50 {p50:.0f} us sandboxed"
                        f" ({'met' if p50 < GOAL_P50_US else 'not met'}, goal < {GOAL_P50_US} us);"
                        f" gateway/hop {ratio:.1f}x ({'met' if ratio >= GOAL_RATIO else 'not met'},"
                        f" goal >= {GOAL_RATIO}x)")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
