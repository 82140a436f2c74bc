"""Writes a file in /tmp until the disk says no, and reports what it was told."""
import errno


def main(args):
    block = b"x" * (1024 * 1024)
    written = 0
    with open("/tmp/" + args["file"], "wb", buffering=0) as f:
        try:
            while True:
                written += f.write(block)
        except OSError as e:
            return {"code": errno.errorcode.get(e.errno, str(e.errno)), "message": str(e), "written": written}
