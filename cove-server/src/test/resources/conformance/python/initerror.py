# Compiles, so it deploys; fails as it loads.
compile("def settings(", "settings.py", "exec")


def main(args):
    return {"ok": True}
