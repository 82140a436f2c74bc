# Returns args["value"] as it is (None without one); a tuple when args["tuple"] is set.
def main(args):
    value = args.get("value")
    return tuple(value) if args.get("tuple") else value
