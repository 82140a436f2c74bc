import sys


def main(args):
    print("about to crash")
    sys.exit(3)
