package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/gateway/authorizer"
	"github.com/fogbank/fogbank/internal/logging"
)

// Route authorization types.
const (
	authJWT    = "JWT"
	authCustom = "CUSTOM"
)

// authResult is what a route's authorizer established, for the events.
type authResult struct {
	jwt     *authorizer.Token
	lambda  *authorizer.Result
	iam     *iamCaller
	latency time.Duration
}

// authorize runs the route's authorizer; false when it refused the
// request (and answered it).
func (h *Handler) authorize(w http.ResponseWriter, in *incoming) bool {
	rt := in.route
	switch rt.AuthorizationType {
	case "", "NONE":
		return true
	case authIAM:
		return h.iamAuthorize(w, in, respInternal, respTooLarge)
	}
	az := in.stage.authorizers[rt.AuthorizerID]
	switch {
	case az != nil && rt.AuthorizationType == authJWT && az.Type == AuthorizerJWT:
		return h.authorizeJWT(w, in, az)
	case az != nil && rt.AuthorizationType == authCustom && az.Type == AuthorizerRequest:
		return h.authorizeLambda(w, in, az)
	}
	h.logger.WarnContext(in.r.Context(), "route authorizer missing", slog.String("route", rt.Key), slog.String("authorizer", rt.AuthorizerID))
	respInternal.write(w, in.r)
	return false
}

// authorizeJWT verifies the bearer token of the identity source.
func (h *Handler) authorizeJWT(w http.ResponseWriter, in *incoming, az *Authorizer) bool {
	vals, ok := in.identity(az.IdentitySource)
	if !ok || len(vals) == 0 {
		respUnauthorized.write(w, in.r)
		return false
	}
	raw := strings.TrimSpace(vals[0])
	if len(raw) > 7 && strings.EqualFold(raw[:7], "bearer ") {
		raw = strings.TrimSpace(raw[7:])
	}
	cfg := authorizer.JWTConfig{Issuer: az.Issuer, Audience: az.Audience, Scopes: in.route.AuthorizationScopes}
	tok, err := h.verifier.Verify(in.r.Context(), raw, cfg)
	var ae *authorizer.Error
	switch {
	case errors.As(err, &ae):
		w.Header().Set("Www-Authenticate", ae.WWWAuthenticate())
		if ae.Forbidden {
			respForbidden.write(w, in.r)
		} else {
			respUnauthorized.write(w, in.r)
		}
		return false
	case err != nil:
		h.logger.WarnContext(in.r.Context(), "JWT keys unavailable", slog.String("issuer", az.Issuer), slog.Any(logging.KeyErr, err))
		w.Header().Set("Www-Authenticate", (&authorizer.Error{Description: "unable to fetch the issuer's keys"}).WWWAuthenticate())
		respUnauthorized.write(w, in.r)
		return false
	}
	in.auth = &authResult{jwt: tok}
	return true
}

// authorizeLambda calls a REQUEST authorizer (or takes its cached result
// for the same identity) and checks it admits the route.
func (h *Handler) authorizeLambda(w http.ResponseWriter, in *incoming, az *Authorizer) bool {
	vals, ok := in.identity(az.IdentitySource)
	if !ok {
		respUnauthorized.write(w, in.r)
		return false
	}
	call := authorizer.Call{
		Function: functionOf(substitute(az.URI, in.stage.variables)),
		CacheKey: in.apiID + "/" + in.stage.name + "/" + az.ID + "\x00" + strings.Join(vals, "\x00"),
		TTL:      az.ResultTTL,
		Simple:   az.SimpleResponses && az.PayloadFormatVersion == "2.0",
	}
	if az.PayloadFormatVersion == "1.0" {
		call.Event = in.authorizerEventV1(vals)
	} else {
		call.Event = in.authorizerEventV2(vals)
	}
	started := time.Now()
	res, err := h.caller.Authorize(in.r.Context(), call)
	if err != nil {
		h.logger.WarnContext(in.r.Context(), "authorizer failed", slog.String("authorizer", az.ID), slog.Any(logging.KeyErr, err))
		respInternal.write(w, in.r)
		return false
	}
	if !res.Allows(in.routeARN()) {
		respForbidden.write(w, in.r)
		return false
	}
	in.auth = &authResult{lambda: res, latency: time.Since(started)}
	return true
}

// invokeAuthorizer adapts the Invoker to the authorizer package: a
// function error is an error.
func (h *Handler) invokeAuthorizer(ctx context.Context, function string, payload []byte) ([]byte, error) {
	res, err := h.opts.Invoker.Invoke(ctx, function, payload)
	if err != nil {
		return nil, err
	}
	if res.FunctionError != "" {
		return nil, errors.New("function error: " + res.FunctionError)
	}
	return res.Payload, nil
}

