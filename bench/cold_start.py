#!/usr/bin/env python3
"""Cold start: from the answer to a deployment to the first result of the freshly deployed function,
p50 and p90 over 20 functions per runtime, against the baseline of the same run: starting that
runtime's bare interpreter (or JVM) and getting one JSON line back, which is what a platform pays
per cold start when it has no started worker waiting.

    bench/cold_start.py [--functions 20]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import covebench as cb

GOALS = {"nodejs": 15, "python": 15, "java": 50, "java-process": 30}  # runtime: p50 goal in ms
PAUSES = {"java-process": 1.0}  # s between deployments: a JVM stem cell takes longer than 0.3 s to replace
REPLY = "class Reply { public static void main(String[] a) throws Exception {" \
        " System.out.println(new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine()); } }\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=20)
    args = parser.parse_args()
    cb.build()
    baselines = bare_commands()
    cove = cb.Cove()
    try:
        time.sleep(2)  # let the stem cells start
        print(f"{'runtime':<12} {'p50 ms':>7} {'p90 ms':>7} {'bare p50':>9} {'ratio':>6}  goal")
        for runtime, goal in GOALS.items():
            cold = [cb.cold_start(cove, f"cold-{runtime}-{i}", runtime, PAUSES.get(runtime, 0.3))
                    for i in range(args.functions)]
            bare = [spawn_and_reply(baselines[runtime]) for _ in range(args.functions)]
            p50, p90, bare50 = cb.percentile(cold, 50), cb.percentile(cold, 90), cb.percentile(bare, 50)
            verdict = "met" if p50 < goal else "MISSED"
            print(f"{runtime:<12} {p50:>7.1f} {p90:>7.1f} {bare50:>9.1f} {p50 / bare50:>6.2f}  p50 < {goal} ms: {verdict}")
    finally:
        cove.close()


def bare_commands():
    scratch = Path(tempfile.mkdtemp(prefix="cove-cold-"))
    (scratch / "Reply.java").write_text(REPLY)
    javac = str(Path(cb.java()).with_name("javac"))
    subprocess.run([javac, "-d", str(scratch), str(scratch / "Reply.java")], check=True)
    return {
        "nodejs": ["node", "-e", "process.stdin.once('data', d => process.stdout.write(d))"],
        "python": ["/usr/bin/python3", "-I", "-c", "import sys; sys.stdout.write(sys.stdin.readline())"],
        "java": [cb.java(), "-Xshare:auto", "-cp", str(scratch), "Reply"],
        "java-process": [cb.java(), "-Xshare:auto", "-cp", str(scratch), "Reply"],
    }


def spawn_and_reply(command):
    """Starts the program with a cleared environment, sends one JSON line, waits for it to come back."""
    line = json.dumps({"n": 1}) + "\n"
    start = time.perf_counter()
    out = subprocess.run(command, input=line, capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    elapsed = (time.perf_counter() - start) * 1000
    if out.stdout.strip() != line.strip():
        cb.die(f"{command[0]} answered {out.stdout!r} {out.stderr!r}")
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
