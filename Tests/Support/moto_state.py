"""Prints what moto holds, signed with the given key: every log group's subscription filters and the
statement ids of the sluice function's resource policy.

moto verifies the signature of Lambda's body-less GET against the request's headers instead of its empty
body, so it refuses even boto3's GetPolicy: signature checking is switched off for that one call and
then put back as it was."""
import json
import sys
import urllib.request

import boto3

endpoint, key_id, secret = sys.argv[1:4]
session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1")
logs = session.client("logs", endpoint_url=endpoint)
lam = session.client("lambda", endpoint_url=endpoint)
state = {"filters": {}, "statements": []}
for page in logs.get_paginator("describe_log_groups").paginate():
    for group in page["logGroups"]:
        name = group["logGroupName"]
        filters = logs.describe_subscription_filters(logGroupName=name)["subscriptionFilters"]
        state["filters"][name] = sorted([{"name": f["filterName"], "pattern": f.get("filterPattern", ""),
                                          "destination": f["destinationArn"]} for f in filters], key=lambda f: f["name"])


def reset_auth(count):
    request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=count.encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
    return json.loads(urllib.request.urlopen(request, timeout=10).read())["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"]


previous = reset_auth("inf")
try:
    policy = json.loads(lam.get_policy(FunctionName="sluice")["Policy"])
    state["statements"] = [s.get("Sid") for s in policy.get("Statement", [])]
except lam.exceptions.ResourceNotFoundException:
    pass
finally:
    reset_auth(previous)
json.dump(state, sys.stdout)
