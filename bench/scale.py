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

Density (--density N, off by default: it takes minutes): N node functions deployed (idle timeout 2 s),
--invoked of them invoked once each; the workers' resident memory (every process under the server: its
sandboxes, keepers and workers) before, at the peak, and once the idle ones stopped, against the stem
cells' alone before any deployment; and the server's heap after a full collection, per deployed function.

Budget (--budget N, off by default): N node functions of 128 MB invoked round-robin, --rounds times
over, one request at a time, on a server started with --worker-memory 2g and on one whose budget is
more than they all take (1000g; the default, half the machine's memory, would be a budget too), in turn: failures (goal: none), the workers' highest resident memory (goal: under the budget), and p50
and p99 of the requests, against the same load with no budget.

Paused (--paused N, off by default): on a server started with --pause-after 1s, per runtime, N
samples of three requests each, interleaved: to a function's idle instance (warm), to the same
instance once GET of the function shows it paused (its processes frozen; the request thaws them), and
a stem-cell cold start; p50 and p99 of each, and paused against warm and against cold (the paused tier
is worth keeping where thawing beats the cold start). Then what idle instances cost in CPU: --tickers
node functions (20) whose code left a 10 ms timer running, each invoked once, then the CPU time all
processes under the server (those alive throughout) take over 5 s, once their instances are paused,
against a server with --pause-after off.

    bench/scale.py [--samples 20] [--burst 200] [--density 1000 --invoked 200] [--budget 300 --rounds 3]
                   [--paused 30 --tickers 20]
"""

import argparse
import http.client
import json
import os
import re
import subprocess
import threading
import time

import covebench as cb

RUNTIMES = ("nodejs", "python")
GOAL_RATIO = 1.5
GOAL_P99_MS = 100.0
NAP = "import time\n\ndef main(args):\n    time.sleep(0.02)\n    return {'n': args['n']}\n"
TICKER = "let ticks = 0;\nsetInterval(() => ticks++, 10);\nfunction main(p) { return {n: p.n}; }\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--density", type=int, default=0, help="functions to deploy for the density run (0: none)")
    parser.add_argument("--invoked", type=int, default=200, help="of those, how many to invoke once")
    parser.add_argument("--budget", type=int, default=0, help="functions of the budget run (0: none)")
    parser.add_argument("--rounds", type=int, default=3, help="times the budget run invokes each")
    parser.add_argument("--paused", type=int, default=0, help="samples of the paused run (0: none)")
    parser.add_argument("--tickers", type=int, default=20, help="functions with a timer in the paused run's CPU part")
    args = parser.parse_args()
    cb.build()
    if args.paused:
        paused(args.paused)
        idle_cpu(args.tickers)
    if args.samples or args.burst:
        from_zero(args.samples, args.burst)
    if args.density:
        density(args.density, args.invoked)
    if args.budget:
        with_budget = budget_run(args.budget, args.rounds, ("--worker-memory", "2g"))
        without = budget_run(args.budget, args.rounds, ("--worker-memory", "1000g"))  # more than it needs
        print(f"\nbudget: {args.budget} functions of 128 MB, round-robin, {args.rounds} rounds")
        print(f"{'server':<12} {'failed':>7} {'RSS max MB':>11} {'p50 ms':>8} {'p99 ms':>8}")
        for what, (failed, rss, took) in (("budget 2g", with_budget), ("no budget", without)):
            print(f"{what:<12} {failed:>7} {rss:>11.0f} {cb.percentile(took, 50):>8.1f} {cb.percentile(took, 99):>8.1f}")
        verdict = "met" if with_budget[0] == 0 and with_budget[1] < 2048 else "MISSED"
        print(f"no failure and RSS under 2048 MB: {verdict}; p50 with / without the budget: "
              f"{cb.percentile(with_budget[2], 50) / cb.percentile(without[2], 50):.2f}")


def paused(samples):
    cove = cb.Cove(("--pause-after", "1s"))
    try:
        time.sleep(2)  # let the stem cells start
        print(f"{'runtime':<8} {'warm p50':>9} {'paused p50':>11} {'cold p50':>9} {'paused p99':>11}"
              f" {'/warm':>6} {'/cold':>6}")
        for runtime in RUNTIMES:
            kind, code, _ = cb.COLD[runtime]
            name = f"sleeper-{runtime}"
            cove.deploy(name, kind, code, limits={"idleTimeout": 3_600_000})
            invoke(cove, name)
            warm, thawed, cold = [], [], []
            for i in range(samples):
                warm.append(invoke(cove, name))
                await_instances(cove, name, lambda n: n.get("paused") == 1)
                thawed.append(invoke(cove, name))
                cold.append(cb.cold_start(cove, f"cold-{runtime}-{i}", runtime))
            w50, t50, c50 = cb.percentile(warm, 50), cb.percentile(thawed, 50), cb.percentile(cold, 50)
            print(f"{runtime:<8} {w50:>9.2f} {t50:>11.2f} {c50:>9.2f} {cb.percentile(thawed, 99):>11.2f}"
                  f" {t50 / w50:>6.2f} {t50 / c50:>6.2f}  thaw beats a cold start: {'yes' if t50 < c50 else 'NO'}")
    finally:
        cove.close()


def idle_cpu(tickers):
    """CPU ms that every process under a server takes in 5 s with `tickers` idle functions that keep a timer."""
    taken = {}
    for pause_after in ("1s", "off"):
        cove = cb.Cove(("--pause-after", pause_after))
        try:
            server = server_pid(cove.process.pid)
            for i in range(tickers):
                cove.deploy(f"ticker-{i}", "nodejs:20", TICKER, limits={"idleTimeout": 3_600_000})
                invoke(cove, f"ticker-{i}")
            if pause_after != "off":
                for i in range(tickers):
                    await_instances(cove, f"ticker-{i}", lambda n: n.get("paused") == 1)
            time.sleep(2)  # the instances' starts, and the stem cells' replacements, are over
            before = cpu_ms(children(server))
            time.sleep(5)
            after = cpu_ms(children(server))
            taken[pause_after] = sum(after[pid] - before[pid] for pid in before.keys() & after.keys())
        finally:
            cove.close()
    print(f"\nidle CPU: {tickers} node functions with a 10 ms timer, one idle instance each, CPU ms in 5 s of every"
          f" process under the server alive throughout")
    print(f"paused {taken['1s']:.0f}, not paused {taken['off']:.0f}"
          f" ({taken['1s'] / max(taken['off'], 1):.2f}x)")


def cpu_ms(pids):
    """The user and system CPU time each process took so far, in ms, by pid."""
    taken = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
                taken[pid] = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return taken


def await_instances(cove, name, wanted):
    """Waits until the function's instances, as GET shows them, are as wanted."""
    deadline = time.time() + 60
    while time.time() < deadline:
        status, action = cove.request("GET", f"/api/v1/namespaces/_/actions/{name}?code=false")
        if status == 200 and wanted(action.get("instances", {})):
            return
        time.sleep(0.05)
    cb.die(f"{name}'s instances did not become as wanted within 60 s")


def budget_run(functions, rounds, options):
    """(Requests that failed, the workers' highest RSS in MB, each request's ms) on a server with these options."""
    cove = cb.Cove(options)
    try:
        server = server_pid(cove.process.pid)
        code = cb.COLD["nodejs"][1]
        for i in range(functions):
            cove.deploy(f"rr-{i}", "nodejs:20", code, limits={"memory": 128})
        failed, rss, took = 0, 0.0, []
        for r in range(rounds):
            for i in range(functions):
                start = time.perf_counter()
                status, result = cove.invoke(f"rr-{i}", {"n": 1})
                took.append((time.perf_counter() - start) * 1000)
                failed += status != 200 or result != {"n": 1}
                if i % 25 == 0:
                    rss = max(rss, workers_rss_mb(server))
        return failed, rss, took
    finally:
        cove.close()


def from_zero(samples, burst_size):
    cove = cb.Cove()
    try:
        time.sleep(2)  # let the stem cells start
        print(f"{'runtime':<8} {'zero p50':>9} {'zero p99':>9} {'cold p50':>9} {'ratio':>6}  goals")
        for runtime in RUNTIMES if samples else ():
            kind, code, _ = cb.COLD[runtime]
            name = f"napper-{runtime}"
            cove.deploy(name, kind, code, limits={"idleTimeout": 1000})
            invoke(cove, name)
            zero, cold = [], []
            for i in range(samples):
                await_zero(cove, name)
                zero.append(invoke(cove, name))
                time.sleep(0.3)  # the stem cell it took is replaced, as cold_start waits between its own
                cold.append(cb.cold_start(cove, f"cold-{runtime}-{i}", runtime))
            p50, p99, cold50 = cb.percentile(zero, 50), cb.percentile(zero, 99), cb.percentile(cold, 50)
            verdict = "met" if p50 <= GOAL_RATIO * cold50 and p99 < GOAL_P99_MS else "MISSED"
            print(f"{runtime:<8} {p50:>9.1f} {p99:>9.1f} {cold50:>9.1f} {p50 / cold50:>6.2f}  "
                  f"p50 <= {GOAL_RATIO}x cold, p99 < {GOAL_P99_MS:g} ms: {verdict}")
        if burst_size:
            burst_from_zero(cove, burst_size)
    finally:
        cove.close()


def density(functions, invoked):
    cove = cb.Cove()
    try:
        time.sleep(3)  # the stem cells start
        server = server_pid(cove.process.pid)
        cells_mb, heap_before = workers_rss_mb(server), heap_mb(server)
        code = cb.COLD["nodejs"][1]
        for i in range(functions):
            cove.deploy(f"many-{i}", "nodejs:20", code, limits={"idleTimeout": 2000})
        heap_deployed = heap_mb(server)
        peak = 0.0
        for i in range(invoked):
            invoke(cove, f"many-{i}")
            if i % 20 == 19:
                peak = max(peak, workers_rss_mb(server))
        peak = max(peak, workers_rss_mb(server))
        deadline = time.time() + 120
        after = workers_rss_mb(server)
        while time.time() < deadline and after > cells_mb * 1.5:  # idle timeout, the sweep, and the stem cells' trim
            time.sleep(1)
            after = workers_rss_mb(server)
        print(f"\ndensity: {functions} functions deployed, {invoked} invoked once")
        print(f"workers' RSS MB: stem cells alone {cells_mb:.0f}, peak {peak:.0f}, after the idle timeout {after:.0f}"
              f" ({after / cells_mb:.2f}x the stem cells')")
        print(f"server heap after a full GC: {heap_before:.1f} MB before, {heap_deployed:.1f} MB with {functions}"
              f" functions: {(heap_deployed - heap_before) * 1024 / functions:.1f} KB per deployed function")
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


def server_pid(launcher):
    """The server's JVM: ./cove execs it, or runs it as a child."""
    for pid in [launcher] + children(launcher):
        if "java" in os.readlink(f"/proc/{pid}/exe"):
            return pid
    cb.die("found no server JVM under ./cove")


def children(pid):
    """Every process under pid, at any depth: one pass over /proc for the parents, then down from pid."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents.setdefault(int(stat.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except OSError:
                continue
    found, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def workers_rss_mb(server):
    """The resident memory of every process under the server (its sandboxes and workers), in MB."""
    total = 0
    for pid in children(server):
        try:
            with open(f"/proc/{pid}/status") as status:
                m = re.search(r"VmRSS:\s+(\d+) kB", status.read())
                total += int(m.group(1)) if m else 0
        except OSError:
            pass
    return total / 1024


def heap_mb(server):
    """The server's heap in use right after a full collection, in MB."""
    jcmd = os.path.join(os.path.dirname(cb.java()), "jcmd")
    subprocess.run([jcmd, str(server), "GC.run"], check=True, capture_output=True)
    out = subprocess.run([jcmd, str(server), "GC.heap_info"], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"used (\d+)K", out).group(1)) / 1024


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
