import os


def main(args):
    return {"value": os.environ.get(args.get("name")), "keys": sorted(os.environ)}
