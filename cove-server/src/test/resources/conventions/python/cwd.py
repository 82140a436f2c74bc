import os


def main(args):
    return {"cwdIsItsFolder": os.getcwd() == os.path.dirname(os.path.abspath(__file__)),
            "sees": sorted(f for f in os.listdir(".") if f.endswith(".py"))}
