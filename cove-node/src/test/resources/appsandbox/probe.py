"""One function of the application-sandbox tests: does what its parameters ask, inside its sandbox."""
import errno
import os
import socket
import subprocess
import sys
import threading


def serve(listener, greeting):
    while True:
        conn, _ = listener.accept()
        conn.sendall((greeting + "\n").encode())
        conn.close()


def main(params):
    op = params["op"]
    if op == "whoami":
        return {"pid": os.getpid(), "pidns": os.readlink("/proc/self/ns/pid")}
    if op == "write":
        with open(params["path"], "w") as f:
            f.write(params["text"])
        return {"written": params["path"]}
    if op == "read":
        try:
            with open(params["path"]) as f:
                return {"text": f.read()}
        except OSError as e:
            return {"code": errno.errorcode[e.errno]}
    if op == "listen":
        listener = socket.socket()
        listener.bind(("127.0.0.1", params["port"]))
        listener.listen(8)
        threading.Thread(target=serve, args=(listener, params["greeting"]), daemon=True).start()
        return {"listening": params["port"]}
    if op == "connect":
        try:
            with socket.create_connection(("127.0.0.1", params["port"]), timeout=5) as s:
                return {"got": s.makefile().readline().strip()}
        except OSError as e:
            return {"code": errno.errorcode[e.errno]}
    if op == "print":  # through a child process, so the lines bypass the worker's log frames
        for i in range(params["times"]):
            subprocess.run(["/bin/sh", "-c", "echo %s-%d; sleep 0.02" % (params["text"], i)])
        return {"printed": params["times"]}
    if op == "exit":
        sys.exit(params["status"])
    return {"unknown": op}
