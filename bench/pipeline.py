#!/usr/bin/env python3
"""A four-function pipeline end to end: as an application's workflow (four Tasks over the local bus,
one request from the client) against the same four functions chained through the HTTP gateway by
the client (four blocking invocations, each result the next one's parameters: how they would run on
a platform without a local bus). Node and python pipelines, on one server, interleaved; each round
runs --runs pipelines of each kind one after another and times every one; figures are medians over
rounds of each round's p50 and p99, and the ratio (gateway / workflow) the median of the rounds'.

    bench/pipeline.py [--rounds 5] [--runs 200] [--warmup 50]
"""

import argparse
import sys
import time

import covebench as cb

STEP = {  # runtime: (kind, code of each step: adds its number to the list of steps seen)
    "nodejs": ("nodejs:20", "function main(p) { return {n: p.n + 1, seen: (p.seen || []).concat([STEP])}; }"),
    "python": ("python:3", "def main(a):\n    return {'n': a['n'] + 1, 'seen': a.get('seen', []) + [STEP]}\n"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=200, help="pipelines of each kind per round")
    parser.add_argument("--warmup", type=int, default=50, help="pipelines of each kind run first, not measured")
    args = parser.parse_args()
    cb.build()
    cove = cb.Cove()
    try:
        for runtime in STEP:
            deploy(cove, runtime)
        kinds = [(r, how) for r in STEP for how in ("workflow", "gateway")]
        for runtime, how in kinds:
            timed(cove, runtime, how, args.warmup)
        results = {k: [] for k in kinds}
        for round_ in range(args.rounds):
            for runtime, how in kinds:
                ms = timed(cove, runtime, how, args.runs)
                results[(runtime, how)].append((cb.percentile(ms, 50), cb.percentile(ms, 99)))
            print(f"round {round_ + 1}: " + ", ".join(f"{r} {h} p50 {v[-1][0]:.2f} ms"
                                                      for (r, h), v in results.items()), file=sys.stderr)
        report(results, args)
    finally:
        cove.close()


def deploy(cove, runtime):
    kind, code = STEP[runtime]
    names = [f"{runtime}-step{i}" for i in range(1, 5)]
    functions = [{"name": n, "exec": {"kind": kind, "code": code.replace("STEP", str(i + 1))}}
                 for i, n in enumerate(names)]
    states = {f"S{i}": {"Type": "Task", "Resource": n, **({"Next": f"S{i + 1}"} if i < 4 else {"End": True})}
              for i, n in enumerate(names, start=1)}
    body = {"functions": functions, "workflow": {"StartAt": "S1", "States": states}}
    cove.deploy_app(f"pipe-{runtime}", body)


def timed(cove, runtime, how, runs):
    """Runs the pipeline `runs` times; answers each run's milliseconds."""
    ms = []
    for i in range(runs):
        start = time.perf_counter()
        out = workflow(cove, runtime, i) if how == "workflow" else gateway(cove, runtime, i)
        ms.append((time.perf_counter() - start) * 1000)
        if out != {"n": i + 4, "seen": [1, 2, 3, 4]}:
            cb.die(f"the {how} pipeline of {runtime} answered {out}")
    return ms


def workflow(cove, runtime, i):
    status, execution = cove.request("POST", f"/api/v1/namespaces/_/applications/pipe-{runtime}/executions"
                                     "?blocking=true", {"n": i})
    if status != 200:
        cb.die(f"the workflow of pipe-{runtime} answered {status} {execution}")
    return execution["output"]


def gateway(cove, runtime, i):
    params = {"n": i}
    for step in range(1, 5):
        status, params = cove.invoke(f"{runtime}-step{step}", params)
        if status != 200:
            cb.die(f"{runtime}-step{step} answered {status} {params}")
    return params


def report(results, args):
    print(f"{args.rounds} rounds of {args.runs} pipelines of four functions each (medians of the rounds' figures)")
    print(f"{'pipeline':<18} {'p50 ms':>8} {'p99 ms':>8} {'gateway/workflow p50':>21}")
    for runtime in STEP:
        wf, gw = results[(runtime, "workflow")], results[(runtime, "gateway")]
        ratio = cb.median([g[0] / w[0] for g, w in zip(gw, wf)])
        for how, runs in (("workflow", wf), ("gateway", gw)):
            extra = f"{ratio:>21.2f}  (rounds: {', '.join(f'{g[0] / w[0]:.2f}' for g, w in zip(gw, wf))})" \
                if how == "gateway" else ""
            print(f"{runtime + ' ' + how:<18} {cb.median([r[0] for r in runs]):>8.2f}"
                  f" {cb.median([r[1] for r in runs]):>8.2f} {extra}")


if __name__ == "__main__":
    main()
