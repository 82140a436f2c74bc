# Fails as it loads, on an import of a module that is not there.
import some_module_that_isnt_there  # noqa: F401


def main(args):
    return {"ok": True}
