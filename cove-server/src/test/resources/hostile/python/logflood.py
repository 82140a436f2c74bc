"""Floods its standard output straight through the file descriptor, past the worker's own log cap."""
import os


def main(args):
    chunk = (("x" * 1023 + "\n") * 64).encode()
    written = 0
    while written < args["bytes"]:
        view = memoryview(chunk)
        while view:
            view = view[os.write(1, view):]
        written += len(chunk)
    return {"written": written}
