import base64
import json
import os
import urllib.error
import urllib.request


def main(args):
    """Sends args.method (GET) to args.path on __OW_API_HOST, with __OW_API_KEY if there is one and
    args.body as JSON if given; answers the status and the JSON it got back."""
    data = json.dumps(args["body"]).encode() if "body" in args else None
    request = urllib.request.Request(os.environ["__OW_API_HOST"] + args["path"], data=data,
                                     method=args.get("method", "GET"), headers={"content-type": "application/json"})
    key = os.environ.get("__OW_API_KEY")
    if key:
        request.add_header("authorization", "Basic " + base64.b64encode(key.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return {"status": response.status, "body": json.loads(response.read() or b"null")}
    except urllib.error.HTTPError as e:
        return {"status": e.code, "body": json.loads(e.read() or b"null")}
    except OSError as e:
        return {"error": str(e)}
