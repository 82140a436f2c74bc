#!/usr/bin/env python3
"""From `cove debug ID` to the shell's prompt, against `cove activation ID` in the same run; and what a
sandbox kept for debugging costs in memory, against a warm instance of the same function.

Each round makes a node function fail (it throws: a developer error, whose sandbox the server keeps),
then runs, in turn: `./cove activation ID` (start to exit), `./cove debug ID` with its input from a
pipe, from its start until the shell's prompt shows on its output (then it types `exit`), and
`./cove version` (the command's start-up alone, no request). Medians of each, and their ratio to
`cove activation`. Goal: p50 < 300 ms.

Follow: `./cove debug --follow flaky` started and waiting, then a failure: the ms from the failed
invocation's answer until the shell's prompt shows (--follow-rounds of them). Goal: within 1 s.

Memory: the resident memory of every process under the server (its sandboxes, keepers and workers)
against the stem cells' alone: with one warm idle instance of the function; with that instance kept
after a failure instead (paused, its processes frozen); and with a debug shell open in it.

    bench/debug.py [--rounds 20] [--follow-rounds 10]
"""

import argparse
import os
import subprocess
import time

import covebench as cb
from scale import server_pid, workers_rss_mb

GOAL_MS = 300.0
FLAKY = "function main(p) { if (p.fail) { throw new Error('asked to fail'); } return {n: p.n}; }\n"
PROMPT = b"flaky:/code/"


def failed_activation(cove):
    status, answer = cove.request("POST", "/api/v1/namespaces/_/actions/flaky?blocking=true", {"fail": True})
    if status != 502:
        cb.die(f"flaky answered {status} {answer}, not a developer error")
    return answer["activationId"]


def timed(env, *arguments):
    start = time.perf_counter()
    subprocess.run([str(cb.ROOT / "cove"), *arguments], env=env, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def open_shell(env, activation):
    """A `cove debug` whose output has shown the prompt, and the ms that took from its start."""
    start = time.perf_counter()
    shell = subprocess.Popen([str(cb.ROOT / "cove"), "debug", activation], env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = b""
    while PROMPT not in seen:
        chunk = os.read(shell.stdout.fileno(), 4096)
        if not chunk:
            cb.die(f"cove debug ended before its prompt: {seen.decode(errors='replace')}")
        seen += chunk
    return shell, (time.perf_counter() - start) * 1000


def close_shell(shell):
    shell.stdin.write(b"exit\n")
    shell.stdin.flush()
    shell.stdin.close()
    shell.stdout.read()
    if shell.wait(timeout=30) != 0:
        cb.die(f"cove debug exited with {shell.returncode}")


def follow_latency(env, cove):
    """Ms from a failure's answer until `cove debug --follow` shows the shell's prompt."""
    shell = subprocess.Popen([str(cb.ROOT / "cove"), "debug", "--follow", "flaky"], env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = b""
    while b"waiting for" not in seen:
        seen += os.read(shell.stdout.fileno(), 4096)
    failed_activation(cove)
    failed_at = time.perf_counter()
    while PROMPT not in seen:
        chunk = os.read(shell.stdout.fileno(), 4096)
        if not chunk:
            cb.die(f"cove debug --follow ended before its prompt: {seen.decode(errors='replace')}")
        seen += chunk
    took = (time.perf_counter() - failed_at) * 1000
    close_shell(shell)
    return took


def settle(server, seconds=2.0):
    """The workers' RSS once it stops moving (stem cells replaced, instances started)."""
    time.sleep(seconds)
    return workers_rss_mb(server)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--follow-rounds", type=int, default=10)
    args = parser.parse_args()
    cb.build()
    cove = cb.Cove(("--debug-keep", "1", "--pause-after", "off"))
    try:
        env = dict(os.environ, COVE_APIHOST=cove.url(""), COVE_AUTH=cove.headers_auth())
        server = server_pid(cove.process.pid)
        cells = settle(server, 3.0)
        cove.deploy("flaky", "nodejs:20", FLAKY)
        status, _ = cove.invoke("flaky", {"n": 1})
        if status != 200:
            cb.die(f"flaky answered {status}")
        warm = settle(server) - cells
        kept_id = failed_activation(cove)  # the warm instance fails: kept, paused, out of service
        kept = settle(server) - cells
        shell, _ = open_shell(env, kept_id)
        with_shell = settle(server, 1.0) - cells
        close_shell(shell)

        activation_ms, debug_ms, version_ms = [], [], []
        timed(env, "activation", kept_id)  # warm-up: the client's start-up cache
        for _ in range(args.rounds):
            activation = failed_activation(cove)
            activation_ms.append(timed(env, "activation", activation))
            shell, took = open_shell(env, activation)
            debug_ms.append(took)
            close_shell(shell)
            version_ms.append(timed(env, "version"))
        a50, d50 = cb.percentile(activation_ms, 50), cb.percentile(debug_ms, 50)
        print(f"{'command':<28} {'p50 ms':>8} {'p99 ms':>8}")
        print(f"{'cove activation ID':<28} {a50:8.1f} {cb.percentile(activation_ms, 99):8.1f}")
        print(f"{'cove debug ID, to its prompt':<28} {d50:8.1f} {cb.percentile(debug_ms, 99):8.1f}"
              f"  {d50 / a50:.2f}x  goal p50 < {GOAL_MS:g} ms: {'met' if d50 < GOAL_MS else 'MISSED'}")
        v50 = cb.percentile(version_ms, 50)
        print(f"{'cove version (start-up)':<28} {v50:8.1f} {cb.percentile(version_ms, 99):8.1f}  {v50 / a50:.2f}x"
              f"  (so the shell's own part, request to prompt: {d50 - v50:.0f} ms)")
        follows = [follow_latency(env, cove) for _ in range(args.follow_rounds)]
        f50 = cb.percentile(follows, 50)
        print(f"{'--follow, failure to prompt':<28} {f50:8.1f} {max(follows):8.1f} (max)"
              f"  goal within 1000 ms: {'met' if max(follows) < 1000 else 'MISSED'}")
        print(f"\nworkers' RSS beyond the stem cells' ({cells:.0f} MB), MB:")
        print(f"warm idle instance {warm:.1f}, kept after its failure (frozen) {kept:.1f} ({kept / warm:.2f}x),"
              f" kept with a debug shell open {with_shell:.1f} ({with_shell / warm:.2f}x)")
    finally:
        cove.close()


if __name__ == "__main__":
    main()
