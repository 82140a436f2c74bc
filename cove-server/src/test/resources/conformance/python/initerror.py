def main(args)
    return {"ok": True}
