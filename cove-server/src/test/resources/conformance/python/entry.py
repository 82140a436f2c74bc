def main(args):
    raise RuntimeError("wrong entry")


def greet(args):
    return {"greeting": "hello " + args["name"]}
