def handler(event, context):
    return {"data": event["data"], "id": event["event-id"], "fn": context["function-name"]}
