// Package lambda is the Lambda API (restJson1, /2015-03-31/...): functions,
// versions, aliases, concurrency, resource policies and Invoke, with each
// execution environment a local process (package sandbox) that polls its
// own Runtime API (package rapi).
//
// What works:
//   - CreateFunction from a ZipFile (50 MB zipped, 250 MB unzipped; code
//     stored content-addressed under Options.Dir/code and unpacked once
//     under Options.Dir/task/<sha256>, the LAMBDA_TASK_ROOT), State Active
//     at once; GetFunction, GetFunctionConfiguration, ListFunctions
//     (Marker/MaxItems), UpdateFunctionCode, UpdateFunctionConfiguration
//     (RevisionId preconditions), DeleteFunction (or one version);
//     PublishVersion, ListVersionsByFunction; Create/Get/Update/Delete/
//     ListAliases; Put/Get/DeleteFunctionConcurrency; AddPermission,
//     RemovePermission, GetPolicy (stored and served, not enforced).
//   - Invoke RequestResponse and DryRun, with Qualifier (version or alias,
//     also as name:qualifier or an ARN), X-Amz-Function-Error: Unhandled,
//     LogType Tail (START/END/REPORT with Init Duration on cold starts),
//     6 MB payload limits, X-Amz-Executed-Version, X-Amz-Client-Context,
//     TooManyRequestsException (429, Reason
//     ReservedFunctionConcurrentInvocationLimitExceeded) beyond the
//     reserved concurrency.
//   - Timeouts ("Task timed out after N.NN seconds", process group killed),
//     crashes (Runtime.ExitError), init errors (the runtime's error JSON),
//     a missing bootstrap (Runtime.InvalidEntrypoint).
//   - Runtimes provided.al2023/provided.al2 (a bootstrap in the zip, e.g.
//     aws-lambda-go), python3.11-3.13 and nodejs18.x-22.x through the
//     embedded shims (shims/bootstrap.py, shims/bootstrap.js) run with the
//     host's python3 and node. Handlers import the host's boto3, and
//     @aws-sdk/* from the node_modules directory named by Options.NodePath
//     or $FOGBANK_LAMBDA_NODE_PATH.
//   - Warm environments are kept per version and configuration revision
//     (Options.IdleTimeout) and evicted when the function changes.
//   - Event invocations (async.go): Invoke stores the event in the queue
//     (lambda/q/, in the same request) and answers 202; RunAsync, run by
//     package app under the lease "lambda/async", delivers due events (16
//     at once), retries a function error after Options.AsyncRetryBase (1
//     minute; $FOGBANK_LAMBDA_ASYNC_RETRY_BASE) and twice that, as many
//     times as MaximumRetryAttempts allows (2 by default), requeues
//     throttled events, and drops events older than
//     MaximumEventAgeInSeconds (6 h by default). Events interrupted by a
//     shutdown stay queued and run after the restart (at least once).
//     Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s) store the
//     retry, age and destination settings.
//   - Function logs: each invocation's START line, the runtime's output
//     and the END/REPORT lines go, one event per line, to the log group
//     /aws/lambda/<name>, stream <yyyy/mm/dd>/[<version>]<32 hex> per
//     environment, through Options.LogSink (the CloudWatch Logs service,
//     wired by package app), written by a background shipper so that
//     invocations do not wait for storage.
//
// Known gaps and deviations:
//   - Credentials: functions run with the account's ROOT access key (no
//     IAM roles or STS sessions yet); the Role is only validated.
//   - Event invocations: the OnSuccess/OnFailure destinations are stored
//     but nothing is sent to them yet (a dropped event is only logged);
//     the payload limit is 256 KB; throttled events retry every
//     min(AsyncRetryBase, 1 s) rather than with AWS's exponential backoff.
//   - Log events of the runtime's output carry the invocation's end time,
//     not the time each line was written; logs still queued for the sink
//     when the process dies are lost.
//   - Code from S3 (S3Bucket/S3Key), container images, layers, function
//     URLs, event-source mappings, tags API (ListTags/TagResource),
//     UpdateFunctionCode DryRun, alias routing weights, the account-level
//     concurrency limit and Retry-After on throttles are missing.
//   - Memory limits are not enforced; Max Memory Used is the runtime
//     process's peak RSS only. /tmp is private only through TMPDIR.
//   - GetFunction's Code.Location is a Fogbank URL that is not served yet.
//   - Node ESM handlers (.mjs) load, but NODE_PATH does not apply to ESM
//     imports, so they cannot import the shared @aws-sdk packages.
package lambda
