# Answers POST /rescale {"name": …} (an HTTP trigger): the replicas downscale kept, back in place.


def main(args, ctx):
    name = args.get("name")
    replicas = ctx.cache.app.get("replicas/%s" % name) if name else None
    if replicas is None:
        return {"statusCode": 404, "body": {"error": "nothing was scaled down under the name %r" % name}}
    ctx.cache.app.delete("replicas/%s" % name)
    return {"statusCode": 200, "body": {"restored": name, "replicas": replicas}}
