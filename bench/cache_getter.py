# Times `count` cache gets of an entry that is there (via "cache"), or as many bare round trips to
# the platform (via "bare": a call to a function that doesn't exist, which the platform refuses at
# once), and answers their p50 and p99 in microseconds.
import time


def main(args, ctx):
    ctx.cache.set("bench", {"payload": "x" * 100})
    if args.get("via") == "bare":
        def op():
            try:
                ctx.invoke("no-such-function")
            except Exception:
                pass
    else:
        def op():
            ctx.cache.get("bench")
    for _ in range(args["warmup"]):
        op()
    micros = []
    for _ in range(args["count"]):
        start = time.perf_counter_ns()
        op()
        micros.append((time.perf_counter_ns() - start) / 1000)
    micros.sort()
    return {"p50": micros[len(micros) // 2], "p99": micros[int(len(micros) * 0.99)]}
