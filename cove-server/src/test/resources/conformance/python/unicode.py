def main(args):
    return {"text": args["text"] + " ✓ 日本語 🚀", "length": len(args["text"])}
