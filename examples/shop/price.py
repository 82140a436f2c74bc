# The price of one line of a basket: the catalogue price times the quantity, plus the tax rate that
# the Tax function (java) knows.
PRICES = {"tea": 3.5, "cake": 4.0, "coffee": 2.8}


def main(args, ctx):
    sku = args.get("sku", "tea")
    if sku not in PRICES:
        return {"error": "no product named %s" % sku}
    rate = ctx.invoke("Tax", {"sku": sku})["rate"]
    amount = PRICES[sku] * args.get("qty", 1) * (1 + rate)
    return {"sku": sku, "amount": round(amount, 2), "currency": args["currency"]}
