# A noisy neighbour for noisy_neighbours.py: forks, and every child forks too, until the pids limit of
# its sandbox refuses more; then all of them keep asking, spinning on the CPU, until the function's
# timeout kills the sandbox.
import os


def main(args):
    while True:
        try:
            os.fork()
        except OSError:
            pass
