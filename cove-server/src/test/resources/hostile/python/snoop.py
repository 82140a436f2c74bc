"""Reads what a function should never see: the host's password hashes, the platform's data folder,
and the command line and environment of every process it can find."""
import errno
import os


def attempt(read):
    try:
        return {"value": read()}
    except OSError as e:
        return {"error": errno.errorcode.get(e.errno, str(e))}


def text(path):
    with open(path, "rb") as f:
        return f.read().decode("latin-1")


def main(args):
    pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    procs = {}
    for pid in pids:
        procs[str(pid)] = {
            "cmdline": attempt(lambda: text("/proc/%d/cmdline" % pid)),
            "environ": attempt(lambda: text("/proc/%d/environ" % pid)),
        }
    return {
        "shadow": attempt(lambda: text("/etc/shadow")),
        "dataDir": attempt(lambda: os.listdir(args["dataDir"])),
        "database": attempt(lambda: len(text(args["dataDir"] + "/cove.db"))),
        "pids": pids,
        "procs": procs,
    }
