# Exercises ctx.cache: args["key"] names the entries; answers what each operation gave.
def main(args, ctx):
    key = args["key"]
    out = {"missing": ctx.cache.get(key + "-nothing")}
    ctx.cache.set(key, {"n": 1, "text": "héllo"}, ttl=60)
    out["json"] = ctx.cache.get(key)
    ctx.cache.set(key + "-bytes", bytes([0, 1, 2, 255]))
    out["bytes"] = list(ctx.cache.get(key + "-bytes"))
    out["counted"] = [ctx.cache.increment(key + "-n"), ctx.cache.increment(key + "-n", 5)]
    out["deleted"] = [ctx.cache.delete(key), ctx.cache.delete(key)]
    out["computed"] = ctx.cache.get_or_compute(key + "-c", lambda: "made", ttl=60)
    out["again"] = ctx.cache.get_or_compute(key + "-c", lambda: "made twice")
    ctx.cache.app.set(key + "-shared", "for the application")
    out["appOwn"] = ctx.cache.get(key + "-shared")
    try:
        ctx.cache.set(key + "-big", "x" * args.get("big", 0))
        out["big"] = "stored"
    except Exception as e:
        out["big"] = "%s: %s" % (type(e).__name__, e)
    return out
