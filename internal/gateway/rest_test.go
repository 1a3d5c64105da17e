package gateway_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
	"github.com/fogbank/fogbank/internal/gateway/authorizer"
	"github.com/fogbank/fogbank/internal/gateway/authorizer/authtest"
)

// restPython is the REST tests' function code: echo answers the event and
// the WHO environment variable (which differs between the function's
// versions, so that a test sees which alias a stage called); b64 answers
// three bytes base64-encoded with the X-Reply-Type header's content type.
const restPython = `import base64, json, os, time


def echo(event, context):
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "multiValueHeaders": {"x-multi": ["a", "b"]},
            "body": json.dumps({"who": os.environ.get("WHO", ""), "event": event})}


def b64(event, context):
    reply = event["headers"].get("X-Reply-Type", "application/octet-stream")
    return {"statusCode": 200, "headers": {"content-type": reply},
            "body": base64.b64encode(b"\x00\x01bin").decode(), "isBase64Encoded": True}


def fail(event, context):
    raise Exception("boom")


def slow(event, context):
    time.sleep(3)
    return {"statusCode": 200, "body": "late"}


def bad(event, context):
    return {"hello": "world"}


calls = 0


def token_auth(event, context):
    global calls
    calls += 1
    token = event["authorizationToken"]
    if token == "bad":
        raise Exception("Unauthorized")
    if token == "broken":
        return "not a policy"
    effect = "Deny" if token == "deny" else "Allow"
    return {"principalId": "user-" + token,
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]},
            "context": {"type": event["type"], "calls": calls}}


def request_auth(event, context):
    user = event["headers"].get("X-User")
    arn = event["methodArn"]
    effect = "Allow" if user == "alice" else "Deny"
    return {"principalId": user,
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": effect, "Resource": arn.split("/")[0] + "/*"}]},
            "context": {"type": event["type"], "resource": event["resource"], "k": event["queryStringParameters"]["k"],
                        "fields": ",".join(sorted(k for k in ("version", "body", "authorizationToken") if k in event))}}
`

// restFixture is one server with the REST test functions and a REST API.
type restFixture struct {
	*fixture
	ag     *apigateway.Client
	restID *string
	root   *string
}

func restZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("rest.py")
	_, _ = w.Write([]byte(restPython))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newRESTFixture starts a server with the functions of restPython (echo
// with aliases prod → version 1, WHO=prod, and staging → version 2,
// WHO=staging) and an empty REST API.
func newRESTFixture(t *testing.T, opts ...fogtest.Option) *restFixture {
	t.Helper()
	srv := fogtest.Start(t, opts...)
	lc := srv.Lambda(func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	ctx := t.Context()
	code := restZip(t)
	for _, fn := range []string{"echo", "b64", "fail", "slow", "bad", "token_auth", "request_auth"} {
		_, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("rest" + fn),
			Runtime: ltypes.RuntimePython312, Handler: aws.String("rest." + fn), Role: aws.String("arn:aws:iam::000000000000:role/r"),
			Code: &ltypes.FunctionCode{ZipFile: code}, Timeout: aws.Int32(25),
			Environment: &ltypes.Environment{Variables: map[string]string{"WHO": "prod"}}})
		if err != nil {
			t.Fatalf("CreateFunction %s: %v", fn, err)
		}
	}
	for _, who := range []string{"prod", "staging"} {
		_, err := lc.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("restecho"),
			Environment: &ltypes.Environment{Variables: map[string]string{"WHO": who}}})
		if err != nil {
			t.Fatalf("UpdateFunctionConfiguration: %v", err)
		}
		v, err := lc.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String("restecho")})
		if err != nil {
			t.Fatalf("PublishVersion: %v", err)
		}
		_, err = lc.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("restecho"), Name: aws.String(who), FunctionVersion: v.Version})
		if err != nil {
			t.Fatalf("CreateAlias: %v", err)
		}
	}
	ag := srv.APIGateway(func(o *apigateway.Options) { o.RetryMaxAttempts = 1 })
	api, err := ag.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("rest")})
	if err != nil {
		t.Fatalf("CreateRestApi: %v", err)
	}
	return &restFixture{fixture: &fixture{t: t, srv: srv}, ag: ag, restID: api.Id, root: api.RootResourceId}
}

