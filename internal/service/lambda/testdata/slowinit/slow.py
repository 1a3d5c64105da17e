# A module whose initialisation takes longer than its function's timeout.
import time

time.sleep(1.5)


def handler(event, context):
    return {"ok": True}
