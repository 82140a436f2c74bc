"""Looks for secrets everywhere a function can: its environment, every /proc/PID/environ and cmdline
it can read, every regular file it can read outside /usr, /proc, /sys and /dev, and its own memory; and tries to
connect to the given port on the given hosts. Answers where a secret was found and what each connection met.

A secret is given as its first 6 characters, its length and its SHA-256, never whole: given whole, it
would be in this function's own memory, the very place searched."""
import errno
import hashlib
import os
import socket


def readable_files(root, skip):
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        for name in files:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                yield path


def read(path, limit=4 * 1024 * 1024):
    try:
        with open(path, "rb") as f:
            return f.read(limit)
    except OSError:
        return b""


def own_memory():
    """Every readable mapping of this process's memory, in chunks."""
    with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
        for line in maps:
            bounds, perms = line.split()[:2]
            if "r" not in perms or "[vvar]" in line or "[vsyscall]" in line:
                continue
            start, end = (int(x, 16) for x in bounds.split("-"))
            if end - start > 256 * 1024 * 1024:  # address space reserved, not memory in use
                continue
            try:
                mem.seek(start)
                yield mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue


def connect(host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return "connected"
    except socket.timeout:
        return "ETIMEDOUT"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e))


def holds(data, secret):
    """Whether data holds the secret: each place its prefix starts, hashed to its length."""
    prefix = secret["prefix"].encode()
    at = data.find(prefix)
    while at != -1:
        if hashlib.sha256(data[at:at + secret["length"]]).hexdigest() == secret["sha256"]:
            return True
        at = data.find(prefix, at + 1)
    return False


def main(args):
    found = []

    def check(where, data):
        for secret in args["secrets"]:
            if holds(data, secret):
                found.append("%s holds %s" % (where, secret["name"]))

    check("the environment", "\n".join("%s=%s" % kv for kv in os.environ.items()).encode())
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        for part in ("environ", "cmdline"):
            check("/proc/%s/%s" % (pid, part), read("/proc/%s/%s" % (pid, part)))
    scanned = 0
    for path in readable_files("/", {"/usr", "/proc", "/sys", "/dev"}):
        check(path, read(path))
        scanned += 1
    memory = 0
    for chunk in own_memory():
        check("its own memory", chunk)
        memory += len(chunk)
    # the port apart from the hosts: "host:port" would put the very address searched for in memory
    return {"found": found, "files": scanned, "memoryBytes": memory,
            "connections": {host: connect(host, args["port"]) for host in args["hosts"]}}
