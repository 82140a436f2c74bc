from padlib import pad


def main(args):
    return {"padded": pad(args["text"])}