// resource creates a resource under parent.
func (f *restFixture) resource(parent *string, part string) *string {
	f.t.Helper()
	res, err := f.ag.CreateResource(f.t.Context(), &apigateway.CreateResourceInput{RestApiId: f.restID, ParentId: parent, PathPart: aws.String(part)})
	if err != nil {
		f.t.Fatalf("CreateResource %s: %v", part, err)
	}
	return res.Id
}

// method adds a method with the given authorization (and authorizer, for
// CUSTOM and COGNITO_USER_POOLS) to a resource.
func (f *restFixture) method(res *string, verb, authType string, authorizerID ...string) {
	f.t.Helper()
	in := &apigateway.PutMethodInput{RestApiId: f.restID, ResourceId: res, HttpMethod: aws.String(verb), AuthorizationType: aws.String(authType)}
	if len(authorizerID) > 0 {
		in.AuthorizerId = aws.String(authorizerID[0])
	}
	if _, err := f.ag.PutMethod(f.t.Context(), in); err != nil {
		f.t.Fatalf("PutMethod: %v", err)
	}
}

// lambdaMethod adds a method with an AWS_PROXY integration to function fn
// (which may name ${stageVariables.x}).
func (f *restFixture) lambdaMethod(res *string, verb, fn string, timeoutMS int32) {
	f.t.Helper()
	f.method(res, verb, "NONE")
	uri := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:" + fn + "/invocations"
	_, err := f.ag.PutIntegration(f.t.Context(), &apigateway.PutIntegrationInput{RestApiId: f.restID, ResourceId: res, HttpMethod: aws.String(verb),
		Type: agtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(uri), TimeoutInMillis: aws.Int32(timeoutMS)})
	if err != nil {
		f.t.Fatalf("PutIntegration: %v", err)
	}
}

// deploy deploys the API to a stage with variables.
func (f *restFixture) deploy(stage string, vars map[string]string) *string {
	f.t.Helper()
	dep, err := f.ag.CreateDeployment(f.t.Context(), &apigateway.CreateDeploymentInput{RestApiId: f.restID, StageName: aws.String(stage), Variables: vars})
	if err != nil {
		f.t.Fatalf("CreateDeployment: %v", err)
	}
	return dep.Id
}

