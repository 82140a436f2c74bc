def main(args):
    return "not an object"
