def main(args):
    return {"error": "not found"}
