package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/gateway/authorizer"
	"github.com/fogbank/fogbank/internal/logging"
)

// Gateway responses of REST API authorization.
var (
	restDenied = restResponse{http.StatusForbidden, `{"message":"User is not authorized to access this resource with an explicit deny"}`,
		"AccessDeniedException"}
	restNotAllowed = restResponse{http.StatusForbidden, `{"message":"User is not authorized to access this resource"}`, "AccessDeniedException"}
)

// errRefused is a Lambda authorizer failing with "Unauthorized", its way
// of answering 401.
var errRefused = errors.New("gateway: the authorizer answered Unauthorized")

// restAuthorize applies the method's authorization; false when it refused
// the request (and answered it). CUSTOM methods run their TOKEN or
// REQUEST Lambda authorizer, COGNITO_USER_POOLS methods verify a user
// pool token, AWS_IAM methods a SigV4 signature; methods requiring an API
// key are not served yet, so they are refused rather than left open.
func (h *Handler) restAuthorize(w http.ResponseWriter, in *incoming, rs *restStage, m *RESTMethod) bool {
	switch m.AuthorizationType {
	case "", "NONE":
	case "CUSTOM":
		if !h.restLambdaAuthorize(w, in, rs.authorizers[m.AuthorizerID]) {
			return false
		}
	case "COGNITO_USER_POOLS":
		if !h.restCognitoAuthorize(w, in, rs.authorizers[m.AuthorizerID]) {
			return false
		}
	case authIAM:
		if !h.iamAuthorize(w, in, restInternal, restTooLarge) {
			return false
		}
	default:
		restUnauthorized.write(w, in.r)
		return false
	}
	if m.APIKeyRequired {
		restForbidden.write(w, in.r)
		return false
	}
	return true
}

// restAuthEvent is a REST Lambda authorizer's event: TOKEN events carry
// the token, REQUEST events the request (as the proxy event, without body).
type restAuthEvent struct {
	Type               string `json:"type"`
	MethodArn          string `json:"methodArn"`
	AuthorizationToken string `json:"authorizationToken,omitempty"`
	*restEventV1
	// Body and IsBase64Encoded shadow the proxy event's; always nil.
	Body            *string `json:"body,omitempty"`
	IsBase64Encoded *bool   `json:"isBase64Encoded,omitempty"`
}

// restLambdaAuthorize calls a TOKEN or REQUEST authorizer (or takes its
// cached result for the same identity) and checks that its policy allows
// the method ARN.
func (h *Handler) restLambdaAuthorize(w http.ResponseWriter, in *incoming, az *RESTAuthorizer) bool {
	ctx := in.r.Context()
	if az == nil || (az.Type != AuthorizerToken && az.Type != AuthorizerRequest) {
		h.logger.WarnContext(ctx, "method authorizer missing", slog.String("resource", in.route.resource))
		restAuthorizerFailure.write(w, in.r)
		return false
	}
	vals, ok := in.restIdentity(az)
	if !ok {
		restUnauthorized.write(w, in.r)
		return false
	}
	arn := in.routeARN()
	call := authorizer.Call{Function: functionOf(substitute(az.URI, in.stage.variables)), TTL: az.ResultTTL,
		CacheKey: in.apiID + "/" + in.stage.name + "/" + az.ID + "\x00" + strings.Join(vals, "\x00")}
	if az.Type == AuthorizerToken {
		call.Event = restAuthEvent{Type: AuthorizerToken, MethodArn: arn, AuthorizationToken: vals[0]}
	} else {
		call.Event = restAuthEvent{Type: AuthorizerRequest, MethodArn: arn, restEventV1: &restEventV1{eventV1: in.buildV1()}}
		if len(vals) == 0 {
			call.TTL = 0 // no identity to cache by
		}
	}
	started := time.Now()
	res, err := h.restCaller.Authorize(ctx, call)
	switch {
	case errors.Is(err, errRefused):
		restUnauthorized.write(w, in.r)
		return false
	case err != nil:
		h.logger.WarnContext(ctx, "authorizer failed", slog.String("authorizer", az.ID), slog.Any(logging.KeyErr, err))
		restAuthorizerFailure.write(w, in.r)
		return false
	case explicitDeny(res, arn):
		restDenied.write(w, in.r)
		return false
	case !res.Allows(arn):
		restNotAllowed.write(w, in.r)
		return false
	}
	in.auth = &authResult{lambda: res, latency: time.Since(started)}
	return true
}

