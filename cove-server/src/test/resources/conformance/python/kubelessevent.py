def handler(event, context):
    request = event.get("extensions", {}).get("request")
    return {"id": event["event-id"], "type": event["event-type"], "time": event["event-time"],
            "namespace": event["event-namespace"], "method": request["method"] if request else None}
