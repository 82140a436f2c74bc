#!/usr/bin/env python3
"""What the sandbox costs: cold start (as cold_start.py measures it) and warm invoke (as warm_invoke.py
measures it) of node and python functions on a server that sandboxes its workers, against a server
started with --no-sandbox, both running at once on their own ports and data folders. Rounds
interleave the two (cold starts one function at a time, wrk runs one target at a time, the order
flipped every round) so that noise hits them alike; each figure is the median over rounds and each
ratio, sandboxed/unsandboxed, the median of the rounds' ratios.

    bench/sandbox_cost.py [--rounds 5] [--functions 10] [--seconds 10] [--warmup 10]
"""

import sys

import covebench as cb

RUNTIMES = ("nodejs", "python")
MODES = {"sandboxed": (), "unsandboxed": ("--no-sandbox",)}
# measure: (how it is printed, the ratio sandboxed/unsandboxed it must stay within, or None)
MEASURES = {
    "cold p50": ("cold start p50 ms", ("<=", 1.10)),
    "cold p90": ("cold start p90 ms", None),
    "warm rps": ("warm req/s", (">=", 0.90)),
    "warm p50": ("warm p50 ms", ("<=", 1.10)),
    "warm p99": ("warm p99 ms", None),
}


def main():
    parser = cb.wrk_options(__doc__, rounds=5, warmup=10)
    parser.add_argument("--functions", type=int, default=10, help="cold starts per runtime, server and round")
    args = cb.wrk_start(parser)
    servers = {}
    try:
        for mode, flags in MODES.items():
            servers[mode] = cb.Cove(flags)
        print(f"sandboxed server: {servers['sandboxed'].isolation()}", file=sys.stderr)
        urls = {(mode, runtime): cove.deploy_echo(runtime) for mode, cove in servers.items() for runtime in RUNTIMES}
        for url in urls.values():  # warm up: JIT, stem cells, instances
            cb.wrk(url, args.warmup, cb.ECHO_BODY)
        results = {(runtime, measure): {mode: [] for mode in MODES} for runtime in RUNTIMES for measure in MEASURES}
        for round_ in range(args.rounds):
            modes = list(MODES) if round_ % 2 == 0 else list(reversed(MODES))
            for runtime in RUNTIMES:
                cold = {mode: [] for mode in MODES}
                for i in range(args.functions):
                    for mode in modes:
                        cold[mode].append(cb.cold_start(servers[mode], f"cold-{runtime}-{round_}-{i}", runtime))
                for mode in modes:
                    warm = cb.wrk(urls[(mode, runtime)], args.seconds, cb.ECHO_BODY)
                    if warm["errors"]:
                        cb.die(f"{runtime} on the {mode} server answered {warm['errors']} requests with an error")
                    figures = {"cold p50": cb.percentile(cold[mode], 50), "cold p90": cb.percentile(cold[mode], 90),
                               "warm rps": warm["rps"], "warm p50": warm["p50"], "warm p99": warm["p99"]}
                    for measure, value in figures.items():
                        results[(runtime, measure)][mode].append(value)
            print(f"round {round_ + 1}: " + ", ".join(
                f"{runtime} cold {ratio(results[(runtime, 'cold p50')], -1):.2f}x warm {ratio(results[(runtime, 'warm rps')], -1):.2f}x"
                for runtime in RUNTIMES), file=sys.stderr)
        report(results)
    finally:
        for cove in servers.values():
            cove.close()


def ratio(by_mode, round_):
    return by_mode["sandboxed"][round_] / by_mode["unsandboxed"][round_]


def report(results):
    print(f"{'runtime':<8} {'measure':<18} {'sandboxed':>10} {'unsandboxed':>12} {'ratio':>6}  goal")
    for (runtime, measure), by_mode in results.items():
        label, goal = MEASURES[measure]
        ratios = [ratio(by_mode, r) for r in range(len(by_mode["sandboxed"]))]
        median_ratio = cb.median(ratios)
        digits = 0 if measure == "warm rps" else 2
        line = (f"{runtime:<8} {label:<18} {cb.median(by_mode['sandboxed']):>10.{digits}f} "
                f"{cb.median(by_mode['unsandboxed']):>12.{digits}f} {median_ratio:>6.2f}")
        if goal:
            op, bound = goal
            met = median_ratio <= bound if op == "<=" else median_ratio >= bound
            line += f"  {op} {bound:.2f}: {'met' if met else 'MISSED'}"
        print(line + f"   (rounds: {' '.join(f'{r:.2f}' for r in ratios)})")


if __name__ == "__main__":
    main()
