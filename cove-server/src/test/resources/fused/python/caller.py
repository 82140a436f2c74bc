# Calls args["target"] args["times"] times with {i} over args["params"], sleeping args["pauseMs"]
# between calls, and answers each call's result (or what its error carried) with its own pid.
import os
import time


def main(args, ctx):
    calls = []
    for i in range(args.get("times", 1)):
        if i > 0 and args.get("pauseMs"):
            time.sleep(args["pauseMs"] / 1000)
        try:
            calls.append(ctx.invoke(args["target"], dict({"i": i}, **args.get("params", {}))))
        except Exception as e:
            calls.append({"failed": str(e), "status": e.status, "activationId": e.activation_id,
                          "calledResult": e.result})
    return {"pid": os.getpid(), "me": ctx.activation_id, "calls": calls}
