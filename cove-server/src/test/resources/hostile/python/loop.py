"""An endless loop: only the activation's time limit ends it."""
import os


def main(args):
    if not args.get("attack"):
        return {"pidns": os.readlink("/proc/self/ns/pid")}
    while True:
        pass
