#!/usr/bin/env python3
"""Noisy neighbours: the latency of a healthy echo function (node, python, and Java inline) on a quiet
server, against its latency while bombs run in other functions of the same server: a memory bomb
(bench/memory_bomb.js), a fork bomb (bench/fork_bomb.py), and two Java bombs in the inline tier, inside
the server's own JVM: an endless loop (bench/inline_loop.java) and a memory bomb
(bench/inline_memory_bomb.java). The bombs are invoked over and over by callers of their own, a few at
once, all through the noisy window: each activation ends when its sandbox's memory limit kills it
(the memory bombs; the Java one is stopped inline at its first call, then runs again in a JVM worker,
the process tier it stays in) or when its time limit does (the fork bomb, held at its pids limit;
the endless loop, stopped inline once it has used the CPU an inline activation may, and run again in
a JVM worker until its time limit). A Java function stopped inline runs in the process tier from then
on, so the endless loop is deployed many times over and each call takes a copy never called before:
every one of its calls starts inline, the worst case. The kernel's log says how many sandboxes the
memory limit killed and how many met the pids limit.

Before the rounds, a warm-up window (not counted) runs the load and the bombs together: a young
server's JIT compiler otherwise spends the first noisy window compiling the code that kills and
replaces sandboxes, on the CPUs the healthy function needs, which is a cost of starting the server,
not of its neighbours.

The healthy function gets a steady load well below what it can serve (wrk, 2 threads, a few
keep-alive connections, each waiting a moment after every answer), so that its latency shows what
the bombs take from it, not how a saturated server shares its CPU. Rounds interleave quiet and noisy
windows, the order flipped every round; each figure is the median over rounds and each ratio,
noisy/quiet, the median of the rounds' ratios.

    bench/noisy_neighbours.py [--rounds 3] [--seconds 10] [--connections 8] [--think-ms 10] [--callers 2]
                              [--bombs memory-bomb,fork-bomb,inline-loop,inline-memory-bomb]
"""

import collections
import http.client
import os
import re
import select
import sys
import threading
import time

import covebench as cb

RUNTIMES = ("nodejs", "python", "java")
BOMBS = {  # name: (file in bench/, kind, limits, tier, copies: how many of it to deploy, each called once at most)
    "memory-bomb": ("memory_bomb.js", "nodejs:20", {"memory": 128, "timeout": 10000}, None, 1),
    "fork-bomb": ("fork_bomb.py", "python:3", {"memory": 128, "timeout": 2000}, None, 1),
    "inline-loop": ("inline_loop.java", "java:21", {"memory": 128, "timeout": 2000}, "inline", 150),
    "inline-memory-bomb": ("inline_memory_bomb.java", "java:21", {"memory": 128, "timeout": 10000}, "inline", 1),
}
P99_GOAL = 3.0
SETTLE_SECONDS = 2
# A caller starts at most one activation this often: an activation sent to an instance that has just
# died is answered at once, and without a floor the callers would flood the API instead of bombing.
CALL_INTERVAL_SECONDS = 0.1