// restCognitoAuthorize verifies the token of a COGNITO_USER_POOLS
// authorizer's identity source ("Bearer " optional) against its user
// pools: signature, expiry and issuer, any app client's audience. Its
// claims reach the function in requestContext.authorizer.claims.
func (h *Handler) restCognitoAuthorize(w http.ResponseWriter, in *incoming, az *RESTAuthorizer) bool {
	ctx := in.r.Context()
	if az == nil || az.Type != AuthorizerCognito || h.poolVerifier == nil {
		h.logger.WarnContext(ctx, "user pool authorizer unavailable", slog.String("resource", in.route.resource))
		restUnauthorized.write(w, in.r)
		return false
	}
	raw := strings.TrimSpace(in.identityValue(restExpression(az.IdentitySource)))
	if len(raw) > 7 && strings.EqualFold(raw[:7], "bearer ") {
		raw = strings.TrimSpace(raw[7:])
	}
	if raw == "" {
		restUnauthorized.write(w, in.r)
		return false
	}
	var err error
	for _, arn := range az.ProviderARNs {
		issuer := userPoolIssuer(arn)
		if issuer == "" {
			continue
		}
		var tok *authorizer.Token
		if tok, err = h.poolVerifier.Verify(ctx, raw, authorizer.JWTConfig{Issuer: issuer, AnyAudience: true}); err == nil {
			in.auth = &authResult{jwt: tok}
			return true
		}
	}
	h.logger.DebugContext(ctx, "user pool token refused", slog.Any(logging.KeyErr, err))
	restUnauthorized.write(w, in.r)
	return false
}

// userPoolIssuer is the issuer of a user pool's tokens:
// arn:aws:cognito-idp:<region>:<account>:userpool/<poolId> →
// https://cognito-idp.<region>.amazonaws.com/<poolId>.
func userPoolIssuer(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[3] == "" || !strings.HasPrefix(parts[5], "userpool/") || len(parts[5]) == len("userpool/") {
		return ""
	}
	return "https://cognito-idp." + parts[3] + ".amazonaws.com/" + strings.TrimPrefix(parts[5], "userpool/")
}

// restIdentity evaluates an authorizer's identity sources; false when one
// is missing or empty, or a TOKEN does not match the validation expression.
func (in *incoming) restIdentity(az *RESTAuthorizer) ([]string, bool) {
	var vals []string
	for src := range strings.SplitSeq(az.IdentitySource, ",") {
		if src = strings.TrimSpace(src); src == "" {
			continue
		}
		v := in.identityValue(restExpression(src))
		if v == "" {
			return nil, false
		}
		vals = append(vals, v)
	}
	if az.Type != AuthorizerToken {
		return vals, true
	}
	if len(vals) != 1 {
		return nil, false
	}
	if expr := az.IdentityValidationExpression; expr != "" {
		re, err := regexp.Compile("^(?:" + expr + ")$")
		if err != nil || !re.MatchString(vals[0]) {
			return nil, false
		}
	}
	return vals, true
}

// restExpression turns a REST identity source (method.request.header.X,
// method.request.querystring.X, stageVariables.X, context.X) into the
// HTTP API form identityValue reads.
func restExpression(src string) string {
	for _, p := range [][2]string{{"method.request.header.", "$request.header."}, {"method.request.querystring.", "$request.querystring."},
		{"stageVariables.", "$stageVariables."}, {"context.", "$context."}} {
		if rest, ok := strings.CutPrefix(src, p[0]); ok {
			return p[1] + rest
		}
	}
	return src
}

// explicitDeny reports whether a policy response has a Deny statement for arn.
func explicitDeny(res *authorizer.Result, arn string) bool {
	var denies authorizer.Policy
	for _, st := range res.Policy.Statement {
		if strings.EqualFold(st.Effect, "Deny") {
			st.Effect = "Allow"
			denies.Statement = append(denies.Statement, st)
		}
	}
	return denies.Allows("execute-api:Invoke", arn)
}

// invokeRESTAuthorizer adapts the Invoker to the authorizer package for
// REST APIs: a function failing with the message "Unauthorized" is
// errRefused, any other function error an error.
func (h *Handler) invokeRESTAuthorizer(ctx context.Context, function string, payload []byte) ([]byte, error) {
	res, err := h.opts.Invoker.Invoke(ctx, function, payload)
	if err != nil {
		return nil, err
	}
	if res.FunctionError != "" {
		var doc struct {
			ErrorMessage string `json:"errorMessage"`
		}
		if json.Unmarshal(res.Payload, &doc) == nil && doc.ErrorMessage == "Unauthorized" {
			return nil, errRefused
		}
		return nil, errors.New("function error: " + res.FunctionError)
	}
	return res.Payload, nil
}
