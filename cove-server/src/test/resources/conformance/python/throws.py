def main(args):
    raise ValueError("boom")
