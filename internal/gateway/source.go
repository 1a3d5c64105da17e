package gateway

import (
	"context"
	"time"
)

// Source gives the gateway the API definitions the control plane stores.
// Implementations must be safe for concurrent use.
type Source interface {
	// Revision returns a number that changes whenever the API changes; 0
	// when the API does not exist. It is called often and must be cheap.
	Revision(ctx context.Context, apiID string) (int64, error)
	// Definition returns the API's definition; nil and no error when the
	// API does not exist.
	Definition(ctx context.Context, apiID string) (*Definition, error)
}

// Definition is what the gateway serves of one API.
type Definition struct {
	// APIID is the API's id.
	APIID string
	// Revision is the API's revision when the definition was read.
	Revision int64
	// Disabled answers every request 403 (DisableExecuteApiEndpoint).
	Disabled bool
	// Cors is the API's CORS configuration; nil when none.
	Cors *Cors
	// Stages are the API's stages.
	Stages []Stage
}

// Stage is one stage and what it serves.
type Stage struct {
	// Name is the stage name; "$default" serves without a path prefix.
	Name string
	// Variables are the stage variables.
	Variables map[string]string
	// Routes are the stage's routes.
	Routes []Route
	// Integrations are the stage's integrations.
	Integrations []Integration
	// Authorizers are the stage's authorizers.
	Authorizers []Authorizer
	// DefaultThrottle limits each route; RouteThrottles (by route key)
	// override it member by member.
	DefaultThrottle Throttle
	RouteThrottles  map[string]Throttle
	// AccessLog is the stage's AccessLogSettings; nil when unset.
	AccessLog *AccessLog
}

// AccessLog is a stage's AccessLogSettings: after each request the
// Format, its $context variables rendered, is appended to the CloudWatch
// Logs group DestinationARN names
// (arn:aws:logs:<region>:<account>:log-group:<name>).
type AccessLog struct {
	DestinationARN string
	Format         string
}

// Throttle is a route's token bucket; nil members are unset (the account
// defaults apply when the other is set; neither set is no limit).
type Throttle struct {
	// Burst is ThrottlingBurstLimit, the bucket's size.
	Burst *int
	// Rate is ThrottlingRateLimit, in requests per second.
	Rate *float64
}

// Cors is an API's CorsConfiguration.
type Cors struct {
	AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders []string
	AllowCredentials                                        bool
	// MaxAge is Access-Control-Max-Age in seconds; nil when unset.
	MaxAge *int
}

// Authorizer types.
const (
	// AuthorizerJWT verifies a JWT against an issuer's keys.
	AuthorizerJWT = "JWT"
	// AuthorizerRequest calls a Lambda function.
	AuthorizerRequest = "REQUEST"
)

// Authorizer is one authorizer.
type Authorizer struct {
	// ID is the authorizer id.
	ID string
	// Type is AuthorizerJWT or AuthorizerRequest.
	Type string
	// IdentitySource are the expressions of the identity, e.g.
	// "$request.header.Authorization".
	IdentitySource []string
	// Issuer and Audience are a JWT authorizer's.
	Issuer   string
	Audience []string
	// URI is a REQUEST authorizer's function (a Lambda ARN or an
	// invocation ARN wrapping one).
	URI string
	// PayloadFormatVersion is a REQUEST authorizer's event format, "1.0"
	// or "2.0"; SimpleResponses selects {"isAuthorized": ...} responses.
	PayloadFormatVersion string
	SimpleResponses      bool
	// ResultTTL is how long a REQUEST authorizer's result is cached per
	// identity; zero caches nothing.
	ResultTTL time.Duration
}

// Route is one route.
type Route struct {
	// ID is the route id.
	ID string
	// Key is "$default" or "METHOD /path", e.g. "GET /items/{id}".
	Key string
	// Target is "integrations/<id>", or "" for none.
	Target string
	// AuthorizationType is "NONE" (or ""), "JWT" or "CUSTOM".
	AuthorizationType string
	// AuthorizerID names the route's authorizer.
	AuthorizerID string
	// AuthorizationScopes are the scopes a JWT must have one of.
	AuthorizationScopes []string
}

// Integration types.
const (
	// TypeAWSProxy invokes a Lambda function with a proxy event.
	TypeAWSProxy = "AWS_PROXY"
	// TypeHTTPProxy forwards the request to a URL.
	TypeHTTPProxy = "HTTP_PROXY"
)

// Integration is one integration.
type Integration struct {
	// ID is the integration id.
	ID string
	// Type is TypeAWSProxy or TypeHTTPProxy.
	Type string
	// URI is a Lambda function ARN (or an apigateway invocation ARN
	// wrapping one) or a URL; ${stageVariables.name} is substituted.
	URI string
	// Method is the HTTP_PROXY method; "ANY" forwards the request's.
	Method string
	// PayloadFormatVersion is "1.0" or "2.0" for AWS_PROXY.
	PayloadFormatVersion string
	// Timeout bounds the integration; DefaultIntegrationTimeout when zero.
	Timeout time.Duration
}

// Invoker runs Lambda functions synchronously. Implementations must be
// safe for concurrent use.
type Invoker interface {
	// Invoke runs function (a name or ARN, optionally qualified) with
	// payload. A failing function is a result with FunctionError set; err
	// is for invocations that could not run (no such function, throttled).
	Invoke(ctx context.Context, function string, payload []byte) (InvokeResult, error)
}

// InvokeResult is the outcome of an invocation.
type InvokeResult struct {
	// Payload is the function's response or error document.
	Payload []byte
	// FunctionError is non-empty when the function failed.
	FunctionError string
}
