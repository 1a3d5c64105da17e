import base64
import json
import time


def echo(event, context):
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}


def bare(event, context):
    return {"hello": "world"}


def fail(event, context):
    raise Exception("boom")


def slow(event, context):
    time.sleep(2)
    return {"ok": True}


def binary(event, context):
    body = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        body = base64.b64encode(body.encode()).decode()
    return {"statusCode": 201, "isBase64Encoded": True, "body": body,
            "headers": {"content-type": "application/octet-stream"}, "cookies": ["a=1", "b=2"]}


def auth_simple(event, context):
    token = event["identitySource"][0]
    return {"isAuthorized": token == "good",
            "context": {"user": "u-" + token, "seen": event["requestContext"]["requestId"]}}


def auth_policy(event, context):
    arn = event.get("routeArn") or event["methodArn"]
    token = event["identitySource"]
    if isinstance(token, list):
        token = token[0]
    effect = "Allow" if token == "good" else "Deny"
    return {"principalId": "p-" + token,
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": effect, "Resource": [arn.split("/")[0] + "/*/GET/*"]}]},
            "context": {"k": "v", "type": event["type"], "version": event["version"]}}


def auth_broken(event, context):
    return "not a response"
