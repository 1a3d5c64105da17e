package gateway

import (
	"context"
	"time"
)

// RESTSource gives the gateway the REST APIs' definitions (API Gateway
// v1). Implementations must be safe for concurrent use.
type RESTSource interface {
	// Revision returns a number that changes whenever the REST API
	// changes; 0 when it does not exist. It is called often and must be
	// cheap.
	Revision(ctx context.Context, apiID string) (int64, error)
	// RESTDefinition returns the REST API's definition; nil and no error
	// when it does not exist.
	RESTDefinition(ctx context.Context, apiID string) (*RESTDefinition, error)
}

// RESTDefinition is what the gateway serves of one REST API.
type RESTDefinition struct {
	// APIID is the REST API's id.
	APIID string
	// Revision is the REST API's revision when the definition was read.
	Revision int64
	// Disabled answers every request 403 (disableExecuteApiEndpoint).
	Disabled bool
	// BinaryMediaTypes are the media types (wildcards like image/* and
	// */* allowed) whose bodies AWS_PROXY integrations pass base64-encoded.
	BinaryMediaTypes []string
	// Stages are the REST API's stages, each with its deployment's
	// resource tree.
	Stages []RESTStage
}

// RESTStage is one stage and the resources of its deployment.
type RESTStage struct {
	// Name is the stage name, the first segment of the request path.
	Name string
	// Variables are the stage variables.
	Variables map[string]string
	// Resources are the deployed resources.
	Resources []RESTResource
	// Authorizers are the deployed authorizers.
	Authorizers []RESTAuthorizer
	// AccessLog is the stage's accessLogSettings; nil when unset.
	AccessLog *AccessLog
	// DefaultThrottle limits each method (the "*/*" method settings);
	// MethodThrottles, by method key ("GET /items/{id}"), override it
	// member by member.
	DefaultThrottle Throttle
	MethodThrottles map[string]Throttle
}

// REST authorizer types.
const (
	// AuthorizerToken calls a Lambda function with a bearer token.
	AuthorizerToken = "TOKEN"
	// AuthorizerCognito verifies a Cognito user pool token.
	AuthorizerCognito = "COGNITO_USER_POOLS"
)

// RESTAuthorizer is one authorizer of a REST API.
type RESTAuthorizer struct {
	// ID is the authorizer id.
	ID string
	// Type is AuthorizerToken, AuthorizerRequest or AuthorizerCognito.
	Type string
	// IdentitySource is the comma-separated identity expressions, e.g.
	// "method.request.header.Authorization" or
	// "method.request.header.X-User, method.request.querystring.k,
	// stageVariables.v, context.x".
	IdentitySource string
	// IdentityValidationExpression is a TOKEN authorizer's regular
	// expression the token must match; empty for none.
	IdentityValidationExpression string
	// URI is the Lambda authorizer's invocation ARN.
	URI string
	// ProviderARNs are a Cognito authorizer's user pools,
	// arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>.
	ProviderARNs []string
	// ResultTTL is how long a result is cached per identity; zero caches nothing.
	ResultTTL time.Duration
}

// RESTResource is one resource of a deployment.
type RESTResource struct {
	// ID is the resource id (requestContext.resourceId).
	ID string
	// Path is the resource path, e.g. "/items/{id}" or "/{proxy+}".
	Path string
	// Methods are the resource's methods.
	Methods []RESTMethod
}

// RESTMethod is one method of a resource.
type RESTMethod struct {
	// HTTPMethod is the method, or "ANY".
	HTTPMethod string
	// AuthorizationType is NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS.
	AuthorizationType string
	// AuthorizerID names the method's authorizer.
	AuthorizerID string
	// APIKeyRequired asks for an x-api-key header.
	APIKeyRequired bool
	// Integration is the method's integration; nil when none.
	Integration *RESTIntegration
}

// Integration types of REST APIs beyond the proxy ones.
const (
	// TypeMock answers from the integration responses' templates.
	TypeMock = "MOCK"
)

// RESTIntegration is a method's integration.
type RESTIntegration struct {
	// Type is TypeAWSProxy, TypeHTTPProxy or TypeMock.
	Type string
	// URI is the apigateway invocation ARN of a Lambda function or a URL;
	// ${stageVariables.name} is substituted.
	URI string
	// HTTPMethod is the HTTP_PROXY method; "ANY" forwards the request's.
	HTTPMethod string
	// Timeout bounds the integration; DefaultRESTIntegrationTimeout when zero.
	Timeout time.Duration
	// RequestTemplates are a MOCK's request templates by content type;
	// {"statusCode": N} selects the integration response.
	RequestTemplates map[string]string
	// Responses are the integration responses.
	Responses []RESTIntegrationResponse
}