// routeARN is the execute-api ARN of the request, which IAM policy
// responses are checked against: arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>.
func (in *incoming) routeARN() string {
	return "arn:aws:execute-api:" + in.region + ":" + in.accountID + ":" + in.apiID + "/" + in.stage.name + "/" +
		in.r.Method + in.stagePath
}

// identity evaluates identity source expressions; false when one is
// missing or empty (the request is then refused 401 without calling the
// authorizer, as on AWS).
func (in *incoming) identity(sources []string) ([]string, bool) {
	out := make([]string, 0, len(sources))
	for _, src := range sources {
		v := in.identityValue(src)
		if v == "" {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

func (in *incoming) identityValue(src string) string {
	if name, ok := strings.CutPrefix(src, "$request.header."); ok {
		return strings.Join(in.r.Header.Values(name), ",")
	}
	if name, ok := strings.CutPrefix(src, "$request.querystring."); ok {
		return strings.Join(queryValues(in.r)[name], ",")
	}
	if name, ok := strings.CutPrefix(src, "$stageVariables."); ok {
		return in.stage.variables[name]
	}
	if name, ok := strings.CutPrefix(src, "$context."); ok {
		return in.contextValue(name)
	}
	return ""
}

// contextValue is the value of a $context variable the gateway knows.
func (in *incoming) contextValue(name string) string {
	switch name {
	case "apiId":
		return in.apiID
	case "requestId":
		return in.requestID
	case "routeKey":
		return in.route.Key
	case "stage":
		return in.stage.name
	case "httpMethod":
		return in.r.Method
	case "path":
		return in.rawPath
	case "identity.sourceIp":
		return in.sourceIP
	case "identity.userAgent":
		return in.r.UserAgent()
	}
	return ""
}

// authorizerEventV2 is the payload 2.0 event of a REQUEST authorizer.
type authorizerEventV2 struct {
	Type           string   `json:"type"`
	RouteArn       string   `json:"routeArn"`
	IdentitySource []string `json:"identitySource"`
	eventV2
}

// authorizerEventV1 is the payload 1.0 event of a REQUEST authorizer.
type authorizerEventV1 struct {
	Type               string `json:"type"`
	MethodArn          string `json:"methodArn"`
	IdentitySource     string `json:"identitySource"`
	AuthorizationToken string `json:"authorizationToken"`
	eventV1
}

func (in *incoming) authorizerEventV2(identity []string) authorizerEventV2 {
	ev := authorizerEventV2{Type: "REQUEST", RouteArn: in.routeARN(), IdentitySource: identity, eventV2: in.buildV2()}
	ev.Body, ev.IsBase64Encoded = nil, false
	return ev
}

func (in *incoming) authorizerEventV1(identity []string) authorizerEventV1 {
	joined := strings.Join(identity, ",")
	ev := authorizerEventV1{Type: "REQUEST", MethodArn: in.routeARN(), IdentitySource: joined,
		AuthorizationToken: joined, eventV1: in.buildV1()}
	ev.Body, ev.IsBase64Encoded = nil, false
	return ev
}

// authorizerV2 is requestContext.authorizer of payload 2.0 events.
type authorizerV2 struct {
	JWT    *jwtV2 `json:"jwt,omitempty"`
	Lambda any    `json:"lambda,omitempty"`
	IAM    *iamV2 `json:"iam,omitempty"`
}

type jwtV2 struct {
	Claims map[string]string `json:"claims"`
	Scopes []string          `json:"scopes"`
}

// contextV2 returns requestContext.authorizer for payload 2.0.
func (a *authResult) contextV2() *authorizerV2 {
	switch {
	case a == nil:
		return nil
	case a.jwt != nil:
		return &authorizerV2{JWT: &jwtV2{Claims: authorizer.StringClaims(a.jwt.Claims), Scopes: a.jwt.Scopes}}
	case a.iam != nil:
		return &authorizerV2{IAM: a.iam.v2()}
	}
	ctx := a.lambda.Context
	if ctx == nil {
		ctx = map[string]any{}
	}
	return &authorizerV2{Lambda: ctx}
}

// contextV1 returns requestContext.authorizer for payload 1.0: the JWT's
// claims and scopes, or the Lambda authorizer's context with its
// principalId and integrationLatency (ms); none for AWS_IAM (the caller
// is in requestContext.identity).
func (a *authResult) contextV1() map[string]any {
	switch {
	case a == nil, a.iam != nil:
		return nil
	case a.jwt != nil:
		return map[string]any{"claims": authorizer.StringClaims(a.jwt.Claims), "scopes": a.jwt.Scopes}
	}
	out := make(map[string]any, len(a.lambda.Context)+2)
	for k, v := range a.lambda.Context {
		out[k] = v
	}
	if a.lambda.PrincipalID != "" {
		out["principalId"] = a.lambda.PrincipalID
	}
	out["integrationLatency"] = a.latency.Milliseconds()
	return out
}
