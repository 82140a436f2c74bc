# A Kubeless handler, as Nozzle's downscale-replicas function is: event.data is the message published on
# k8s_replicas. It keeps the deployment's replicas in the application's cache, for restore, and scales
# it to zero (here: says so).


def handler(event, context):
    deployment = event["data"]
    context.cache.app.set("replicas/" + deployment["name"], deployment["replicas"])
    print("scaled %s from %d to 0 (event %s)" % (deployment["name"], deployment["replicas"], event["event-id"]))
    return {"scaled": deployment["name"], "from": deployment["replicas"], "to": 0}
