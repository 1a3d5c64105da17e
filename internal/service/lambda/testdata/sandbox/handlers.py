"""Handlers for the execution environment tests: memory, /tmp, log times
and event destinations."""
import json
import os
import tempfile
import time


def hog(event, context):
    """Allocates and touches event["mib"] MiB, then holds them a while."""
    block = b"x" * (event["mib"] << 20)
    time.sleep(event.get("hold", 0))
    return {"allocated": len(block) >> 20}


def tmp(event, context):
    """Writes event["value"] to x in /tmp (or $TMPDIR), returning what was
    there before."""
    directory = "/tmp" if event.get("slash_tmp") else tempfile.gettempdir()
    path = os.path.join(directory, "x")
    before = None
    if os.path.exists(path):
        with open(path) as f:
            before = f.read()
    with open(path, "w") as f:
        f.write(event["value"])
    return {"before": before}


def slow_log(event, context):
    """Prints two lines event["sleep"] seconds apart."""
    print("first line")
    time.sleep(event["sleep"])
    print("second line")
    return {}


def record(event, context):
    """Saves the event under $MARKER_DIR, named after its condition (whole
    or not at all)."""
    name = event.get("requestContext", {}).get("condition", "event")
    path = os.path.join(os.environ["MARKER_DIR"], name + ".json")
    with open(path + ".part", "w") as f:
        json.dump(event, f)
    os.replace(path + ".part", path)
    return {}


def outcome(event, context):
    """Fails when event["fail"] is set, else returns a greeting."""
    if event.get("fail"):
        raise ValueError("failed on purpose")
    return {"greeting": "hello " + event.get("name", "")}