def main():
    parser = cb.wrk_options(__doc__, rounds=3, warmup=10)
    parser.add_argument("--connections", type=int, default=8, help="wrk's connections to the healthy function")
    parser.add_argument("--think-ms", type=int, default=10, help="each connection's pause after an answer")
    parser.add_argument("--callers", type=int, default=2, help="callers invoking each bomb at once")
    parser.add_argument("--bombs", default=",".join(BOMBS), help="the bombs to run, by name (default: all)")
    args = cb.wrk_start(parser)
    for name in set(BOMBS) - set(args.bombs.split(",")):
        del BOMBS[name]
    cove = cb.Cove()
    try:
        isolation = cove.isolation()
        if "cgroup" not in isolation or "no cgroup" in isolation:
            cb.die(f"the server has no cgroup limits ({isolation}): the bombs would take the machine down")
        print(f"server: {isolation}", file=sys.stderr)
        urls = {runtime: cove.deploy_echo(runtime) for runtime in RUNTIMES}
        for name, (file, kind, limits, tier, copies) in BOMBS.items():
            code = (cb.ROOT / "bench" / file).read_text()
            for copy in range(copies):
                cove.deploy(copy_name(name, copy), kind, code, limits, tier)
        load = dict(connections=args.connections, think_ms=args.think_ms)
        bombs = Bombs(cove, args.callers)  # warms up the paths that kill and replace the bombs, too
        try:
            for url in urls.values():
                cb.wrk(url, args.warmup, cb.ECHO_BODY, **load)
        finally:
            bombs.stop()
        time.sleep(SETTLE_SECONDS)
        results = {(runtime, window): [] for runtime in RUNTIMES for window in ("quiet", "noisy")}
        outcomes = collections.Counter()
        kernel = KernelLog(cove.process.pid)
        for round_ in range(args.rounds):
            for window in (("quiet", "noisy") if round_ % 2 == 0 else ("noisy", "quiet")):
                bombs = Bombs(cove, args.callers) if window == "noisy" else None
                try:
                    for runtime, url in urls.items():
                        results[(runtime, window)].append(cb.wrk(url, args.seconds, cb.ECHO_BODY, **load))
                finally:
                    if bombs:
                        outcomes.update(bombs.stop())
                time.sleep(SETTLE_SECONDS)  # the last bombs' sandboxes are torn down, their stem cells replaced
            print(f"round {round_ + 1}: " + ", ".join(
                f"{r} p99 {results[(r, 'quiet')][-1]['p99']:.2f} -> {results[(r, 'noisy')][-1]['p99']:.2f} ms"
                for r in RUNTIMES), file=sys.stderr)
        report(results, args)
        report_bombs(outcomes, kernel.stop(), args)
    finally:
        cove.close()


def copy_name(bomb, copy):
    """The name of a bomb's copy: the bomb's own name for a bomb deployed once."""
    return bomb if BOMBS[bomb][4] == 1 else f"{bomb}-{copy}"


class Bombs:
    """Callers that invoke every bomb over and over, each on its own connection, until stopped."""
    # copies called so far, by bomb, across every window
    called = collections.Counter()

    def __init__(self, cove, callers):
        self.cove = cove
        self.stopping = threading.Event()
        self.outcomes = collections.Counter()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.call, args=(name,), daemon=True)
                        for name in BOMBS for _ in range(callers)]
        for thread in self.threads:
            thread.start()

    def next_copy(self, name):
        """The bomb's next copy to call: one never called before, while there are any; else the last."""
        with self.lock:
            copy = min(Bombs.called[name], BOMBS[name][4] - 1)
            Bombs.called[name] += 1
        return copy_name(name, copy)

    def call(self, name):
        connection = http.client.HTTPConnection("127.0.0.1", self.cove.port, timeout=60)
        next_call = time.perf_counter()
        while not self.stopping.wait(max(0.0, next_call - time.perf_counter())):
            next_call = time.perf_counter() + CALL_INTERVAL_SECONDS
            path = f"/api/v1/namespaces/_/actions/{self.next_copy(name)}?blocking=true&result=true"
            try:
                connection.request("POST", path, body="{}", headers=self.cove.headers)
                response = connection.getresponse()
                answer = response.read().decode(errors="replace")
                outcome = f"{name}: {response.status} {outcome_of(answer)}"
            except (OSError, http.client.HTTPException) as e:
                connection.close()  # reconnects on the next request
                outcome = f"{name}: no answer ({type(e).__name__})"
            with self.lock:
                self.outcomes[outcome] += 1
        connection.close()

    def stop(self):
        """Stops the callers once their activations under way have ended; answers what the bombs met."""
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        return self.outcomes


