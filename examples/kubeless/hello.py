# A Kubeless function runs unchanged: handler(event, context), the parameters in event["data"].
# A result that is not a dict comes back as {"body": "..."}.
def handler(event, context):
    return "Hello, %s from %s!" % (event["data"].get("name", "world"), context["function-name"])
