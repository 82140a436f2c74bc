# Says who ran it and where; args["fail"] makes it raise, answer an error, or never return.
import os


def main(args, ctx):
    print("callee ran %d" % args["i"])
    if args.get("fail") == "throw":
        raise ValueError("boom %d" % args["i"])
    if args.get("fail") == "error":
        return {"error": "no %d" % args["i"]}
    if args.get("fail") == "loop":
        while True:
            pass
    return {"pid": os.getpid(), "i": args["i"], "id": ctx.activation_id,
            "idFromEnv": os.environ.get("__OW_ACTIVATION_ID"), "name": os.environ.get("__OW_ACTION_NAME"),
            "version": ctx.function_version, "fixed": args.get("fixed")}
