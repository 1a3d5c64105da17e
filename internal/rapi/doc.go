// Package rapi is the Lambda Runtime API (2018-06-01) of one execution
// environment: a small HTTP server on 127.0.0.1 that the runtime process
// (aws-lambda-go, the Python and Node shims, any custom bootstrap) polls for
// events and posts results to.
//
// One [Server] serves one environment, so AWS_LAMBDA_RUNTIME_API (host:port
// only) identifies the environment. The invoking side calls
// [Server.Deliver], which hands the event to the runtime's pending
// GET /runtime/invocation/next and waits for the matching /response or
// /error, or for the invocation's context to end.
//
// What works:
//   - GET /2018-06-01/runtime/invocation/next: long poll, with the
//     Lambda-Runtime-Aws-Request-Id, -Deadline-Ms, -Invoked-Function-Arn,
//     -Trace-Id, -Client-Context and -Cognito-Identity headers (the last
//     three only when set);
//   - POST /2018-06-01/runtime/invocation/{id}/response (202; chunked bodies
//     and aws-lambda-go's Lambda-Runtime-Function-Error-Type/-Body trailers;
//     over MaxResponseSize answers 413 RequestEntityTooLarge and the invoker
//     gets Function.ResponseSizeTooLarge);
//   - POST /2018-06-01/runtime/invocation/{id}/error (202; error type from the
//     Lambda-Runtime-Function-Error-Type header, else the body's errorType);
//   - POST /2018-06-01/runtime/init/error (202; the environment is dead and
//     Deliver returns an [*InitError]);
//   - an unknown request id answers 400 InvalidRequestID, a second result for
//     one invocation 403 InvalidStateTransition, and a result that arrives
//     after its invocation's context ended 403 Runtime.InvokeTimeout.
//
// Missing: response streaming (Lambda-Runtime-Function-Response-Mode), the
// Extensions, Telemetry and Logs APIs, SnapStart's /restore endpoints.
package rapi
