"""Tries to open TCP connections to the host's loopback ports it is given."""
import errno
import socket


def connect(host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
        return "connected"
    except socket.timeout:
        return "ETIMEDOUT"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e))


def main(args):
    return {"outcomes": {str(port): connect("127.0.0.1", port) for port in args["ports"]}}
