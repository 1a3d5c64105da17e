// Package gateway is the data plane of API Gateway HTTP APIs and REST
// APIs (see "REST APIs" below): it serves
// requests addressed to an API (by the front door, package server, which
// routes <apiId>.execute-api.<domain> hosts and the path-style
// /_api/<apiId>/ prefix here), picks the stage and the route, builds the
// Lambda proxy event (payload format 1.0 or 2.0), invokes the function
// through the [Invoker] it is given, and maps the result back onto the
// HTTP response. HTTP_PROXY integrations forward the request to a URL.
//
// The gateway never imports a service: API definitions come through
// [Source] (implemented over the apigatewayv2 service by package app) and
// invocations through [Invoker] (over the lambda service).
//
// Routing snapshots: each API's definition is compiled into an immutable
// snapshot (per stage: the routes in match order, the integrations, the
// stage variables) held in an atomic.Pointer per API, so a request takes
// no lock. A snapshot is dropped when the control plane on this node
// changes the API ([Handler.Invalidate]); other nodes' changes are seen
// through a revision check against storage (one small read) once the
// snapshot is older than Options.RevalidateAfter (default 1 s). So on one
// node changes are served at once, and with several nodes sharing storage
// within about a second.
//
// Route matching follows AWS's precedence: among routes whose path
// matches, non-greedy paths beat greedy {proxy+} paths, a literal segment
// beats a {variable} at the same position, a longer greedy prefix beats a
// shorter one, and a route for the request's method beats an ANY route;
// the $default route catches the rest.
//
// A request goes through, in AWS's order: CORS preflight (when the API
// has a CorsConfiguration, an OPTIONS request with Origin and
// Access-Control-Request-Method is answered 204 by the gateway with the
// configured Access-Control-* headers for an allowed origin, without
// route, authorizer or function); route matching; throttling (a token
// bucket per stage and route, golang.org/x/time/rate, from the stage's
// DefaultRouteSettings overridden member by member by RouteSettings[route
// key]; an unset member takes the account limits 10000 rps / 5000 burst;
// over the limit 429 {"message":"Too Many Requests"}; the buckets restart
// when the API's snapshot is rebuilt); authorization; the integration.
// With CORS configured, every other response carries
// Access-Control-Allow-Origin (the origin, or * for AllowOrigins ["*"]
// without credentials; origins like https://*.example.com match
// subdomains), -Allow-Credentials and -Expose-Headers for allowed origins,
// and the integration's own Access-Control-* headers are dropped, as AWS
// does.
//
// Authorization (route AuthorizationType JWT or CUSTOM with its
// AuthorizerId, or AWS_IAM; the verifier and the Lambda-authorizer caller
// live in package authorizer, shared with REST APIs):
//   - JWT: the token of the identity source (default
//     $request.header.Authorization, "Bearer " optional) is verified against
//     the issuer's keys ([Options.Keys]; OpenID discovery over HTTP by
//     default): signature (asymmetric algorithms only; "none" refused),
//     exp/nbf with 5 s leeway, iss, aud or client_id among the Audience;
//     failures 401 {"message":"Unauthorized"} with AWS's www-authenticate
//     header (Bearer scope="" error="invalid_token"
//     error_description="the token has expired"); a token without one of
//     the route's AuthorizationScopes (scope or scp claim) 403
//     {"message":"Forbidden"}. Claims reach the function as strings in
//     requestContext.authorizer.jwt.{claims,scopes} (2.0) or
//     requestContext.authorizer.{claims,scopes} (1.0).
//   - REQUEST (Lambda): the identity sources ($request.header.x,
//     $request.querystring.x, $stageVariables.x, a few $context.x) must all
//     be present and non-empty, else 401 without calling the function; the
//     function gets the 2.0 (routeArn, identitySource list) or 1.0
//     (methodArn, identitySource string) REQUEST event and answers a simple
//     response ({"isAuthorized", "context"}, 2.0 with
//     EnableSimpleResponses) or an IAM policy ({"principalId",
//     "policyDocument", "context"}) evaluated against the route's
//     execute-api ARN (Deny wins, * and ? wildcards); refusal 403, a
//     function error or unreadable answer 500. Results are cached for
//     AuthorizerResultTtlInSeconds per API, stage, authorizer and identity
//     values. The context reaches the function in
//     requestContext.authorizer.lambda (2.0) or requestContext.authorizer
//     with principalId and integrationLatency (1.0).
//   - AWS_IAM (iam.go; REST methods too): the request must carry a SigV4
//     signature for execute-api (Authorization header or presigned query,
//     X-Amz-Security-Token for role sessions) over its body, checked by
//     the front door's verifier ([Options.VerifySigV4], the server's
//     VerifySigV4: same keys, sessions, region and 15-minute skew; nothing
//     checked in dev mode). Refusals are 403 with AWS's message and
//     x-amzn-ErrorType: no signature {"message":"Missing Authentication
//     Token"} (MissingAuthenticationTokenException); an Authorization
//     header that is not one (a bearer token) IncompleteSignatureException
//     with what it lacks ("Authorization header requires 'Credential'
//     parameter. ..." or "'x' not a valid key=value pair ..."); an unknown key, or a
//     session key without its token, "The security token included in the
//     request is invalid." (AccessDeniedException, as AWS's 403
//     troubleshooting table gives it); a wrong signature "The request
//     signature we calculated does not match..." followed by the canonical
//     string and string to sign expected (InvalidSignatureException); a
//     request out of the skew "Signature expired: ..." or a wrong scope
//     (InvalidSignatureException); a malformed Authorization header
//     (IncompleteSignatureException); an expired session
//     (ExpiredTokenException). No IAM policy is evaluated (Fogbank has no
//     IAM policies yet): any valid signature of a known key is allowed.
//     The caller reaches the function in requestContext.authorizer.iam
//     {accessKey, accountId, callerId, userArn, userId, cognitoIdentity
//     and principalOrgId null} (2.0) or requestContext.identity {accessKey,
//     accountId, caller, user, userArn} (1.0 and REST): the root key is the
//     account (caller and user the account id, userArn
//     arn:aws:iam::<account>:root), a role session its assumed-role ARN
//     with <role name>:<session name> as caller and user (AWS has the
//     role's unique id AROA... before the colon; Fogbank keeps no role ids).
//
// Access metrics: every request is counted in [Options.Metrics] (package
// metrics) by API, stage, route key ("" when none matched) and status
// class, with its latency and body bytes in and out.
//
// Access logs (accesslog.go): a stage with AccessLogSettings (HTTP APIs:
// apigatewayv2 CreateStage/UpdateStage; REST APIs: apigateway UpdateStage
// patch operations on /accessLogSettings/destinationArn and /format) writes
// one line per request that reached it: the Format with its $context
// variables rendered — requestId, extendedRequestId, accountId, apiId,
// domainName, domainPrefix, stage, routeKey (HTTP APIs), resourcePath and
// resourceId (REST APIs), httpMethod, path, protocol, status,
// responseLength, responseLatency, integrationLatency and
// integration.latency, integrationStatus, integration.status and
// integration.integrationStatus (the upstream's status for HTTP_PROXY,
// 200 from the Lambda service for a function that ran), identity.sourceIp,
// identity.userAgent, requestTime (CLF time), requestTimeEpoch (ms),
// error.message and error.messageString (the gateway response's message),
// authorizer.error; an empty or unknown variable renders "-", as AWS
// does. Lines go to the log group the DestinationArn names
// (arn:aws:logs:<region>:<account>:log-group:<name>[:*]), stream
// "<apiId>_<stage>", through [Options.AccessLogSink] (the CloudWatch Logs
// service, wired by package app) by a package logship shipper the Handler
// owns: requests never wait for storage, and the lines of the requests
// that end within 50 ms go in one write per stream (Close flushes them).
//
// Errors are HTTP API's gateway responses: no route 404 {"message":"Not
// Found"}; a function error, an invocation failure or a malformed function
// response 500 {"message":"Internal Server Error"}; an integration that
// does not answer within its timeout (TimeoutInMillis, 30 s by default)
// 503 {"message":"Service Unavailable"}; a disabled execute-api endpoint
// 403 {"message":"Forbidden"}; a body over 10 MB 413; authorizer and
// throttling refusals as above. (REST APIs answer
// 502/504 instead, see below.) When the integration times
// out the function keeps running to its own timeout, as on AWS; Close
// waits for such invocations.
//
// REST APIs (API Gateway v1) are served by the same Handler, read through
// [RESTSource] (implemented over the apigateway service by package app)
// and compiled into their own snapshots, revalidated the same way and
// dropped by [Handler.InvalidateREST]. A request's API id is looked up
// among REST APIs first (an id that is none is remembered as such, so
// HTTP APIs pay no extra read), then among HTTP APIs. A REST API answers
// at <apiId>.<Domain>/<stage>/<path> and /_api/<apiId>/<stage>/<path>;
// the stage is the first path segment (an unknown one 403
// {"message":"Forbidden"}) and serves the resource tree its deployment
// froze. Resource matching is the route matching above: a literal beats
// a {param} beats a greedy {proxy+}, a method beats ANY; no resource or
// no method 403 {"message":"Missing Authentication Token"} (or, with an
// Authorization header that is not a signature, the
// IncompleteSignatureException an AWS_IAM method gives it). Throttling
// (before authorization, as AWS does): the stage's method settings
// (apigateway UpdateStage on /*/*/throttling/rateLimit and /burstLimit,
// or /{resource path, "/" as ~1}/{METHOD}/throttling/... for one method)
// give each method a token bucket, the same limiter as HTTP APIs' routes
// (throttle.go): a method's own settings, else the stage's "*/*" ones;
// no settings, no limit; a negative limit is unset;
// over the limit 429 {"message":"Too Many Requests"}
// (TooManyRequestsException). Integrations:
//   - AWS_PROXY: the payload 1.0 proxy event of PROTOCOLS.md §2.1 (as for
//     HTTP APIs but without "version"; resource is the resource path,
//     requestContext.resourceId its id), with ${stageVariables.x} in the
//     invocation URI (so stages can call different aliases). The body is
//     base64-encoded (isBase64Encoded true) only when the request's
//     Content-Type matches one of the API's binaryMediaTypes (wildcards
//     such as image/* and */*; a request without Content-Type matches
//     none), else passed as text (bytes that are not UTF-8 become U+FFFD).
//     The response is mapped as payload 1.0 (headers and multiValueHeaders
//     merged); a base64 body (isBase64Encoded true) is decoded to bytes
//     only when the request's first Accept media type or the response's
//     Content-Type matches a binary media type, else the base64 text is
//     served, as AWS documents. A function error, an invocation failure or a
//     malformed response 502 {"message": "Internal server error"}; no
//     answer within the integration timeout (29 s by default) 504
//     {"message": "Endpoint request timed out"}.
//   - HTTP_PROXY: forwarded as for HTTP APIs; failure 502, timeout 504.
//   - MOCK: the request template's {"statusCode": N} (200 without one)
//     selects the integration response whose selectionPattern matches N
//     wholly, else the default one (no pattern); its statusCode,
//     responseTemplates body (application/json first, served as written)
//     and static responseParameters headers ('value') are the response;
//     none selected 500 {"message": "Internal server error"}.
//
// REST gateway responses carry x-amzn-ErrorType (e.g.
// MissingAuthenticationTokenException).
// Authorization of REST methods: CUSTOM runs the method's Lambda
// authorizer through package authorizer's Caller (results cached for the
// authorizer's TTL per API, stage, authorizer and identity values): TOKEN
// authorizers take the header of their identity source (absent, empty or
// not matching identityValidationExpression: 401 {"message":"Unauthorized"}
// without calling the function) and get {"type":"TOKEN",
// "authorizationToken", "methodArn"}; REQUEST authorizers need every
// identity source (method.request.header.X, method.request.querystring.X,
// stageVariables.X, context.X) present and get {"type":"REQUEST",
// "methodArn"} with the proxy event's request fields (no body). The IAM
// policy answer is evaluated against the method ARN: an explicit Deny 403
// {"message":"User is not authorized to access this resource with an
// explicit deny"}, no Allow 403 {"message":"User is not authorized to
// access this resource"}; a function failing with "Unauthorized" 401; any
// other failure or unreadable answer 500 {"message":null}. The principalId,
// context and integrationLatency reach the function in
// requestContext.authorizer. COGNITO_USER_POOLS methods verify the token
// of the authorizer's identity source (default the Authorization header,
// "Bearer " optional) against its providerARNs' user pools: the issuer
// https://cognito-idp.<region>.amazonaws.com/<poolId>, the signature with
// the keys [Options.UserPoolKeys] gives for it (the Cognito service will
// implement that KeySource; package app takes it with WithUserPoolKeys),
// expiry; any audience (every app client of the pool). Failures 401
// {"message":"Unauthorized"}; the claims, as strings, reach the function
// in requestContext.authorizer.claims.
//
// Missing for REST APIs: without Options.UserPoolKeys (no Cognito service
// yet) COGNITO_USER_POOLS methods are refused 401; a method's
// authorizationScopes (access tokens) are not checked; Cognito claims are
// rendered by the JWT rule (exp and iat as epoch numbers, not AWS's date
// text) and requestContext.authorizer also carries "scopes"; methods with
// apiKeyRequired answer 403 Forbidden (API keys and usage plans are not
// modelled); mapping templates are not evaluated (AWS/HTTP non-proxy
// integrations are refused by the control plane); contentHandling
// (CONVERT_TO_TEXT/BINARY) is ignored; no CORS or custom gateway
// responses for REST APIs; usage plans' throttling (API keys) is not
// modelled; the other method settings (metrics, logging, caching) are
// stored but have no effect.
//
// Shown by the tests of this package (servers started by package fogtest,
// APIs created with aws-sdk-go-v2, routes called with net/http):
//   - payload 2.0 and 1.0 events and response mapping: TestPayloadV2 and
//     TestPayloadV1AndNamedStage (Python), TestRealFunctionEventsV2 and
//     TestRealFunctionEventsV1 (a Go function decoding aws-lambda-go's
//     event types, testdata/gohandler on provided.al2023, and a Node async
//     handler, testdata/node on nodejs20.x, behind a named stage);
//   - binary bodies: TestBinaryRoundTrip (the Go and Node functions get a
//     non-UTF-8 body base64-encoded and answer it base64-encoded, through
//     HTTP API routes of both payload versions and a REST API declaring
//     application/octet-stream binary); TestRESTBinaryMediaTypes (image/*
//     added by UpdateRestApi: request bodies base64 only for a matching
//     Content-Type; base64 answers decoded for a matching first Accept
//     type or answer Content-Type, else served as base64 text);
//   - REST throttling: TestRESTThrottling (UpdateStage method settings for
//     */* and for single methods, burst 1 and burst 0: 429 with
//     TooManyRequestsException; other methods and stages unaffected);
//   - stage variables choosing aliases: TestHTTPAPIStagesCallAliases,
//     TestRESTProxyEventAndStages;
//   - errors, timeouts, missing routes: TestResponsesAndErrors,
//     TestRESTResponsesAndErrors;
//   - HTTP_PROXY: TestHTTPProxy (method, path, query, headers and body
//     forwarded; upstream status and headers back; unreachable upstream
//     500, timeout 503), TestRESTHTTPProxy;
//   - authorizers: TestJWTAuthorizer, TestLambdaAuthorizers,
//     TestRESTLambdaAuthorizers, TestRESTCognitoAuthorizer;
//     TestIAMAuthorization (requests signed by aws-sdk-go-v2's v4 signer
//     with the root key and with a Lambda function's role session, header
//     and presigned, host- and path-style, to HTTP API routes of both
//     payload versions and a REST method: the caller's identity in the
//     events; unsigned, wrong-secret, unknown-key, tokenless-session,
//     changed-body and 20-minute-old requests refused); CORS,
//     throttling and metrics: TestCors, TestThrottlingAndMetrics;
//   - access logs: TestAccessLogs (an HTTP API stage with a JSON format and
//     a REST stage with the Common Log Format, lines read back with the
//     cloudwatchlogs client's FilterLogEvents).
//
// test/awscli's TestHTTPAPIQuickCreate creates a function and an HTTP API
// with the AWS CLI's quick create against the built binary and calls it
// path-style and host-style.
//
// Missing: IAM policy evaluation for AWS_IAM routes (every valid
// signature is allowed; no "User: ... is not authorized to perform:
// execute-api:Invoke" refusal, no resource policies);
// identityValidationExpression and the authorizer's credentials are
// ignored; $context variables beyond a few in identity sources; access
// logs: Firehose destinations are not written, AWS's opaque stream names
// are not copied (one stream per API and stage), values are not
// JSON-escaped, the format is not checked for $context.requestId, and
// variables beyond the list above (authorizer claims and context,
// identity.caller/user, waf, xrayTraceId, error.responseType) render "-";
// the throttling buckets are per node, not shared across nodes.
package gateway
