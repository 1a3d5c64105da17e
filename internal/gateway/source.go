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
}

// Route is one route.
type Route struct {
	// ID is the route id.
	ID string
	// Key is "$default" or "METHOD /path", e.g. "GET /items/{id}".
	Key string
	// Target is "integrations/<id>", or "" for none.
	Target string
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
