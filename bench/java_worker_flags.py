#!/usr/bin/env python3
"""The Java worker's JVM flags, each set measured through the platform on stem cells: one server per
set and round (the worker's flags given with the server's -Dcove.java.workerFlags, which replaces the
platform's choice and its class-data archive), rounds interleaving the sets. Per set: the time from a
stem cell's spawn to its hello (the server's own figure, from its debug log), the CPU and memory
(RSS) of an idle stem cell, cold starts of a process-tier function from a stem cell (deployment's
answer to the first result), and the warm echo at /fn/NAME (wrk, 2 threads, 64 connections) with the
worker's RSS after it. Each ratio is the median of the rounds' ratios to the first set of the round.

    bench/java_worker_flags.py [--rounds 3] [--cold 8] [--seconds 5] [--warmup 5] [--sets a,b]
"""

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import covebench as cb

BASE = ["-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xms8m", "-Xmx4096m"]  # ProcessRuntime.JVM_FLAGS
SETS = {  # name: the worker JVM's flags before -jar, or None for the platform's own (with its archive)
    "platform": None,
    "no-archive": BASE,
    "jvm-defaults": ["-Xshare:auto"],
    "c1-only": BASE + ["-XX:TieredStopAtLevel=1"],
    "c2-only": BASE + ["-XX:-TieredCompilation"],
    "perfdata": [f for f in BASE if f != "-XX:-UsePerfData"],
    "one-compiler-thread": BASE + ["-XX:CICompilerCount=2", "-XX:-UseDynamicNumberOfCompilerThreads"],
    "xss256k": BASE + ["-Xss256k"],
    "codecache32m": BASE + ["-XX:ReservedCodeCacheSize=32m"],
    "no-cds": BASE + ["-Xshare:off"],
}
ARCHIVE_MADE = "made the Java worker's class-data archive"
HELLO = re.compile(r"java worker \d+ is a stem cell, (\d+) us after its spawn")
LOGBACK = """<configuration>
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder></appender>
  <logger name="io.netty" level="WARN"/><logger name="io.vertx" level="WARN"/>
  <logger name="dev.cove.core.runtime.ProcessWorker" level="DEBUG"/>
  <root level="INFO"><appender-ref ref="STDERR"/></root>
</configuration>
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", type=int, default=8, help="cold starts per set and round")
    parser.add_argument("--seconds", type=int, default=5, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of wrk before it")
    parser.add_argument("--sets", help="comma-separated names of the sets to measure, the first the baseline")
    args = parser.parse_args()
    cb.require("wrk", "wrk")
    cb.build()
    names = args.sets.split(",") if args.sets else list(SETS)
    logback = Path(tempfile.mkstemp(suffix=".xml")[1])
    logback.write_text(LOGBACK)
    results = {name: [] for name in names}
    try:
        for round_ in range(args.rounds):
            for name in names:
                results[name].append(measure(SETS[name], args, logback))
                r = results[name][-1]
                print(f"round {round_ + 1} {name}: hello {cb.median(r['hello'] or [0]):.0f} ms, cpu {cb.median(r['cpu']):.0f} ms, "
                      f"cold {cb.median(r['cold']):.1f} ms, {r['rps']:.0f}/s", file=sys.stderr)
    finally:
        logback.unlink()
    report(results)


def measure(flags, args, logback):
    given = [] if flags is None else ["-Dcove.java.workerFlags=" + " ".join(flags)]
    cove = cb.Cove(jvm_options=given + [f"-Dlogback.configurationFile={logback}"])
    try:
        log = cove.dir / "server.log"
        since = 0
        if flags is None:  # the platform's own: once its archive is made, cells started before it are taken away
            since = wait_for(lambda: log.read_text().find(ARCHIVE_MADE), "the archive to be made")
            for i in range(2):
                cb.cold_start(cove, f"flush-{i}", "java-process", pause=0)
        idle = idle_cells(cove, log, since, 2)
        cold = [cb.cold_start(cove, f"cold-{i}", "java-process", pause=1.0) for i in range(args.cold)]
        url = cove.deploy_echo("java-process")
        cb.wrk(url, args.warmup, cb.ECHO_BODY)
        warm = cb.wrk(url, args.seconds, cb.ECHO_BODY)
        busy = [rss_mb(pid) for pid in workers(cove) if pid not in idle]
        # the first cells start with the server and the other runtimes' cells: the later ones show a start alone
        hello = [int(m.group(1)) / 1000 for m in HELLO.finditer(log.read_text(), since)][2:]
        return {"hello": hello, "cpu": [c for c, _ in idle.values()], "idle_rss": [r for _, r in idle.values()],
                "cold": cold, "rps": warm["rps"], "p99": warm["p99"], "busy_rss": busy}
    finally:
        cove.close()


def wait_for(find, what, seconds=120):
    """Polls find() until it answers a position >= 0; answers it."""
    deadline = time.time() + seconds
    while (found := find()) < 0:
        if time.time() > deadline:
            cb.die(f"waited {seconds} s for {what} in vain")
        time.sleep(0.05)
    return found


def idle_cells(cove, log, since, count):
    """The stem cells that said hello after `since` in the log, once they have sat idle for two seconds:
    pid -> (CPU ms, RSS MB)."""
    wait_for(lambda: 0 if len(HELLO.findall(log.read_text(), since)) >= count else -1, f"{count} Java stem cells")
    time.sleep(2)
    return {pid: (cpu_ms(pid), rss_mb(pid)) for pid in workers(cove)}


def workers(cove):
    """The pids of the server's Java workers (the host sees into every sandbox; other servers may run)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if cmdline and cmdline[0].endswith(b"/java") and any(a.endswith(b"cove-worker.jar") for a in cmdline) \
                    and descends(int(entry), cove.process.pid):
                found.append(int(entry))
    return found


def descends(pid, ancestor):
    while pid > 1:
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            return False
        if pid == ancestor:
            return True
    return False


def cpu_ms(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def report(results):
    names = list(results)
    base = results[names[0]]
    print(f"{'set':<22} {'hello ms':>8} {'cpu ms':>7} {'idle MB':>7} {'cold ms':>7} {'req/s':>7} {'p99 ms':>6} "
          f"{'busy MB':>7}  ratios to {names[0]}: hello, cpu, cold, req/s")
    for name in names:
        runs = results[name]
        pooled = lambda key: cb.median([v for r in runs for v in r[key]]) if any(r[key] for r in runs) else float("nan")
        ratio = lambda key, per: cb.median([per(r) / per(b) for r, b in zip(runs, base)])
        print(f"{name:<22} {pooled('hello'):>8.0f} {pooled('cpu'):>7.0f} {pooled('idle_rss'):>7.1f} {pooled('cold'):>7.1f} "
              f"{cb.median([r['rps'] for r in runs]):>7.0f} {cb.median([r['p99'] for r in runs]):>6.2f} "
              f"{pooled('busy_rss'):>7.1f}  {ratio('hello', lambda r: cb.median(r['hello'])):.2f}, "
              f"{ratio('cpu', lambda r: cb.median(r['cpu'])):.2f}, {ratio('cold', lambda r: cb.median(r['cold'])):.2f}, "
              f"{ratio('rps', lambda r: r['rps']):.2f}")


if __name__ == "__main__":
    sys.exit(main())
