# Fogbank's Python runtime: the Lambda Runtime API loop for handlers named
# "file.function" (or "dir/file.function") under LAMBDA_TASK_ROOT.
import importlib
import json
import os
import sys
import time
import traceback
import urllib.request

API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"


def post(path, body, headers=None):
    req = urllib.request.Request(API + path, data=body, method="POST", headers=headers or {})
    with urllib.request.urlopen(req) as resp:
        resp.read()


def error_body(exc, error_type=None):
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": "",
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)),
    }


def report(path, body, error_type):
    print("[ERROR] " + body["errorType"] + ": " + body["errorMessage"], flush=True)
    post(path, json.dumps(body).encode(), {"Lambda-Runtime-Function-Error-Type": error_type,
                                           "Content-Type": "application/json"})


class Context:
    """The context object handlers receive, as the AWS runtime builds it."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0"))
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        client_context = headers.get("Lambda-Runtime-Client-Context")
        self.client_context = json.loads(client_context) if client_context else None
        identity = headers.get("Lambda-Runtime-Cognito-Identity")
        self.identity = json.loads(identity) if identity else None

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def load_handler():
    handler = os.environ.get("_HANDLER", "")
    modname, _, fname = handler.rpartition(".")
    if not modname or not fname:
        raise_init("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack" % handler)
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as exc:
        raise_init("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, exc))
    except Exception as exc:  # noqa: BLE001 - any error in the module's top level
        report("/init/error", error_body(exc), "Runtime.UserCodeSyntaxError" if isinstance(exc, SyntaxError) else "Runtime.Unknown")
        sys.exit(1)
    fn = getattr(module, fname, None)
    if fn is None:
        raise_init("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname))
    return fn


def raise_init(error_type, message):
    report("/init/error", {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}, error_type)
    sys.exit(1)


def main():
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    sys.path.insert(0, task_root)
    os.chdir(task_root)
    handler = load_handler()
    while True:
        with urllib.request.urlopen(API + "/invocation/next") as resp:
            headers = resp.headers
            event = json.loads(resp.read() or b"null")
        ctx = Context(headers)
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("Lambda-Runtime-Trace-Id", "")
        path = "/invocation/" + ctx.aws_request_id
        try:
            result = handler(event, ctx)
            body = json.dumps(result).encode()
        except Exception as exc:  # noqa: BLE001 - the handler's error is the invocation's result
            report(path + "/error", error_body(exc), "Unhandled")
            continue
        post(path + "/response", body, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