def outcome_of(answer):
    """The error message of an answer without its numbers, so that like outcomes are counted together."""
    match = re.search(r'"error"\s*:\s*"([^"]*)"', answer)
    return re.sub(r"\d+", "N", match.group(1)) if match else answer[:60]


class KernelLog:
    """Follows the kernel's log (/dev/kmsg, root only) from now on and keeps what it says about this
    server's sandboxes: OOM kills, with the program killed, and sandboxes refused a fork by their pids
    limit (said once per sandbox). Followed, not read afterwards: it is a ring, and the task lists of
    OOM reports fill it in seconds."""

    def __init__(self, server_pid):
        self.group = f"/cove-{server_pid}/"
        self.events = collections.Counter()
        self.lost = 0
        try:
            self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            self.fd = None
            return
        os.lseek(self.fd, 0, os.SEEK_END)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.follow, daemon=True)
        self.thread.start()

    def follow(self):
        while not self.stopping.is_set():
            select.select([self.fd], [], [], 0.2)
            while True:
                try:
                    record = os.read(self.fd, 8192).decode(errors="replace")
                except BlockingIOError:
                    break
                except BrokenPipeError:  # records were overwritten before they were read
                    self.lost += 1
                    continue
                self.note(record.split(";", 1)[-1])

    def note(self, message):
        if self.group not in message:
            return
        if message.startswith("oom-kill:"):
            task = re.search(r"task=([^,\s]+)", message)
            self.events[f"OOM kills of {task.group(1) if task else 'a process'}"] += 1
        elif "fork rejected by pids controller" in message:
            self.events["sandboxes refused a fork by their pids limit"] += 1

    def stop(self):
        """Answers what was seen, or None where the log could not be read."""
        if self.fd is None:
            return None
        self.stopping.set()
        self.thread.join()
        os.close(self.fd)
        if self.lost:
            self.events["(records lost: the log outran this reader)"] = self.lost
        return self.events


def report(results, args):
    print(f"healthy function: {args.connections} connections, {args.think_ms} ms between a connection's requests;"
          f" bombs: {args.callers} callers each")
    print(f"{'runtime':<8} {'window':<6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}")
    for (runtime, window), runs in results.items():
        print(f"{runtime:<8} {window:<6} {cb.median([r['rps'] for r in runs]):>7.0f} "
              f"{cb.median([r['p50'] for r in runs]):>7.2f} {cb.median([r['p99'] for r in runs]):>7.2f} "
              f"{sum(r['errors'] for r in runs):>7}")
    print(f"{'runtime':<8} {'p50 noisy/quiet':>16} {'p99 noisy/quiet':>16}  goal")
    for runtime in RUNTIMES:
        quiet, noisy = results[(runtime, "quiet")], results[(runtime, "noisy")]
        ratios = {p: [n[p] / q[p] for n, q in zip(noisy, quiet)] for p in ("p50", "p99")}
        p99 = cb.median(ratios["p99"])
        print(f"{runtime:<8} {cb.median(ratios['p50']):>16.2f} {p99:>16.2f}  p99 < {P99_GOAL:.0f}x: "
              f"{'met' if p99 < P99_GOAL else 'MISSED'}   (rounds p99: {' '.join(f'{r:.2f}' for r in ratios['p99'])})")


def report_bombs(outcomes, kernel, args):
    print(f"bomb activations over {args.rounds} noisy windows:")
    for name in BOMBS:
        calls = {k: v for k, v in outcomes.items() if re.match(rf"{re.escape(name)}(-\d+)?: ", k)}
        total = sum(calls.values())
        print(f"  {name}: {total} activations")
        for outcome, count in sorted(calls.items(), key=lambda kv: -kv[1]):
            print(f"    {count:>5}  {outcome.split(': ', 1)[1]}")
    if kernel is not None:
        print("  kernel log: " + (", ".join(f"{k} {v}" for k, v in sorted(kernel.items())) or "nothing"))


if __name__ == "__main__":
    main()
