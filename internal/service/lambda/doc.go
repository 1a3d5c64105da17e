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
//     counted from the end of a cold start's init phase (at most 10 s, as
//     on AWS; a longer init runs on under the function's timeout),
//     crashes (Runtime.ExitError), init errors (the runtime's error JSON),
//     a missing bootstrap (Runtime.InvalidEntrypoint).
//   - Execution environments (package sandbox, started in environment.go):
//     each runtime process and its descendants are limited to MemorySize
//     (a cgroup v2 of their own where the server can delegate the memory
//     controller, else RSS sampling every 10 ms); over it the group is
//     killed and the invocation fails as on AWS with Runtime.ExitError,
//     "RequestId: <id> Error: Runtime exited with error: signal: killed",
//     and the REPORT line's Max Memory Used is the sampled peak (at most
//     MemorySize). CPU comes in proportion to memory, as on AWS: one CPU
//     per 1,769 MB, rounded up (cpuShare; the process is pinned to that
//     many CPUs, so a 128 MB function runs on one). Each environment has
//     its own temporary directory,
//     TMPDIR, removed when the environment ends; when the server runs as
//     root and its data directory is not under /tmp, the runtime also sees
//     that directory as /tmp, in a mount namespace of its own (host paths
//     under /tmp are then invisible to functions).
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
//     retry, age and destination settings. When an event ends (Success,
//     RetriesExhausted or EventAgeExceeded), the OnSuccess or OnFailure
//     destination that is a Lambda function (ARN with or without
//     qualifier) gets AWS's invocation record (version 1.0, timestamp,
//     requestContext, requestPayload, responseContext, responsePayload)
//     as an Event invocation, queued in the same transaction that removes
//     the event (destination.go).
//   - Function logs: each invocation's START line, the runtime's output
//     (each line stamped with the time it was written, read from a pipe)
//     and the END/REPORT lines go, one event per line, to the log group
//     /aws/lambda/<name>, stream <yyyy/mm/dd>/[<version>]<32 hex> per
//     environment, through Options.LogSink (the CloudWatch Logs service,
//     wired by package app), written by a background shipper so that
//     invocations do not wait for storage. The shipper gathers the logs of
//     the invocations that end within 50 ms into one write (package
//     logship, shared with the API Gateway access logs); unless LogType is
//     Tail, the END and REPORT lines are made by the shipper too, after
//     the answer has gone (Shipper.ShipLater, invoke.go).
//   - Credentials: each execution environment gets temporary credentials
//     of the function's role (Options.Credentials; package app issues them
//     with identity.Store.AssumeRole): AWS_ACCESS_KEY_ID ("ASIA..."),
//     AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, valid 12 h
//     (CredentialsDuration), for the principal
//     arn:aws:sts::<account>:assumed-role/<role name>/<function name>.
//     A warm environment whose credentials could expire before an
//     invocation's timeout is retired and a fresh one started.
//   - Warm invoke path: the function record is read (one storage get) but
//     decoded only when its bytes changed (invokedFunction), a plain
//     function name skips the name regexp.
//
// Known gaps and deviations:
//   - Credentials: the role is not checked to exist and no IAM policy is
//     enforced (there is no IAM yet); the session only records the
//     principal. Credentials last 12 h and are not refreshed in place: an
//     environment is retired instead.
//   - Event invocations: SQS, SNS, EventBridge and S3 destinations are
//     stored but not delivered (a warning is logged); a destination record
//     is not checked against a size limit; the payload limit is 256 KB;
//     throttled events retry every min(AsyncRetryBase, 1 s) rather than
//     with AWS's exponential backoff. Output written by an idle
//     environment goes into its next invocation's log (8 MiB at most).
//   - Logs still queued for the sink when the server process dies are
//     lost.
//   - Code from S3 (S3Bucket/S3Key), container images, layers, function
//     URLs, event-source mappings, tags API (ListTags/TagResource),
//     UpdateFunctionCode DryRun, alias routing weights, the account-level
//     concurrency limit and Retry-After on throttles are missing.
//   - Memory sampling can miss a spike shorter than 10 ms, and counts a
//     new child process only after up to 100 ms; /tmp is private only
//     through TMPDIR when the server is not root, or keeps its data under
//     /tmp (as tests do). The private /tmp costs a mount namespace and a
//     re-execution of the server binary at each cold start: about 50 ms
//     more on the loaded 2-core development machine (83 against 29 ms
//     from start to exit of /bin/true). No ephemeral storage limit, CPU
//     share or network isolation.
//   - GetFunction's Code.Location is a Fogbank URL that is not served yet.
//   - Node ESM handlers (.mjs) load, but NODE_PATH does not apply to ESM
//     imports, so they cannot import the shared @aws-sdk packages.
package lambda
