"""What makes this folder a virtualenv: the script that puts its site-packages on sys.path."""
import os
import site
import sys

here = os.path.dirname(os.path.abspath(__file__))
base = os.path.dirname(here)
os.environ["VIRTUAL_ENV"] = base
before = list(sys.path)
for lib in sorted(os.listdir(os.path.join(base, "lib"))):
    site.addsitedir(os.path.join(base, "lib", lib, "site-packages"))
sys.path[:] = [p for p in sys.path if p not in before] + before
