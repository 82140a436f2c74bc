"""Returns a result far over the size limit; with `forge`, writes its own done frame straight to the
worker's socket, so that the worker's own size check never sees it; with `throws`, fails with an
error message that large instead."""
import json
import os

import __main__


def forge(size):
    activation = json.dumps(os.environ["__OW_ACTIVATION_ID"])
    frame = '{"type":"done","id":%s,"result":{"data":"%s"}}\n' % (activation, "x" * size)
    __main__._sock.sendall(frame.encode())


def main(args):
    if args.get("throws"):
        raise ValueError("x" * args["throws"])
    if args.get("forge"):
        forge(args["forge"])
        return {"forged": True}
    return {"data": "x" * args["bytes"]}
