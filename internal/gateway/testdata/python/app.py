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
