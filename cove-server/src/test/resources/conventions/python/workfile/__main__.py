import os


def main(args):
    # a file of its own zip, by a relative path
    with open("workfile") as f:
        text = f.read()
    return {"file": text, "cwdIsItsFolder": os.getcwd() == os.path.dirname(os.path.abspath(__file__))}
