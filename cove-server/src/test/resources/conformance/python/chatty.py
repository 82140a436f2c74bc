# Prints args["lines"] numbered lines tagged with args["tag"], then returns the tag.
def main(args):
    for i in range(args["lines"]):
        print("%s %d" % (args["tag"], i))
    return {"tag": args["tag"]}
