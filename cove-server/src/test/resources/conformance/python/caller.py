# Calls args["target"] with args["params"]: ctx.invoke, or ctx.send when args["mode"] is "send". A
# failed call is reported, not re-raised, so that the test sees what the error carried.
def main(args, ctx):
    try:
        if args.get("mode") == "send":
            return {"activationId": ctx.send(args["target"], args.get("params"))}
        return {"result": ctx.invoke(args["target"], args.get("params")), "me": ctx.activation_id}
    except Exception as e:
        return {"failed": str(e), "name": type(e).__name__, "status": e.status,
                "activationId": e.activation_id, "calledResult": e.result}
