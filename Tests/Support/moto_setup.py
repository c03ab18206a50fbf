"""Prepares a moto_server for the subscribe tests, then switches its signature checking on.

Creates an IAM user with an access key allowed to do everything (printed as JSON on stdout), the
destination Lambda function and two others, the log groups the tests select from (more than one
DescribeLogGroups page under /aws/lambda/, and one group that already has two subscription filters), and
the collector's headers as a Secrets Manager secret and an SSM SecureString parameter."""
import io
import json
import sys
import urllib.request
import zipfile

import boto3

endpoint = sys.argv[1]
region = "us-east-1"
session = boto3.session.Session(aws_access_key_id="setup", aws_secret_access_key="setup", region_name=region)
iam = session.client("iam", endpoint_url=endpoint)
logs = session.client("logs", endpoint_url=endpoint)
lam = session.client("lambda", endpoint_url=endpoint)

iam.create_user(UserName="sluice-operator")
iam.put_user_policy(UserName="sluice-operator", PolicyName="all",
                    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="sluice-operator")["AccessKey"]
role = iam.create_role(RoleName="sluice-role", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]

archive = io.BytesIO()
with zipfile.ZipFile(archive, "w") as z:
    z.writestr("bootstrap", "#!/bin/sh\n")
functions = {}
for name in ["sluice", "other-a", "other-b"]:
    functions[name] = lam.create_function(FunctionName=name, Runtime="provided.al2023", Role=role, Handler="bootstrap",
                                          Code={"ZipFile": archive.getvalue()})["FunctionArn"]

groups = [f"/aws/lambda/bulk-{i:02d}" for i in range(55)] + ["/aws/lambda/orders", "/aws/lambda/payments", "/aws/lambda/full", "/aws/ecs/web"]
for group in groups:
    logs.create_log_group(logGroupName=group)
for name in ["other-a", "other-b"]:
    logs.put_subscription_filter(logGroupName="/aws/lambda/full", filterName=name, filterPattern="", destinationArn=functions[name])

# The collector's headers, as the Lambda consumer reads them at init (SLUICE_COLLECTOR_SECRET).
headers = "Authorization=Bearer moto-token,X-Scope-OrgID=tenant-a"
secret = session.client("secretsmanager", endpoint_url=endpoint).create_secret(Name="sluice/collector", SecretString=headers)["ARN"]
ssm = session.client("ssm", endpoint_url=endpoint)
ssm.put_parameter(Name="/sluice/collector", Value=headers, Type="SecureString")
parameter = ssm.get_parameter(Name="/sluice/collector")["Parameter"]["ARN"]

request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"})
urllib.request.urlopen(request, timeout=10).read()
json.dump({"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"], "destination": functions["sluice"],
           "region": region, "secret": secret, "parameter": parameter}, sys.stdout)
