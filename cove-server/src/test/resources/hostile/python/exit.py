"""Exits the whole worker process in the middle of an activation."""
import os
import sys


def main(args):
    if not args.get("attack"):
        return {"pidns": os.readlink("/proc/self/ns/pid")}
    print("exiting mid-activation")
    sys.exit(3)
