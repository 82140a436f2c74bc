# Finds the deployments idle for longer than idleAfterMinutes and publishes one message for each on the
# topic k8s_replicas, where rules choose who scales them down.


def main(args, ctx):
    idle_after = args.get("idleAfterMinutes", 30)
    published = []
    for deployment in args.get("deployments", []):
        if deployment.get("replicas", 0) > 0 and deployment.get("idleMinutes", 0) >= idle_after:
            ctx.publish("k8s_replicas", {"name": deployment["name"], "replicas": deployment["replicas"]})
            published.append(deployment["name"])
    return {"published": published}
