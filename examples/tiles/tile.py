# A map tile by z/x/y, cache-aside: from the function's cache when it is there, else from the slow
# origin (the origin function's HTTP server on the application's loopback), then kept for ttl seconds.
# Over HTTP (/fn/tile?z=3&x=4&y=2) it answers the PNG itself; invoked, it says where the tile came from.
import base64
import time
import urllib.error
import urllib.request

ORIGIN = "http://127.0.0.1:8089/%s"


def main(args, ctx):
    start = time.perf_counter()
    key = "%s/%s/%s" % (int(args.get("z", 0)), int(args.get("x", 0)), int(args.get("y", 0)))
    png = ctx.cache.get(key)
    cached = png is not None
    if not cached:
        png = fetch(key, ctx)
        ctx.cache.set(key, png, ttl=args.get("ttl", 600))
    if "__ow_method" in args:
        return {"statusCode": 200, "headers": {"content-type": "image/png",
                                               "x-cache": "hit" if cached else "miss"},
                "body": base64.b64encode(png).decode()}
    return {"tile": key, "bytes": len(png), "cached": cached, "ms": round((time.perf_counter() - start) * 1000, 2)}


def fetch(key, ctx):
    for attempt in range(2):
        try:
            with urllib.request.urlopen(ORIGIN % key, timeout=10) as response:
                return response.read()
        except urllib.error.URLError:
            if attempt == 1:
                raise
            ctx.invoke("origin")  # not listening yet: start it, then ask again
