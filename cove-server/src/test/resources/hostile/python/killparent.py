"""Sends SIGKILL to its parent, then to every process it may signal (kill -9 -1, from a shell)."""
import errno
import os
import signal
import subprocess


def main(args):
    if not args.get("attack"):
        return {"pidns": os.readlink("/proc/self/ns/pid")}
    parent = os.getppid()
    try:
        os.kill(parent, signal.SIGKILL)
        outcome = "sent"
    except OSError as e:
        outcome = errno.errorcode.get(e.errno, str(e))
    print("SIGKILL to parent %d: %s" % (parent, outcome))
    subprocess.run(["/bin/sh", "-c", "kill -9 -1"])
    return {"survived": True}
