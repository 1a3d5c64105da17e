import os
import tempfile

import boto3

print("module loaded")


def handler(event, context):
    print("handling", event.get("name"))
    if event.get("fail"):
        raise ValueError("failed on purpose")
    return {
        "greeting": "hello " + str(event.get("name")),
        "function": context.function_name,
        "request_id": context.aws_request_id,
        "remaining_ok": 0 < context.get_remaining_time_in_millis() <= 3000,
        "tmp": tempfile.gettempdir(),
        "color": os.environ.get("COLOR"),
    }


def ddb(event, context):
    table = boto3.resource("dynamodb").Table(event["table"])
    table.put_item(Item={"pk": "from-python", "n": 7})
    item = table.get_item(Key={"pk": "from-python"})["Item"]
    return {"pk": item["pk"], "n": int(item["n"])}
