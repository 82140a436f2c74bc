from greeting import greet


def main(args):
    return {"greeting": greet(args.get("name", "you"))}


def niam(args):
    return main(args)
