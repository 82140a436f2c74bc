"""Tries to write files outside /tmp, and over its own code."""
import errno


def attempt(path):
    try:
        with open(path, "w") as f:
            f.write("hostile")
        return "written"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e))


def main(args):
    outcomes = {path: attempt(path) for path in args["paths"]}
    outcomes["ownCode"] = attempt(__file__)
    return {"outcomes": outcomes}
