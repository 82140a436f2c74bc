def main(args):
    return {"ran": True}
