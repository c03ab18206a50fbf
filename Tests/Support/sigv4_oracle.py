"""botocore's SigV4 signer as an oracle: reads a JSON list of requests on stdin, prints for each the
canonical request, the string to sign and the signature botocore computes for them."""
import base64
import json
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

out = []
for case in json.load(sys.stdin):
    headers = dict(case["headers"])
    headers["X-Amz-Date"] = case["amz_date"]
    if case.get("token"):
        headers["X-Amz-Security-Token"] = case["token"]
    url = case["url"]
    request = AWSRequest(method=case["method"], url=url, data=base64.b64decode(case["body"]), headers=headers)
    request.context["timestamp"] = case["amz_date"]
    auth = SigV4Auth(Credentials(case["access"], case["secret"], case.get("token")), case["service"], case["region"])
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    out.append({"canonical_request": canonical, "string_to_sign": string_to_sign,
                "signature": auth.signature(string_to_sign, request)})
json.dump(out, sys.stdout)
