import os
import socket
import threading

held = []
busy = threading.Event()


def main(args):
    """Opens args.connections connections to __OW_API_HOST and keeps them open, idle, after it
    returns; with args.busy, also keeps args.busy threads sending requests through the relay, each a
    new connection, until the worker ends."""
    host, port = os.environ["__OW_API_HOST"].rsplit("/", 1)[1].split(":")
    for _ in range(args.get("connections", 0)):
        held.append(socket.create_connection((host, int(port)), timeout=10))
    for _ in range(args.get("busy", 0)):
        threading.Thread(target=ask_forever, args=(host, int(port)), daemon=True).start()
    return {"held": len(held)}


def ask_forever(host, port):
    request = b"GET /api/v1/namespaces HTTP/1.1\r\nhost: relay\r\nconnection: close\r\n\r\n"
    while True:
        try:
            with socket.create_connection((host, port), timeout=10) as s:
                s.sendall(request)
                while s.recv(65536):
                    pass
        except OSError:
            pass
