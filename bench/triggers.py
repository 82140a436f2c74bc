#!/usr/bin/env python3
"""Triggers: a message published on a topic to the start of the function a rule subscribes to it, and
one message fanned out by a label selector to ten functions, each against a direct asynchronous
invoke of the same function in the same run; and how late a cron schedule fires (its trigger's
activation's start minus the second it was due). With --nats, the same on a server whose topics are on
a nats-server this script starts (with JetStream, in a scratch folder), and the events per second one
NATS subject carries to one function's activations, against publishing them to NATS alone.

Each sample sends one request from here (the time before it is sent is the start) and reads, from the
activation's result, the time the function saw when it began (python's time.time(), on this machine's
clock): p50 and p99 over the samples, and the ratio of the medians. Samples of the three kinds are
interleaved, after --warmup of each.
Goals: topic to start p50 < 1 ms (< 2 ms through NATS); all ten of a fan-out started within 5 ms p50;
cron lateness p99 < 1 s.

With --nats, "nats hop" is NATS alone: a JetStream publish on Cove's stream to its arrival at a
consumer, 5 ms apart as the samples are; a topic's message takes that hop before its fire.

Events per second: bench/NatsLoad.java publishes --events messages on the trigger's subject as fast as
JetStream takes them; the rate is the events over the time from the first publish to the moment the
last function activation is listed; the baseline, the same publishes on a subject nobody consumes.

    bench/triggers.py [--samples 200] [--warmup 20] [--cron-seconds 30] [--nats] [--events 2000]
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time

import covebench as cb

STAMP = "import time\n\ndef main(args):\n    return {'t': time.time(), 'n': args.get('n')}\n"
FANOUT = 10
GOAL_TOPIC_MS = 1.0
GOAL_NATS_TOPIC_MS = 2.0
GOAL_FANOUT_MS = 5.0
GOAL_LATENESS_P99_MS = 1000.0
API = "/api/v1/namespaces/_"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--cron-seconds", type=int, default=30)
    parser.add_argument("--nats", action="store_true", help="topics on a nats-server this script starts")
    parser.add_argument("--events", type=int, default=2000, help="messages of the events-per-second run (--nats)")
    args = parser.parse_args()
    cb.build()
    nats = Nats() if args.nats else None
    cove = cb.Cove(("--nats", nats.url) if nats else ())
    try:
        setup(cove)
        results = {"direct": [], "topic": [], "fanout": []}
        n = 0
        for i in range(args.warmup + args.samples):
            for kind in results:
                n += 1
                took = sample(cove, kind, n)
                if i >= args.warmup:
                    results[kind].append(took)
        lateness = cron_lateness(cove, args.cron_seconds)
        report(results, lateness, GOAL_NATS_TOPIC_MS if nats else GOAL_TOPIC_MS)
        if nats:
            hops = nats.hops(args.samples)
            print(f"{'nats hop':10} {cb.median(hops):8.2f} {cb.percentile(hops, 99):8.2f} {'':>6}  "
                  "(NATS alone: a JetStream publish to its arrival at a consumer, as the topic's first hop)")
            report_rates(*event_rates(cove, nats, args.events))
    finally:
        cove.close()
        if nats:
            nats.close()


class Nats:
    """A nats-server with JetStream on a free port, its store in a scratch folder."""

    def __init__(self):
        cb.require("nats-server", "nats-server")
        self.dir = tempfile.mkdtemp(prefix="cove-bench-nats-")
        port = cb.free_port()
        self.url = f"nats://127.0.0.1:{port}"
        self.process = subprocess.Popen(["nats-server", "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", self.dir],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cb.wait_for_port(port)

    def load(self, *args):
        """Runs bench/NatsLoad.java with these arguments; answers the JSON it prints."""
        out = subprocess.run([cb.java(), "-cp", str(cb.JAR), str(cb.ROOT / "bench" / "NatsLoad.java"), args[0],
                              self.url, *map(str, args[1:])], capture_output=True, text=True)
        if out.returncode != 0:
            cb.die(f"NatsLoad failed: {out.stderr.strip()}")
        return json.loads(out.stdout)

    def publish(self, subject, count, prefix):
        """(Epoch seconds of the first publish, seconds until the stream took all count of them)."""
        answer = self.load("rate", subject, count, prefix)
        return answer["started_ms"] / 1000, answer["seconds"]

    def hops(self, count):
        """Ms from a JetStream publish on Cove's stream to its arrival at a consumer, count times."""
        return self.load("hop", "COVE", "cove.bench.hop", count)

    def close(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def event_rates(cove, nats, events):
    """Events/s from NATS to a node function's recorded activations, and publishing alone, in turn."""
    cove.deploy("sink", "nodejs:20", "function main(p) { return {n: p.n}; }", limits={"concurrency": 64})
    request(cove, "PUT", f"{API}/triggers/bench-rate", {"topic": "rate"})
    request(cove, "PUT", f"{API}/rules/bench-rate-rule", {"trigger": "bench-rate", "action": "sink"})
    _, alone = nats.publish("cove.bench.alone", events, "alone")
    started, _ = nats.publish("cove.topics.guest.rate", events, "rate")
    deadline = time.time() + 300
    while time.time() < deadline:
        status, last = cove.request("GET", f"{API}/activations?name=sink&skip={events - 1}&limit=1")
        if last:
            return events / (time.time() - started), events / alone
        time.sleep(0.01)
    cb.die(f"{events} events did not reach sink within 300 s")


def report_rates(through, alone):
    print(f"{'events/s':10} {through:8.0f} {'':>8} {through / alone:6.2f}  "
          f"(one NATS subject to one function's recorded activations; NATS alone: {alone:.0f}/s)")


def setup(cove):
    cove.deploy("stamp", "python:3", STAMP)
    request(cove, "PUT", f"{API}/triggers/bench-topic", {"topic": "bench"})
    request(cove, "PUT", f"{API}/rules/bench-topic-rule", {"trigger": "bench-topic", "action": "stamp"})
    for i in range(FANOUT):
        body = {"exec": {"kind": "python:3", "code": STAMP}, "labels": {"bench": "fanout"}}
        request(cove, "PUT", f"{API}/actions/fan-{i}?overwrite=true", body)
    request(cove, "PUT", f"{API}/triggers/bench-fanout", {"topic": "fanout"})
    request(cove, "PUT", f"{API}/rules/bench-fanout-rule", {"trigger": "bench-fanout", "selector": "bench=fanout"})


def request(cove, method, path, body):
    status, answer = cove.request(method, path, body)
    if status >= 300:
        cb.die(f"{method} {path} failed: {status} {answer}")
    return answer


def sample(cove, kind, n):
    """Milliseconds from the request's start to the last of its functions' starts."""
    functions = ["stamp"] if kind != "fanout" else [f"fan-{i}" for i in range(FANOUT)]
    sent = time.time()
    if kind == "direct":
        request(cove, "POST", f"{API}/actions/stamp", {"n": n})
    else:
        request(cove, "POST", f"{API}/topics/{'bench' if kind == 'topic' else 'fanout'}", {"n": n})
    return max(started(cove, f, n) for f in functions) - sent * 1000


def started(cove, function, n):
    """The start, in ms, that the function's activation for sample n reports, once it is recorded."""
    deadline = time.time() + 60
    while time.time() < deadline:
        status, found = cove.request("GET", f"{API}/activations?name={function}&limit=5&docs=true")
        for activation in found or []:
            result = activation.get("response", {}).get("result", {})
            if result.get("n") == n:
                return result["t"] * 1000
        time.sleep(0.005)
    cb.die(f"{function} did not run sample {n} within 60 s")


def cron_lateness(cove, seconds):
    """Ms between each second a 6-field cron was due and its fire's start, over the given seconds."""
    request(cove, "PUT", f"{API}/triggers/bench-cron", {"schedule": {"cron": "* * * * * *"}})
    request(cove, "PUT", f"{API}/rules/bench-cron-rule", {"trigger": "bench-cron", "action": "stamp"})
    time.sleep(seconds)  # the schedule runs on its own for this long: the wait is the measurement
    request(cove, "DELETE", f"{API}/triggers/bench-cron", None)
    starts = []
    while True:  # a page at a time: a long run has more fires than one list holds
        status, found = cove.request("GET", f"{API}/activations?name=bench-cron&limit=200&skip={len(starts)}&docs=true")
        if not found:
            break
        starts += [a["start"] for a in found]
    starts.sort()
    if len(set(s // 1000 for s in starts)) != len(starts):
        cb.die(f"a second fired twice: {starts}")
    return [s % 1000 for s in starts]


def report(results, lateness, topic_goal):
    direct = cb.median(results["direct"])
    print(f"{'what':10} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}  goal")
    for kind, goal in (("direct", None), ("topic", topic_goal), ("fanout", GOAL_FANOUT_MS)):
        p50 = cb.median(results[kind])
        verdict = "(baseline)" if goal is None else f"p50 < {goal:g} ms: {'met' if p50 < goal else 'MISSED'}"
        print(f"{kind:10} {p50:8.2f} {cb.percentile(results[kind], 99):8.2f} {p50 / direct:6.2f}  {verdict}")
    p99 = cb.percentile(lateness, 99)
    print(f"{'cron late':10} {cb.median(lateness):8.2f} {p99:8.2f} {'':>6}  "
          f"p99 < {GOAL_LATENESS_P99_MS:g} ms over {len(lateness)} fires, none doubled: "
          f"{'met' if p99 < GOAL_LATENESS_P99_MS else 'MISSED'}")
    print(json.dumps({k: {"p50": cb.median(v), "p99": cb.percentile(v, 99)} for k, v in results.items()}),
          file=sys.stderr)


if __name__ == "__main__":
    main()
