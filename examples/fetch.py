# Fetches a URL and answers its HTTP status and size. Deploy it with --network outbound: without it,
# the function's sandbox has no network at all.
import urllib.request


def main(args):
    url = args.get("url", "https://registry.npmjs.org/left-pad")
    with urllib.request.urlopen(url, timeout=10) as response:
        return {"url": url, "status": response.status, "bytes": len(response.read())}
