# An OpenWhisk-style function: main takes the parameters and returns a dict.
def main(args):
    return {"greeting": "Hello, %s!" % args.get("name", "world")}
