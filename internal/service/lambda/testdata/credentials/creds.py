"""Returns the AWS credentials the function was started with (tests only)."""
import os


def handler(event, context):
    return {k: os.environ.get(k, "") for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")}