// RESTIntegrationResponse maps an integration status onto a response.
type RESTIntegrationResponse struct {
	// StatusCode is the method response's status.
	StatusCode string
	// SelectionPattern selects the response by a regular expression over
	// the integration status; empty for the default response.
	SelectionPattern string
	// ResponseTemplates are the bodies by content type.
	ResponseTemplates map[string]string
	// ResponseParameters set headers: "method.response.header.X": "'value'".
	ResponseParameters map[string]string
}

// DefaultRESTIntegrationTimeout is REST APIs' integration timeout (29 s).
const DefaultRESTIntegrationTimeout = 29 * time.Second

// restSnapshot is the immutable compiled form of one REST API; missing
// marks an id that is no REST API (so that HTTP API requests pay no read).
type restSnapshot struct {
	missing  bool
	disabled bool
	binary   mediaTypes
	stages   map[string]*restStage
}

// restStage is what one REST stage serves: its methods as routes keyed
// "METHOD /path" with the resource id as route id.
type restStage struct {
	table       *stageTable
	methods     map[*compiledRoute]*RESTMethod
	authorizers map[string]*RESTAuthorizer
}

// compileREST builds the snapshot of a REST definition.
func compileREST(def *RESTDefinition) *restSnapshot {
	snap := &restSnapshot{disabled: def.Disabled, binary: mediaTypes(def.BinaryMediaTypes), stages: make(map[string]*restStage)}
	for _, st := range def.Stages {
		rs := &restStage{table: &stageTable{name: st.Name, variables: st.Variables, accessLog: compileAccessLog(st.AccessLog, true)}, methods: make(map[*compiledRoute]*RESTMethod),
			authorizers: make(map[string]*RESTAuthorizer, len(st.Authorizers))}
		for i := range st.Authorizers {
			rs.authorizers[st.Authorizers[i].ID] = &st.Authorizers[i]
		}
		for _, res := range st.Resources {
			for i := range res.Methods {
				m := &res.Methods[i]
				cr, ok := compileRoute(Route{ID: res.ID, Key: m.HTTPMethod + " " + res.Path, AuthorizationType: m.AuthorizationType,
					AuthorizerID: m.AuthorizerID})
				if !ok {
					continue
				}
				cr.integ = proxyIntegration(m.Integration)
				cr.limiter = newLimiter(st.DefaultThrottle, st.MethodThrottles[cr.Key])
				rs.table.routes = append(rs.table.routes, cr)
				rs.methods[cr] = m
			}
		}
		snap.stages[st.Name] = rs
	}
	return snap
}

// proxyIntegration is the Integration the proxy paths take (payload 1.0).
func proxyIntegration(ri *RESTIntegration) *Integration {
	if ri == nil {
		return nil
	}
	timeout := ri.Timeout
	if timeout <= 0 {
		timeout = DefaultRESTIntegrationTimeout
	}
	return &Integration{Type: ri.Type, URI: ri.URI, Method: ri.HTTPMethod, PayloadFormatVersion: "1.0", Timeout: timeout}
}

// newRESTCache is the cache of REST APIs' snapshots over opts.REST; an id
// that is no REST API is remembered as missing (revision 0), so that HTTP
// API requests pay no read.
func newRESTCache(opts *Options) *cache[*restSnapshot] {
	return &cache[*restSnapshot]{after: opts.RevalidateAfter, now: opts.Now, revision: opts.REST.Revision,
		load: func(ctx context.Context, id string) (*restSnapshot, int64, bool, error) {
			def, err := opts.REST.RESTDefinition(ctx, id)
			switch {
			case err != nil:
				return nil, 0, false, err
			case def == nil:
				return &restSnapshot{missing: true}, 0, true, nil
			}
			return compileREST(def), def.Revision, true, nil
		}}
}

// InvalidateREST drops the routing snapshot of a REST API, so that the
// next request reads its definition again. The control plane calls it
// after every change.
func (h *Handler) InvalidateREST(apiID string) {
	if h.rests != nil {
		h.rests.invalidate(apiID)
	}
}
