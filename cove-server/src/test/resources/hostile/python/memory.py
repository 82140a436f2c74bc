"""Allocates memory and touches every byte of it, keeping all of it, until something stops it."""
import os


def main(args):
    if not args.get("attack"):
        return {"pidns": os.readlink("/proc/self/ns/pid")}
    kept = []
    while True:
        kept.append(b"x" * (8 * 1024 * 1024))
