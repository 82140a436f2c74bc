import time


def main(args):
    time.sleep(args["ms"] / 1000)
    return {"slept": args["ms"]}
