def main(args):
    return {"data": "x" * args["size"]}
