// Package gateway is the data plane of API Gateway HTTP APIs: it serves
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
// Errors are HTTP API's gateway responses: no route 404 {"message":"Not
// Found"}; a function error, an invocation failure or a malformed function
// response 500 {"message":"Internal Server Error"}; an integration that
// does not answer within its timeout (TimeoutInMillis, 30 s by default)
// 503 {"message":"Service Unavailable"}; a disabled execute-api endpoint
// 403 {"message":"Forbidden"}; a body over 10 MB 413. (REST APIs answer
// 502/504 instead; they are not served yet.) When the integration times
// out the function keeps running to its own timeout, as on AWS; Close
// waits for such invocations.
package gateway
