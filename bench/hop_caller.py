# Calls `target` `count` times in a row, each hop either over the local bus (ctx.invoke) or through
# the HTTP gateway (a keep-alive POST to the REST API, as a function on a platform without a local
# bus would call another), and answers the hops' p50 and p99 in microseconds.
import base64
import http.client
import json
import time


def main(args, ctx):
    hop = gateway_hop(args) if args.get("via") == "gateway" else lambda body: ctx.invoke(args["target"], body)
    for i in range(args["warmup"]):
        hop({"n": i})
    micros = []
    for i in range(args["count"]):
        start = time.perf_counter_ns()
        result = hop({"n": i})
        micros.append((time.perf_counter_ns() - start) / 1000)
        if result.get("n") != i:
            raise ValueError("hop %d answered %r" % (i, result))
    micros.sort()
    return {"p50": micros[len(micros) // 2], "p99": micros[int(len(micros) * 0.99)]}


def gateway_hop(args):
    connection = http.client.HTTPConnection("127.0.0.1", args["port"])
    path = "/api/v1/namespaces/_/actions/%s?blocking=true&result=true" % args["target"]
    headers = {"Authorization": "Basic " + base64.b64encode(args["auth"].encode()).decode(),
               "Content-Type": "application/json"}

    def hop(body):
        connection.request("POST", path, json.dumps(body), headers)
        return json.loads(connection.getresponse().read())
    return hop
