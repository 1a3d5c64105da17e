package gateway_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/gateway/authorizer/authtest"
)

const functionARN = "arn:aws:lambda:us-east-1:000000000000:function:"

// authorizer creates an authorizer and returns its id.
func (f *fixture) authorizer(in *apigatewayv2.CreateAuthorizerInput) string {
	f.t.Helper()
	in.ApiId = f.apiID
	out, err := f.agw.CreateAuthorizer(f.t.Context(), in)
	if err != nil {
		f.t.Fatalf("CreateAuthorizer %s: %v", aws.ToString(in.Name), err)
	}
	return aws.ToString(out.AuthorizerId)
}

// secured returns a route modifier for an authorizer.
func secured(authType agtypes.AuthorizationType, id string, scopes ...string) func(*apigatewayv2.CreateRouteInput) {
	return func(in *apigatewayv2.CreateRouteInput) {
		in.AuthorizationType, in.AuthorizerId, in.AuthorizationScopes = authType, aws.String(id), scopes
	}
}

// get sends a GET with the given headers.
func (f *fixture) get(path string, header ...string) (*http.Response, string) {
	f.t.Helper()
	req := newRequest(f.t, "GET", f.srv.APIURL(*f.apiID, "", path), "")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return f.do(req)
}

func TestJWTAuthorizer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	iss := authtest.StartIssuer(t)
	id := f.authorizer(&apigatewayv2.CreateAuthorizerInput{Name: aws.String("jwt"), AuthorizerType: agtypes.AuthorizerTypeJwt,
		IdentitySource:   []string{"$request.header.Authorization"},
		JwtConfiguration: &agtypes.JWTConfiguration{Issuer: aws.String(iss.URL), Audience: []string{"app"}}})
	f.routeWith("GET /jwt", "echo", "2.0", testTimeout, secured(agtypes.AuthorizationTypeJwt, id))
	f.routeWith("GET /admin", "echo", "1.0", testTimeout, secured(agtypes.AuthorizationTypeJwt, id, "admin"))
	f.stage("$default", nil)
	// A stage serving a deployment gets the authorizers it froze.
	if _, err := f.agw.CreateStage(t.Context(), &apigatewayv2.CreateStageInput{ApiId: f.apiID, StageName: aws.String("v1")}); err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	if _, err := f.agw.CreateDeployment(t.Context(), &apigatewayv2.CreateDeploymentInput{ApiId: f.apiID, StageName: aws.String("v1")}); err != nil {
		t.Fatalf("CreateDeployment: %v", err)
	}

	now := time.Now()
	valid := jwt.Claims{Issuer: iss.URL, Audience: jwt.Audience{"app"}, Subject: "u1", Expiry: jwt.NewNumericDate(now.Add(time.Hour))}
	with := func(change func(c *jwt.Claims)) string {
		c := valid
		change(&c)
		return "Bearer " + iss.Sign(t, c, nil)
	}
	tests := []struct {
		name, path, token string
		status            int
		body, challenge   string
	}{
		{"missing header", "/jwt", "", 401, `{"message":"Unauthorized"}`, ""},
		{"deployed stage, missing header", "/v1/jwt", "", 401, `{"message":"Unauthorized"}`, ""},
		{"expired", "/jwt", with(func(c *jwt.Claims) { c.Expiry = jwt.NewNumericDate(now.Add(-time.Hour)) }), 401,
			`{"message":"Unauthorized"}`, `Bearer scope="" error="invalid_token" error_description="the token has expired"`},
		{"wrong audience", "/jwt", with(func(c *jwt.Claims) { c.Audience = jwt.Audience{"other"} }), 401,
			`{"message":"Unauthorized"}`, `Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"`},
		{"wrong issuer", "/jwt", with(func(c *jwt.Claims) { c.Issuer = "https://other.example" }), 401,
			`{"message":"Unauthorized"}`, `Bearer scope="" error="invalid_token" error_description="the token does not have a valid issuer"`},
		{"alg none", "/jwt", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9.", 401,
			`{"message":"Unauthorized"}`, `Bearer scope="" error="invalid_token" error_description="signing method none is invalid"`},
		{"bad signature", "/jwt", tamper(with(func(*jwt.Claims) {})), 401,
			`{"message":"Unauthorized"}`, `Bearer scope="" error="invalid_token" error_description="signature is invalid"`},
		{"missing scope", "/admin", with(func(*jwt.Claims) {}), 403, `{"message":"Forbidden"}`,
			`Bearer scope="admin" error="insufficient_scope" error_description="the token does not have the required scopes"`},
	}
	for _, tc := range tests {
		resp, body := f.get(tc.path, "Authorization", tc.token)
		got := []any{resp.StatusCode, body, resp.Header.Get("Www-Authenticate")}
		if diff := cmp.Diff([]any{tc.status, tc.body, tc.challenge}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}

	resp, body := f.get("/jwt", "Authorization", with(func(*jwt.Claims) {}))
	ev := decodeEvent(t, resp, body)
	got := pick(ev, "requestContext.authorizer.jwt.claims.sub", "requestContext.authorizer.jwt.claims.aud", "requestContext.authorizer.jwt.scopes")
	want := map[string]any{"requestContext.authorizer.jwt.claims.sub": "u1", "requestContext.authorizer.jwt.claims.aud": "app",
		"requestContext.authorizer.jwt.scopes": nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v2 authorizer context (-want +got):\n%s", diff)
	}
	admin := "Bearer " + iss.Sign(t, valid, map[string]any{"scope": "read admin"})
	resp, body = f.get("/admin", "Authorization", admin)
	ev = decodeEvent(t, resp, body)
	got = pick(ev, "requestContext.authorizer.claims.sub", "requestContext.authorizer.claims.scope", "requestContext.authorizer.scopes")
	want = map[string]any{"requestContext.authorizer.claims.sub": "u1", "requestContext.authorizer.claims.scope": "read admin",
		"requestContext.authorizer.scopes": []any{"read", "admin"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v1 authorizer context (-want +got):\n%s", diff)
	}
}

// tamper changes a token's signature.
func tamper(token string) string {
	i := strings.LastIndexByte(token, '.')
	sig := []byte(token[i+1:])
	if sig[0] == 'A' {
		sig[0] = 'B'
	} else {
		sig[0] = 'A'
	}
	return token[:i+1] + string(sig)
}

func TestLambdaAuthorizers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	simple := f.authorizer(&apigatewayv2.CreateAuthorizerInput{Name: aws.String("simple"), AuthorizerType: agtypes.AuthorizerTypeRequest,
		AuthorizerUri: aws.String(functionARN + "auth_simple"), AuthorizerPayloadFormatVersion: aws.String("2.0"),
		EnableSimpleResponses: aws.Bool(true), IdentitySource: []string{"$request.header.X-Token"}, AuthorizerResultTtlInSeconds: aws.Int32(300)})
	policy := f.authorizer(&apigatewayv2.CreateAuthorizerInput{Name: aws.String("policy"), AuthorizerType: agtypes.AuthorizerTypeRequest,
		AuthorizerUri:                  aws.String("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + functionARN + "auth_policy/invocations"),
		AuthorizerPayloadFormatVersion: aws.String("1.0"), IdentitySource: []string{"$request.querystring.token"}})
	broken := f.authorizer(&apigatewayv2.CreateAuthorizerInput{Name: aws.String("broken"), AuthorizerType: agtypes.AuthorizerTypeRequest,
		AuthorizerUri: aws.String(functionARN + "auth_broken"), AuthorizerPayloadFormatVersion: aws.String("2.0"),
		EnableSimpleResponses: aws.Bool(true), IdentitySource: []string{"$request.header.X-Token"}})
	f.routeWith("GET /simple", "echo", "2.0", testTimeout, secured(agtypes.AuthorizationTypeCustom, simple))
	f.routeWith("GET /policy", "echo", "1.0", testTimeout, secured(agtypes.AuthorizationTypeCustom, policy))
	f.routeWith("POST /policy", "echo", "1.0", testTimeout, secured(agtypes.AuthorizationTypeCustom, policy))
	f.routeWith("GET /broken", "echo", "2.0", testTimeout, secured(agtypes.AuthorizationTypeCustom, broken))
	f.stage("$default", nil)

	tests := []struct {
		name, method, path, token string
		want                      response
	}{
		{"no identity", "GET", "/simple", "", response{401, `{"message":"Unauthorized"}`}},
		{"simple deny", "GET", "/simple", "bad", response{403, `{"message":"Forbidden"}`}},
		{"policy deny", "GET", "/policy?token=bad", "", response{403, `{"message":"Forbidden"}`}},
		{"policy other method", "POST", "/policy?token=good", "", response{403, `{"message":"Forbidden"}`}},
		{"policy no identity", "GET", "/policy", "", response{401, `{"message":"Unauthorized"}`}},
		{"authorizer error", "GET", "/broken", "x", response{500, `{"message":"Internal Server Error"}`}},
	}
	for _, tc := range tests {
		req := newRequest(t, tc.method, f.srv.APIURL(*f.apiID, "", tc.path), "")
		if tc.token != "" {
			req.Header.Set("X-Token", tc.token)
		}
		resp, body := f.do(req)
		if diff := cmp.Diff(tc.want, response{resp.StatusCode, body}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}

	// Two requests within the TTL: the authorizer runs once, so both see
	// the context it gave the first (its requestId).
	resp, body := f.get("/simple", "X-Token", "good")
	first := decodeEvent(t, resp, body)
	resp, body = f.get("/simple", "X-Token", "good")
	second := decodeEvent(t, resp, body)
	got := pick(second, "requestContext.authorizer.lambda.user", "requestContext.authorizer.lambda.seen")
	want := map[string]any{"requestContext.authorizer.lambda.user": "u-good",
		"requestContext.authorizer.lambda.seen": pick(first, "requestContext.requestId")["requestContext.requestId"]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cached simple authorizer (-want +got):\n%s", diff)
	}

	resp, body = f.get("/policy?token=good")
	ev := decodeEvent(t, resp, body)
	got = pick(ev, "requestContext.authorizer.principalId", "requestContext.authorizer.k", "requestContext.authorizer.type",
		"requestContext.authorizer.version")
	want = map[string]any{"requestContext.authorizer.principalId": "p-good", "requestContext.authorizer.k": "v",
		"requestContext.authorizer.type": "REQUEST", "requestContext.authorizer.version": "1.0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policy authorizer context (-want +got):\n%s", diff)
	}
}