// echoed calls the echo function and returns what it answered.
func (f *restFixture) echoed(req *http.Request) (who string, ev map[string]any) {
	f.t.Helper()
	resp, body := f.do(req)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("%s %s = %d %s", req.Method, req.URL, resp.StatusCode, body)
	}
	var out struct {
		Who   string         `json:"who"`
		Event map[string]any `json:"event"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		f.t.Fatalf("decode: %v", err)
	}
	return out.Who, out.Event
}

func TestRESTProxyEventAndStages(t *testing.T) {
	t.Parallel()
	f := newRESTFixture(t)
	items := f.resource(f.root, "items")
	item := f.resource(items, "{id}")
	files := f.resource(f.root, "files")
	proxy := f.resource(files, "{proxy+}")
	f.lambdaMethod(item, "GET", "restecho:${stageVariables.alias}", testTimeout)
	f.lambdaMethod(proxy, "ANY", "restecho:${stageVariables.alias}", testTimeout)
	dep := f.deploy("prod", map[string]string{"alias": "prod"})
	_, err := f.ag.CreateStage(t.Context(), &apigateway.CreateStageInput{RestApiId: f.restID, StageName: aws.String("staging"),
		DeploymentId: dep, Variables: map[string]string{"alias": "staging"}})
	if err != nil {
		t.Fatalf("CreateStage: %v", err)
	}

	req := newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/items/7?q=1&q=2"), "")
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	req.Header.Set("User-Agent", "fogtest")
	who, ev := f.echoed(req)
	got := pick(ev, "version", "resource", "path", "httpMethod", "headers.X-Multi", "multiValueHeaders.X-Multi",
		"queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body", "isBase64Encoded",
		"requestContext.stage", "requestContext.path", "requestContext.resourcePath", "requestContext.resourceId",
		"requestContext.httpMethod", "requestContext.apiId", "requestContext.accountId", "requestContext.protocol",
		"requestContext.identity.sourceIp", "requestContext.identity.userAgent", "requestContext.domainName")
	got["who"] = who
	want := map[string]any{
		"version": nil, "resource": "/items/{id}", "path": "/items/7", "httpMethod": "GET",
		"headers.X-Multi": "two", "multiValueHeaders.X-Multi": []any{"one", "two"},
		"queryStringParameters": map[string]any{"q": "2"}, "multiValueQueryStringParameters": map[string]any{"q": []any{"1", "2"}},
		"pathParameters": map[string]any{"id": "7"}, "stageVariables": map[string]any{"alias": "prod"}, "body": nil,
		"isBase64Encoded": false, "requestContext.stage": "prod", "requestContext.path": "/prod/items/7",
		"requestContext.resourcePath": "/items/{id}", "requestContext.resourceId": *item, "requestContext.httpMethod": "GET",
		"requestContext.apiId": *f.restID, "requestContext.accountId": "000000000000", "requestContext.protocol": "HTTP/1.1",
		"requestContext.identity.sourceIp": "127.0.0.1", "requestContext.identity.userAgent": "fogtest",
		"requestContext.domainName": *f.restID + ".execute-api.localhost", "who": "prod",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if _, ok := ev["requestContext"].(map[string]any)["requestTimeEpoch"].(float64); !ok {
		t.Errorf("requestContext.requestTimeEpoch = %v, want a number", ev["requestContext"])
	}

	// The staging stage calls the staging alias; the greedy resource takes
	// any method; the path-style address reaches the same stages.
	stagingWho, _ := f.echoed(newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "staging", "/items/8"), ""))
	_, greedy := f.echoed(newRequest(t, "POST", f.srv.RESTAPIURL(*f.restID, "prod", "/files/a/b%20c.txt"), `{"k":"v"}`))
	pathWho, pathEv := f.echoed(newRequest(t, "GET", f.srv.URL()+"/_api/"+*f.restID+"/staging/items/9", ""))
	got = map[string]any{"staging": stagingWho, "greedy": pick(greedy, "resource", "pathParameters", "body", "httpMethod"),
		"pathStyle": []any{pathWho, pathEv["pathParameters"]}}
	want = map[string]any{"staging": "staging",
		"greedy":    map[string]any{"resource": "/files/{proxy+}", "pathParameters": map[string]any{"proxy": "a/b c.txt"}, "body": `{"k":"v"}`, "httpMethod": "POST"},
		"pathStyle": []any{"staging", map[string]any{"id": "9"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stages and routing (-want +got):\n%s", diff)
	}

	// A stage variable changed by UpdateStage is served at once.
	_, err = f.ag.UpdateStage(t.Context(), &apigateway.UpdateStageInput{RestApiId: f.restID, StageName: aws.String("prod"),
		PatchOperations: []agtypes.PatchOperation{{Op: agtypes.OpReplace, Path: aws.String("/variables/alias"), Value: aws.String("staging")}}})
	if err != nil {
		t.Fatalf("UpdateStage: %v", err)
	}
	if who, _ := f.echoed(newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/items/7"), "")); who != "staging" {
		t.Errorf("after UpdateStage, prod called alias %q, want staging", who)
	}
}

func TestRESTResponsesAndErrors(t *testing.T) {
	t.Parallel()
	f := newRESTFixture(t)
	items := f.resource(f.root, "items")
	f.lambdaMethod(items, "GET", "restecho", testTimeout)
	special := f.resource(items, "special")
	item := f.resource(items, "{id}")
	f.lambdaMethod(item, "GET", "restecho", testTimeout)
	f.lambdaMethod(f.resource(f.root, "fail"), "GET", "restfail", testTimeout)
	f.lambdaMethod(f.resource(f.root, "bad"), "GET", "restbad", testTimeout)
	f.lambdaMethod(f.resource(f.root, "slow"), "GET", "restslow", 1000)
	f.lambdaMethod(f.resource(f.root, "missing"), "GET", "nosuchfunction", testTimeout)
	cognito, err := f.ag.CreateAuthorizer(t.Context(), &apigateway.CreateAuthorizerInput{RestApiId: f.restID, Name: aws.String("pool"),
		Type: agtypes.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc"}})
	if err != nil {
		t.Fatalf("CreateAuthorizer: %v", err)
	}
	for _, auth := range []string{"COGNITO_USER_POOLS", "AWS_IAM"} {
		res := f.resource(f.root, strings.ToLower(auth))
		f.method(res, "GET", auth, aws.ToString(cognito.Id))
		_, err := f.ag.PutIntegration(t.Context(), &apigateway.PutIntegrationInput{RestApiId: f.restID, ResourceId: res,
			HttpMethod: aws.String("GET"), Type: agtypes.IntegrationTypeMock})
		if err != nil {
			t.Fatalf("PutIntegration: %v", err)
		}
	}
	f.mock(special)
	f.deploy("prod", nil)

	resp, body := f.do(newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/items"), ""))
	got := []any{resp.StatusCode, resp.Header.Values("X-Multi"), resp.Header.Get("Content-Type")}
	if diff := cmp.Diff([]any{200, []string{"a", "b"}, "application/json"}, got); diff != "" {
		t.Errorf("GET /items (-want +got):\n%s\n%s", diff, body)
	}
	resp, body = f.do(newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/items/special"), ""))
	got = []any{resp.StatusCode, body, resp.Header.Get("X-Mock")}
	if diff := cmp.Diff([]any{201, `{"mock": true}`, "yes"}, got); diff != "" {
		t.Errorf("MOCK literal beats {id} (-want +got):\n%s", diff)
	}

	const (
		missingToken = `{"message":"Missing Authentication Token"}`
		internal     = `{"message": "Internal server error"}`
	)
	tests := []struct {
		method, stage, path string
		want                response
	}{
		{"GET", "prod", "/fail", response{502, internal}},
		{"GET", "prod", "/bad", response{502, internal}},
		{"GET", "prod", "/missing", response{502, internal}},
		{"GET", "prod", "/slow", response{504, `{"message": "Endpoint request timed out"}`}},
		{"GET", "prod", "/nothing", response{403, missingToken}},
		{"DELETE", "prod", "/items/7", response{403, missingToken}},
		{"GET", "prod", "/aws_iam", response{403, missingToken}},
		{"GET", "prod", "/cognito_user_pools", response{401, `{"message":"Unauthorized"}`}},
		{"GET", "nostage", "/items", response{403, `{"message":"Forbidden"}`}},
	}
	for _, tc := range tests {
		resp, body := f.do(newRequest(t, tc.method, f.srv.RESTAPIURL(*f.restID, tc.stage, tc.path), ""))
		if diff := cmp.Diff(tc.want, response{resp.StatusCode, body}); diff != "" {
			t.Errorf("%s /%s%s (-want +got):\n%s", tc.method, tc.stage, tc.path, diff)
		}
	}

	// A new method is served only once deployed.
	f.lambdaMethod(items, "POST", "restecho", testTimeout)
	post := func() int {
		resp, _ := f.do(newRequest(t, "POST", f.srv.RESTAPIURL(*f.restID, "prod", "/items"), "x"))
		return resp.StatusCode
	}
	before := post()
	f.deploy("prod", nil)
	if diff := cmp.Diff([]int{403, 200}, []int{before, post()}); diff != "" {
		t.Errorf("POST /items before and after deployment (-want +got):\n%s", diff)
	}
}

// mock gives a resource a GET answered by a MOCK integration: 201 with a
// static body and an X-Mock header.
func (f *restFixture) mock(res *string) {
	f.t.Helper()
	ctx := f.t.Context()
	f.method(res, "GET", "NONE")
	get := aws.String("GET")
	_, err := f.ag.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: f.restID, ResourceId: res, HttpMethod: get,
		Type: agtypes.IntegrationTypeMock, RequestTemplates: map[string]string{"application/json": `{"statusCode": 201}`}})
	if err != nil {
		f.t.Fatalf("PutIntegration MOCK: %v", err)
	}
	for _, code := range []string{"201", "500"} {
		_, err = f.ag.PutMethodResponse(ctx, &apigateway.PutMethodResponseInput{RestApiId: f.restID, ResourceId: res, HttpMethod: get,
			StatusCode: aws.String(code), ResponseParameters: map[string]bool{"method.response.header.X-Mock": true}})
		if err != nil {
			f.t.Fatalf("PutMethodResponse: %v", err)
		}
	}
	_, err = f.ag.PutIntegrationResponse(ctx, &apigateway.PutIntegrationResponseInput{RestApiId: f.restID, ResourceId: res, HttpMethod: get,
		StatusCode: aws.String("500"), ResponseTemplates: map[string]string{"application/json": `{"mock": "default"}`}})
	if err == nil {
		_, err = f.ag.PutIntegrationResponse(ctx, &apigateway.PutIntegrationResponseInput{RestApiId: f.restID, ResourceId: res, HttpMethod: get,
			StatusCode: aws.String("201"), SelectionPattern: aws.String("2\\d\\d"),
			ResponseTemplates:  map[string]string{"application/json": `{"mock": true}`},
			ResponseParameters: map[string]string{"method.response.header.X-Mock": "'yes'"}})
	}
	if err != nil {
		f.t.Fatalf("PutIntegrationResponse: %v", err)
	}
}

// lambdaAuthorizer creates a TOKEN or REQUEST authorizer calling function fn.
func (f *restFixture) lambdaAuthorizer(typ agtypes.AuthorizerType, fn, source string, ttl int32) string {
	f.t.Helper()
	uri := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:" + fn + "/invocations"
	out, err := f.ag.CreateAuthorizer(f.t.Context(), &apigateway.CreateAuthorizerInput{RestApiId: f.restID, Name: aws.String(fn), Type: typ,
		IdentitySource: aws.String(source), AuthorizerUri: aws.String(uri), AuthorizerResultTtlInSeconds: aws.Int32(ttl)})
	if err != nil {
		f.t.Fatalf("CreateAuthorizer: %v", err)
	}
	return aws.ToString(out.Id)
}

// securedEcho gives a resource a GET to the echo function behind an authorizer.
func (f *restFixture) securedEcho(res *string, authorizerID string) {
	f.t.Helper()
	f.method(res, "GET", "CUSTOM", authorizerID)
	uri := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:restecho/invocations"
	_, err := f.ag.PutIntegration(f.t.Context(), &apigateway.PutIntegrationInput{RestApiId: f.restID, ResourceId: res, HttpMethod: aws.String("GET"),
		Type: agtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(uri), TimeoutInMillis: aws.Int32(testTimeout)})
	if err != nil {
		f.t.Fatalf("PutIntegration: %v", err)
	}
}

func TestRESTLambdaAuthorizers(t *testing.T) {
	t.Parallel()
	f := newRESTFixture(t)
	token := f.lambdaAuthorizer(agtypes.AuthorizerTypeToken, "resttoken_auth", "method.request.header.Authorization", 300)
	request := f.lambdaAuthorizer(agtypes.AuthorizerTypeRequest, "restrequest_auth", "method.request.header.X-User, method.request.querystring.k", 0)
	f.securedEcho(f.resource(f.root, "token"), token)
	f.securedEcho(f.resource(f.root, "request"), request)
	f.deploy("prod", nil)

	call := func(path string, header ...string) (*http.Response, string) {
		req := newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", path), "")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return f.do(req)
	}
	authorizerOf := func(path string, header ...string) map[string]any {
		t.Helper()
		resp, body := call(path, header...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, resp.StatusCode, body)
		}
		var out struct {
			Event struct {
				RequestContext struct {
					Authorizer map[string]any `json:"authorizer"`
				} `json:"requestContext"`
			} `json:"event"`
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("decode: %v", err)
		}
		az := out.Event.RequestContext.Authorizer
		if _, ok := az["integrationLatency"].(float64); !ok {
			t.Errorf("authorizer.integrationLatency = %v, want a number", az["integrationLatency"])
		}
		delete(az, "integrationLatency")
		return az
	}

	first := authorizerOf("/token", "Authorization", "good")
	again := authorizerOf("/token", "Authorization", "good") // cached: the function is not called again
	want := map[string]any{"principalId": "user-good", "type": "TOKEN", "calls": first["calls"]}
	if diff := cmp.Diff([]map[string]any{want, want}, []map[string]any{first, again}); diff != "" {
		t.Errorf("TOKEN authorizer context (-want +got):\n%s", diff)
	}
	req := authorizerOf("/request?k=v", "X-User", "alice")
	wantReq := map[string]any{"principalId": "alice", "type": "REQUEST", "resource": "/request", "k": "v", "fields": ""}
	if diff := cmp.Diff(wantReq, req); diff != "" {
		t.Errorf("REQUEST authorizer context (-want +got):\n%s", diff)
	}

	const (
		unauthorized = `{"message":"Unauthorized"}`
		denied       = `{"message":"User is not authorized to access this resource with an explicit deny"}`
	)
	tests := []struct {
		name   string
		path   string
		header []string
		want   response
	}{
		{"no token", "/token", nil, response{401, unauthorized}},
		{"function says Unauthorized", "/token", []string{"Authorization", "bad"}, response{401, unauthorized}},
		{"deny policy", "/token", []string{"Authorization", "deny"}, response{403, denied}},
		{"unreadable answer", "/token", []string{"Authorization", "broken"}, response{500, `{"message":null}`}},
		{"missing query source", "/request", []string{"X-User", "alice"}, response{401, unauthorized}},
		{"request deny", "/request?k=v", []string{"X-User", "bob"}, response{403, denied}},
	}
	for _, tc := range tests {
		resp, body := call(tc.path, tc.header...)
		if diff := cmp.Diff(tc.want, response{resp.StatusCode, body}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestRESTHTTPProxy(t *testing.T) {
	t.Parallel()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/back/slow" {
			<-r.Context().Done() // until the gateway gives up
			return
		}
		w.Header().Set("X-Backend", "yes")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte(r.Method + " " + r.URL.RequestURI() + " " + r.Header.Get("X-In")))
	}))
	t.Cleanup(backend.Close)
	f := newRESTFixture(t)
	proxy := f.resource(f.resource(f.root, "svc"), "{proxy+}")
	f.method(proxy, "ANY", "NONE")
	_, err := f.ag.PutIntegration(t.Context(), &apigateway.PutIntegrationInput{RestApiId: f.restID, ResourceId: proxy, HttpMethod: aws.String("ANY"),
		Type: agtypes.IntegrationTypeHttpProxy, IntegrationHttpMethod: aws.String("ANY"), Uri: aws.String(backend.URL + "/back/{proxy}"),
		TimeoutInMillis: aws.Int32(500)})
	if err != nil {
		t.Fatalf("PutIntegration: %v", err)
	}
	f.deploy("prod", nil)

	req := newRequest(t, "PUT", f.srv.RESTAPIURL(*f.restID, "prod", "/svc/a/b?x=1"), "")
	req.Header.Set("X-In", "hdr")
	resp, body := f.do(req)
	got := []any{resp.StatusCode, body, resp.Header.Get("X-Backend")}
	if diff := cmp.Diff([]any{http.StatusTeapot, "PUT /back/a/b?x=1 hdr", "yes"}, got); diff != "" {
		t.Errorf("HTTP_PROXY (-want +got):\n%s", diff)
	}
	resp, body = f.do(newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/svc/slow"), ""))
	if diff := cmp.Diff(response{504, `{"message": "Endpoint request timed out"}`}, response{resp.StatusCode, body}); diff != "" {
		t.Errorf("HTTP_PROXY timeout (-want +got):\n%s", diff)
	}
}

// poolKeys is a user pool key source over a locally generated key, as the
// Cognito service will serve its pools' keys.
type poolKeys struct {
	issuer string
	keys   []authorizer.Key
}

// Keys implements authorizer.KeySource.
func (p poolKeys) Keys(_ context.Context, issuer string, _ bool) ([]authorizer.Key, error) {
	if issuer != p.issuer {
		return nil, errors.New("no such user pool: " + issuer)
	}
	return p.keys, nil
}

func TestRESTCognitoAuthorizer(t *testing.T) {
	t.Parallel()
	const (
		poolARN = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_test"
		issuer  = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test"
	)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := newRESTFixture(t, fogtest.WithUserPoolKeys(poolKeys{issuer: issuer, keys: []authorizer.Key{{ID: "k1", Public: &key.PublicKey}}}))
	pool, err := f.ag.CreateAuthorizer(t.Context(), &apigateway.CreateAuthorizerInput{RestApiId: f.restID, Name: aws.String("pool"),
		Type: agtypes.AuthorizerTypeCognitoUserPools, ProviderARNs: []string{poolARN}})
	if err != nil {
		t.Fatalf("CreateAuthorizer: %v", err)
	}
	me := f.resource(f.root, "me")
	f.method(me, "GET", "COGNITO_USER_POOLS", aws.ToString(pool.Id))
	uri := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:restecho/invocations"
	_, err = f.ag.PutIntegration(t.Context(), &apigateway.PutIntegrationInput{RestApiId: f.restID, ResourceId: me, HttpMethod: aws.String("GET"),
		Type: agtypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(uri), TimeoutInMillis: aws.Int32(testTimeout)})
	if err != nil {
		t.Fatalf("PutIntegration: %v", err)
	}
	f.deploy("prod", nil)

	now := time.Now()
	claims := func(iss string, exp time.Time) jwt.Claims {
		return jwt.Claims{Issuer: iss, Subject: "u1", Audience: jwt.Audience{"client1"}, Expiry: jwt.NewNumericDate(exp), IssuedAt: jwt.NewNumericDate(now)}
	}
	extra := map[string]any{"email": "a@example.com", "token_use": "id"}
	good := authtest.SignWith(t, key, "k1", claims(issuer, now.Add(time.Hour)), extra)
	get := func(token string) (*http.Response, string) {
		req := newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/me"), "")
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		return f.do(req)
	}

	req := newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/me"), "")
	req.Header.Set("Authorization", good)
	_, ev := f.echoed(req)
	got := pick(ev, "requestContext.authorizer.claims.sub", "requestContext.authorizer.claims.email", "requestContext.authorizer.claims.aud")
	want := map[string]any{"requestContext.authorizer.claims.sub": "u1", "requestContext.authorizer.claims.email": "a@example.com",
		"requestContext.authorizer.claims.aud": "client1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if resp, _ := get("Bearer " + good); resp.StatusCode != http.StatusOK {
		t.Errorf("Bearer token = %d, want 200", resp.StatusCode)
	}
	refused := map[string]string{
		"no token":    "",
		"expired":     authtest.SignWith(t, key, "k1", claims(issuer, now.Add(-time.Hour)), extra),
		"other pool":  authtest.SignWith(t, key, "k1", claims("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other", now.Add(time.Hour)), extra),
		"other key":   authtest.SignWith(t, other, "k1", claims(issuer, now.Add(time.Hour)), extra),
		"not a token": "abc",
	}
	for name, token := range refused {
		resp, body := get(token)
		if diff := cmp.Diff(response{401, `{"message":"Unauthorized"}`}, response{resp.StatusCode, body}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}
