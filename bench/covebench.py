"""What the benchmarks share: the JDK, a Cove server started the way ./cove up starts it, the REST
API, wrk and its numbers, and medians. Standard library only."""

import argparse
import base64
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "cove-cli" / "target" / "cove.jar"

ECHO_BODY = '{"name":"Ada Lovelace","msg":"hello from wrk!","n":123456789}'  # 61 bytes
ECHOES = {  # runtime: (file in examples/, kind, limits, tier) of the echo function the warm benchmarks load
    "java": ("Echo.java", "java:21", {"concurrency": 64}, None),
    "java-process": ("Echo.java", "java:21", {"concurrency": 64}, "process"),
    "nodejs": ("echo.js", "nodejs:20", {"concurrency": 64}, None),
    "python": ("echo.py", "python:3", {"concurrency": 16, "maxInstances": 2}, None),
}
JAVA_COLD = ("java:21", "import java.util.Map; public class Cold {"
             " public static Map<String, Object> main(Map<String, Object> p) { return Map.of(\"n\", p.get(\"n\")); } }")
COLD = {  # runtime: (kind, code, tier) of the functions the cold-start benchmarks deploy, one fresh copy each
    "nodejs": ("nodejs:20", "function main(p) { return {n: p.n}; }", None),
    "python": ("python:3", "def main(a):\n    return {'n': a['n']}\n", None),
    "java": (*JAVA_COLD, None),
    "java-process": (*JAVA_COLD, "process"),
}


def die(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def java():
    """The JDK ./cove uses (scripts/lib.sh finds it)."""
    out = subprocess.run(["bash", "-c", f". '{ROOT}/scripts/lib.sh' && cove_find_jdk && echo $COVE_JAVA_HOME"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        die(out.stderr.strip())
    return str(Path(out.stdout.strip()) / "bin" / "java")


def build():
    """./cove builds the jar when it is missing or stale; `cove version` is the cheapest way to ask it."""
    subprocess.run([str(ROOT / "cove"), "version"], check=True, stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    die(f"nothing listened on port {port} within {seconds} s")


class Cove:
    """A Cove server in its own data folder, started with ./cove up, and a client for its API."""

    def __init__(self, extra_args=(), jvm_options=()):
        """jvm_options: options for the server's JVM (through the java launcher's JDK_JAVA_OPTIONS)."""
        self.dir = Path(tempfile.mkdtemp(prefix="cove-bench-"))
        self.port = free_port()
        env = dict(os.environ, COVE_CONFIG=str(self.dir / "config.json"))
        if jvm_options:
            env["JDK_JAVA_OPTIONS"] = " ".join(f"'{o}'" for o in jvm_options)
        self.log = open(self.dir / "server.log", "w")
        self.process = subprocess.Popen([str(ROOT / "cove"), "up", "--port", str(self.port),
                                         "--data", str(self.dir / "data"), *extra_args],
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(self.port)
            auth = self._auth()
        except BaseException:
            self.process.kill()
            raise
        self.headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode(),
                        "Content-Type": "application/json"}
        self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def _auth(self):
        config = self.dir / "config.json"
        deadline = time.time() + 30
        while time.time() < deadline:  # written just after the port opens
            if config.exists():
                return json.loads(config.read_text())["auth"]
            time.sleep(0.05)
        die(f"cove up wrote no {config}")

    def headers_auth(self):
        """The guest namespace's uuid:key, as a function that calls the REST API needs it."""
        return base64.b64decode(self.headers["Authorization"].removeprefix("Basic ")).decode()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def request(self, method, path, body=None):
        self.http.request(method, path, body=None if body is None else json.dumps(body), headers=self.headers)
        response = self.http.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None

    def deploy(self, name, kind, code, limits=None, tier=None):
        """tier: a Java function's exec.tier ("inline", "process"), or None for the platform's choice."""
        body = {"exec": {"kind": kind, "code": code, **({"tier": tier} if tier else {})}, "limits": limits or {}}
        status, answer = self.request("PUT", f"/api/v1/namespaces/_/actions/{name}?overwrite=true", body)
        if status != 200:
            die(f"deploying {name} failed: {status} {answer}")
        return answer

    def deploy_app(self, name, body):
        """Deploys the application `name`: body is the REST API's (functions, and a workflow if any)."""
        status, answer = self.request("PUT", f"/api/v1/namespaces/_/applications/{name}", body)
        if status != 200:
            die(f"deploying {name} failed: {status} {answer}")
        return answer

    def invoke(self, name, params):
        return self.request("POST", f"/api/v1/namespaces/_/actions/{name}?blocking=true&result=true", params)

    def delete(self, name):
        status, answer = self.request("DELETE", f"/api/v1/namespaces/_/actions/{name}")
        if status != 200:
            die(f"deleting {name} failed: {status} {answer}")

    def deploy_echo(self, runtime):
        """Deploys the runtime's echo function as echo-RUNTIME; answers its /fn URL."""
        file, kind, limits, tier = ECHOES[runtime]
        self.deploy("echo-" + runtime, kind, (ROOT / "examples" / file).read_text(), limits, tier)
        return self.url("/fn/echo-" + runtime)

    def isolation(self):
        """What the server said isolates its workers (the `isolation` line cove up prints)."""
        deadline = time.time() + 10
        while time.time() < deadline:  # the port may open before the line is written
            for line in (self.dir / "server.log").read_text().splitlines():
                if line.strip().startswith("isolation "):
                    return line.strip().removeprefix("isolation ").strip()
            time.sleep(0.05)
        return ""

    def close(self):
        self.http.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def wrk_options(doc, rounds, warmup):
    """The options of a benchmark that runs wrk in rounds; the script adds its own to the parser."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--seconds", type=int, default=10, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=warmup, help="seconds of load per target before measuring")
    return parser


def wrk_start(parser):
    """Parses the options, makes sure wrk is there and Cove built; answers the options."""
    args = parser.parse_args()
    require("wrk", "wrk")
    build()
    return args


def wrk(url, seconds, body, connections=64, threads=2, think_ms=0):
    """Runs wrk with a JSON POST; answers requests/s, p50 and p99 in ms, and the non-2xx count. With
    think_ms, each connection waits that long after an answer before its next request (wrk's latency
    leaves the wait out), so that the load stays below what the server can take."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text('wrk.method = "POST"\nwrk.body = ' + json.dumps(body) +
                      '\nwrk.headers["Content-Type"] = "application/json"\n' +
                      (f"function delay() return {think_ms} end\n" if think_ms else ""))
    try:
        out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
                              "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    finally:
        script.unlink()
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": latency(out, "50%"), "p99": latency(out, "99%"),
            "errors": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0}


def latency(out, percentile):
    m = re.search(rf"{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\b", out)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def cold_start(cove, name, runtime, pause=0.3):
    """Deploys a new function of the runtime's and answers the ms from the deployment's answer to its
    first result. Then deletes it, so that many cold starts don't leave as many workers running, and
    waits `pause` seconds, as between real deployments, so that the stem cell it took is replaced
    before the next."""
    kind, code, tier = COLD[runtime]
    cove.deploy(name, kind, code, tier=tier)
    start = time.perf_counter()
    status, result = cove.invoke(name, {"n": 1})
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200 or result != {"n": 1}:
        die(f"{name} answered {status} {result}")
    cove.delete(name)
    time.sleep(pause)
    return elapsed


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values):
    return statistics.median(values)


def require(program, package):
    if shutil.which(program) is None:
        die(f"the benchmark needs {program}: install the package {package} (apt-get install {package})")
