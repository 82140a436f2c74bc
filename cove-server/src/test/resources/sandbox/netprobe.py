# Tries a TCP connection to each of params["targets"] (["host", port] pairs) and reports, for each,
# "open" or the errno of the failure ("timeout" when nothing answered within a second), plus the
# sandbox's routes as the kernel lists them.
import errno
import socket


def attempt(host, port):
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return "open"
    except socket.timeout:
        return "timeout"
    except socket.gaierror as e:
        return "dns:" + str(e)
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


def main(params):
    with open("/proc/net/route") as f:
        interfaces = sorted({line.split()[0] for line in f.readlines()[1:] if line.strip()})
    return {"interfaces": interfaces,
            "results": [attempt(host, port) for host, port in params["targets"]]}
