package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/gateway"
	"github.com/fogbank/fogbank/internal/gateway/authorizer"
	"github.com/fogbank/fogbank/internal/server"
	"github.com/fogbank/fogbank/internal/service/apigateway"
	"github.com/fogbank/fogbank/internal/storage"
)

// newRESTAPIs builds the apigateway (REST APIs) control plane; its
// changes drop the gateway's routing snapshots.
func (a *App) newRESTAPIs(engine storage.Engine) error {
	var err error
	a.apigateway, err = apigateway.New(apigateway.Options{
		Engine:   engine,
		OnChange: func(apiID string) { a.gateway.InvalidateREST(apiID) },
		Logger:   a.component("apigateway"),
	})
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

// WithUserPoolKeys gives the gateway the signing keys of Cognito user
// pools, by issuer, for REST APIs' COGNITO_USER_POOLS authorizers (the
// Cognito service will provide them; tests give a local key set).
func WithUserPoolKeys(keys authorizer.KeySource) Option {
	return func(o *options) { o.userPoolKeys = keys }
}

// restAPIsREST is the server registration of the apigateway API.
func restAPIsREST(svc *apigateway.Service) server.RESTService {
	return server.RESTService{SigningName: apigateway.SigningName, PathPrefixes: apigateway.PathPrefixes, API: svc.API()}
}

// restSource serves the gateway the REST APIs apigateway stores.
type restSource struct{ svc *apigateway.Service }

// Revision implements gateway.RESTSource.
func (g restSource) Revision(ctx context.Context, apiID string) (int64, error) {
	return g.svc.Revision(ctx, apiID)
}

// RESTDefinition implements gateway.RESTSource.
func (g restSource) RESTDefinition(ctx context.Context, apiID string) (*gateway.RESTDefinition, error) {
	def, err := g.svc.Definition(ctx, apiID)
	if errors.Is(err, apigateway.ErrNoAPI) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &gateway.RESTDefinition{APIID: def.APIID, Revision: def.Revision, Disabled: def.Disabled, BinaryMediaTypes: def.BinaryMediaTypes}
	for _, st := range def.Stages {
		gs := gateway.RESTStage{Name: st.Name, Variables: st.Variables}
		gs.DefaultThrottle, gs.MethodThrottles = restThrottles(st.MethodSettings)
		if al := st.AccessLog; al != nil {
			gs.AccessLog = &gateway.AccessLog{DestinationARN: al.DestinationArn, Format: al.Format}
		}
		for _, res := range st.Resources {
			gs.Resources = append(gs.Resources, restResource(res))
		}
		for _, az := range st.Authorizers {
			gs.Authorizers = append(gs.Authorizers, gateway.RESTAuthorizer{ID: az.ID, Type: az.Type, IdentitySource: az.IdentitySource,
				IdentityValidationExpression: az.IdentityValidationExpression, URI: az.AuthorizerURI, ProviderARNs: az.ProviderARNs,
				ResultTTL: time.Duration(derefInt(az.AuthorizerResultTTLInSeconds)) * time.Second})
		}
		out.Stages = append(out.Stages, gs)
	}
	return out, nil
}

// restThrottles converts a stage's method settings into the gateway's
// throttling: "*/*" limits every method, "<path>/<METHOD>" one method
// (key "METHOD /path"); a negative limit is unset.
func restThrottles(settings map[string]*apigateway.MethodSetting) (def gateway.Throttle, methods map[string]gateway.Throttle) {
	for key, ms := range settings {
		th := gateway.Throttle{}
		if ms.ThrottlingBurstLimit >= 0 {
			th.Burst = &ms.ThrottlingBurstLimit
		}
		if ms.ThrottlingRateLimit >= 0 {
			th.Rate = &ms.ThrottlingRateLimit
		}
		if key == apigateway.AllMethods {
			def = th
			continue
		}
		i := strings.LastIndexByte(key, '/')
		if i < 0 {
			continue
		}
		if methods == nil {
			methods = make(map[string]gateway.Throttle)
		}
		methods[key[i+1:]+" /"+key[:i]] = th
	}
	return def, methods
}

// restResource converts one deployed resource.
func restResource(res *apigateway.Resource) gateway.RESTResource {
	gr := gateway.RESTResource{ID: res.ID, Path: res.Path}
	for verb, m := range res.ResourceMethods {
		gr.Methods = append(gr.Methods, gateway.RESTMethod{HTTPMethod: verb, AuthorizationType: m.AuthorizationType,
			AuthorizerID: m.AuthorizerID, APIKeyRequired: m.APIKeyRequired, Integration: restIntegration(m.MethodIntegration)})
	}
	return gr
}

// restIntegration converts a method's integration.
func restIntegration(in *apigateway.Integration) *gateway.RESTIntegration {
	if in == nil {
		return nil
	}
	out := &gateway.RESTIntegration{Type: in.Type, URI: in.URI, HTTPMethod: in.HTTPMethod,
		Timeout: time.Duration(in.TimeoutInMillis) * time.Millisecond, RequestTemplates: in.RequestTemplates}
	for _, ir := range in.IntegrationResponses {
		out.Responses = append(out.Responses, gateway.RESTIntegrationResponse{StatusCode: ir.StatusCode,
			SelectionPattern: ir.SelectionPattern, ResponseTemplates: ir.ResponseTemplates, ResponseParameters: ir.ResponseParameters})
	}
	slices.SortFunc(out.Responses, func(a, b gateway.RESTIntegrationResponse) int { return cmp.Compare(a.StatusCode, b.StatusCode) })
	return out
}

// derefInt is *p, 0 when p is nil.
func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

var _ gateway.RESTSource = restSource{}
