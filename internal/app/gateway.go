package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/fogbank/fogbank/internal/gateway"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service/apigatewayv2"
	"github.com/fogbank/fogbank/internal/service/lambda"
	"github.com/fogbank/fogbank/internal/sigv4"
	"github.com/fogbank/fogbank/internal/storage"
)

// Where HTTP APIs answer: http://<apiId>.<ExecuteAPIDomain>:<port>/ and
// the path-style fallback http://<host>:<port><ExecuteAPIPathPrefix><apiId>/.
const (
	ExecuteAPIDomain     = "execute-api.localhost"
	ExecuteAPIPathPrefix = "/_api/"
)

// newAPIGateway builds the apigatewayv2 control plane and the gateway
// data plane over it and the Lambda service.
func (a *App) newAPIGateway(engine storage.Engine) error {
	var err error
	a.apigatewayv2, err = apigatewayv2.New(apigatewayv2.Options{
		Engine:    engine,
		AccountID: a.cfg.AccountID,
		Endpoint:  a.apiEndpoint,
		OnChange:  func(apiID string) { a.gateway.Invalidate(apiID) },
		Logger:    a.component("apigatewayv2"),
	})
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.gateway, err = gateway.New(gateway.Options{
		Source:        gatewaySource{a.apigatewayv2},
		Invoker:       lambdaInvoker{a.lambda},
		REST:          restSource{a.apigateway},
		UserPoolKeys:  a.userPoolKeys,
		AccountID:     a.cfg.AccountID,
		Region:        a.cfg.Region,
		Domain:        ExecuteAPIDomain,
		Logger:        a.component("gateway"),
		Metrics:       a.metrics.Gateway(),
		AccessLogSink: a.logs,
		VerifySigV4: func(r *http.Request, payloadHash string) (*sigv4.Result, error) {
			return a.server.VerifySigV4(r, payloadHash, gateway.SigningName)
		},
	})
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

// apiEndpoint is the ApiEndpoint of an HTTP API on this server.
func (a *App) apiEndpoint(apiID string) string {
	_, port, err := net.SplitHostPort(a.server.Addr())
	if err != nil {
		port = "4566"
	}
	return "http://" + apiID + "." + ExecuteAPIDomain + ":" + port
}

// apiGatewayREST is the server registration of the apigatewayv2 API.
func apiGatewayREST(svc *apigatewayv2.Service) server.RESTService {
	return server.RESTService{SigningName: apigatewayv2.SigningName, PathPrefixes: apigatewayv2.PathPrefixes, API: svc.API()}
}

// gatewayRoute is the server registration of the data plane.
func (a *App) gatewayRoute() *server.Gateway {
	return &server.Gateway{Domain: ExecuteAPIDomain, PathPrefix: ExecuteAPIPathPrefix, Handler: a.gateway}
}

// closeGateway waits for the invocations the gateway stopped waiting for;
// call it after the Lambda service closed, which aborts them.
func (a *App) closeGateway() {
	if a.gateway != nil {
		a.gateway.Close()
	}
}

// gatewaySource serves the gateway the definitions apigatewayv2 stores.
type gatewaySource struct{ svc *apigatewayv2.Service }

// Revision implements gateway.Source.
func (g gatewaySource) Revision(ctx context.Context, apiID string) (int64, error) {
	return g.svc.Revision(ctx, apiID)
}

// Definition implements gateway.Source.
func (g gatewaySource) Definition(ctx context.Context, apiID string) (*gateway.Definition, error) {
	def, err := g.svc.Definition(ctx, apiID)
	if errors.Is(err, apigatewayv2.ErrNoAPI) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &gateway.Definition{APIID: def.APIID, Revision: def.Revision, Disabled: def.Disabled, Cors: gatewayCors(def.Cors)}
	for _, st := range def.Stages {
		out.Stages = append(out.Stages, gatewayStage(st))
	}
	return out, nil
}

// gatewayStage converts what one stage serves.
func gatewayStage(st apigatewayv2.DeployedStage) gateway.Stage {
	gs := gateway.Stage{Name: st.Name, Variables: st.Variables, DefaultThrottle: throttle(st.DefaultRouteSettings)}
	if al := st.AccessLog; al != nil {
		gs.AccessLog = &gateway.AccessLog{DestinationARN: al.DestinationArn, Format: al.Format}
	}
	for _, rt := range st.Routes {
		gs.Routes = append(gs.Routes, gateway.Route{ID: rt.RouteID, Key: rt.RouteKey, Target: rt.Target,
			AuthorizationType: rt.AuthorizationType, AuthorizerID: rt.AuthorizerID, AuthorizationScopes: rt.AuthorizationScopes})
	}
	for _, in := range st.Integrations {
		gs.Integrations = append(gs.Integrations, gateway.Integration{
			ID: in.IntegrationID, Type: in.IntegrationType, URI: in.IntegrationURI, Method: in.IntegrationMethod,
			PayloadFormatVersion: in.PayloadFormatVersion, Timeout: time.Duration(in.TimeoutInMillis) * time.Millisecond,
		})
	}
	for _, az := range st.Authorizers {
		ga := gateway.Authorizer{ID: az.AuthorizerID, Type: az.AuthorizerType, IdentitySource: az.IdentitySource,
			URI: az.AuthorizerURI, PayloadFormatVersion: az.AuthorizerPayloadFormatVersion,
			SimpleResponses: az.EnableSimpleResponses, ResultTTL: time.Duration(az.AuthorizerResultTTLInSeconds) * time.Second}
		if jc := az.JWTConfiguration; jc != nil {
			ga.Issuer, ga.Audience = jc.Issuer, jc.Audience
		}
		gs.Authorizers = append(gs.Authorizers, ga)
	}
	if len(st.RouteSettings) > 0 {
		gs.RouteThrottles = make(map[string]gateway.Throttle, len(st.RouteSettings))
		for key, rs := range st.RouteSettings {
			gs.RouteThrottles[key] = throttle(&rs)
		}
	}
	return gs
}

// throttle is the throttling part of route settings.
func throttle(rs *apigatewayv2.RouteSettings) gateway.Throttle {
	if rs == nil {
		return gateway.Throttle{}
	}
	return gateway.Throttle{Burst: rs.ThrottlingBurstLimit, Rate: rs.ThrottlingRateLimit}
}

// gatewayCors converts a CorsConfiguration.
func gatewayCors(c *apigatewayv2.Cors) *gateway.Cors {
	if c == nil {
		return nil
	}
	return &gateway.Cors{AllowOrigins: c.AllowOrigins, AllowMethods: c.AllowMethods, AllowHeaders: c.AllowHeaders,
		ExposeHeaders: c.ExposeHeaders, AllowCredentials: c.AllowCredentials != nil && *c.AllowCredentials, MaxAge: c.MaxAge}
}

// lambdaInvoker runs the gateway's functions on the Lambda service.
type lambdaInvoker struct{ svc *lambda.Service }

// Invoke implements gateway.Invoker.
func (l lambdaInvoker) Invoke(ctx context.Context, function string, payload []byte) (gateway.InvokeResult, error) {
	res, err := l.svc.InvokeDirect(ctx, function, payload)
	return gateway.InvokeResult{Payload: res.Payload, FunctionError: res.FunctionError}, err
}

var (
	_ gateway.Source  = gatewaySource{}
	_ gateway.Invoker = lambdaInvoker{}
)
