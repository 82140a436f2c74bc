#!/usr/bin/env python3
"""How long a cove command takes, start to exit, against curl making the same request in the same run.

Each round runs, in turn: `./cove invoke hello -p name Ada` (the whole command, its script included),
curl with the same request, the cove client's JVM alone on the same invocation (without the script),
and `./cove version` (no request: the command's start-up alone). The figures are each command's
wall-clock time; the ratios are of medians against curl's.

    bench/cli_start.py [--rounds 15]
"""

import argparse
import os
import subprocess
import time

import covebench as cb


def timed(command, env):
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def client_jvm(cove_env):
    """The command line ./cove execs for a client command, read from the script with bash's tracing."""
    out = subprocess.run(["bash", "-c", 'PS4="+ "; set -x; set -- version; . "$0"', str(cb.ROOT / "cove")],
                         env=cove_env, capture_output=True, text=True)
    for line in out.stderr.splitlines():
        line = line.lstrip("+ ")
        if line.startswith("exec ") and "-jar" in line:
            return line.removeprefix("exec ").split()[:-1]  # without "version"
    cb.die("could not read the client's command line from ./cove:\n" + out.stderr[-2000:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    cb.require("curl", "curl")
    cb.build()
    cove = cb.Cove()
    try:
        cove.deploy("hello", "nodejs:20", (cb.ROOT / "examples" / "hello.js").read_text())
        env = dict(os.environ, COVE_APIHOST=cove.url(""), COVE_AUTH=cove.headers_auth())
        invoke = ["invoke", "hello", "-p", "name", "Ada"]
        commands = {
            "cove invoke": [str(cb.ROOT / "cove"), *invoke],
            "curl": ["curl", "-sf", "-u", cove.headers_auth(), "-X", "POST", "-H", "Content-Type: application/json",
                     "-d", '{"name":"Ada"}', cove.url("/api/v1/namespaces/_/actions/hello?blocking=true&result=true")],
            "client JVM alone": [*client_jvm(env), *invoke],
            "cove version": [str(cb.ROOT / "cove"), "version"],
        }
        times = {name: [] for name in commands}
        for name, command in commands.items():  # warm-up: the client's start-up cache is made here
            timed(command, env)
        for _ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(timed(command, env))
        baseline = cb.median(times["curl"])
        print(f"{'command':<18} {'p50 ms':>8} {'min ms':>8} {'vs curl':>8}")
        for name, values in times.items():
            print(f"{name:<18} {cb.median(values) * 1000:8.1f} {min(values) * 1000:8.1f}"
                  f" {cb.median(values) / baseline:7.1f}x")
    finally:
        cove.close()


if __name__ == "__main__":
    main()
