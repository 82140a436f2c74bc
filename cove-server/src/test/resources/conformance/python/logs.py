import sys


def main(args):
    print("out line 1")
    print("out line 2")
    print("err line", file=sys.stderr)
    return {"ok": True}
