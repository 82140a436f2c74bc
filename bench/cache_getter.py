# Times `count` cache gets of an entry that is there (via "cache": after the first, answered by the
# worker's copy where it keeps one), gets of an entry just written again (via "written": the write
# drops any copy, so the get goes to the platform; only the get is timed), or as many bare round trips
# to the platform (via "bare": a call to a function that doesn't exist, which the platform refuses at
# once), and answers their p50 and p99 in microseconds.
import time


def main(args, ctx):
    value = {"payload": "x" * 100}
    ctx.cache.set("bench", value)

    def bare():
        try:
            ctx.invoke("no-such-function")
        except Exception:
            pass

    ops = {"bare": (None, bare), "cache": (None, lambda: ctx.cache.get("bench")),
           "written": (lambda: ctx.cache.set("bench", value), lambda: ctx.cache.get("bench"))}
    before, op = ops[args["via"]]
    for _ in range(args["warmup"]):
        if before:
            before()
        op()
    micros = []
    for _ in range(args["count"]):
        if before:
            before()
        start = time.perf_counter_ns()
        op()
        micros.append((time.perf_counter_ns() - start) / 1000)
    micros.sort()
    return {"p50": micros[len(micros) // 2], "p99": micros[int(len(micros) * 0.99)]}
