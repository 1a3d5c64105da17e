package gateway_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// fixture is one server with the Python test functions and an HTTP API.
type fixture struct {
	t     *testing.T
	srv   *fogtest.Server
	agw   *apigatewayv2.Client
	apiID *string
}

func pythonZip(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile("testdata/python/app.py")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("app.py")
	_, _ = w.Write(src)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testTimeout is the integration timeout of the tests' routes: generous,
// for cold starts on a loaded machine.
const testTimeout = 20000

// newFixture starts a server, creates the functions of
// testdata/python/app.py, and an empty HTTP API.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := fogtest.Start(t)
	lc := srv.Lambda(func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	code := pythonZip(t)
	for _, fn := range []string{"echo", "bare", "fail", "slow", "binary", "auth_simple", "auth_policy", "auth_broken"} {
		_, err := lc.CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String(fn),
			Runtime: ltypes.RuntimePython312, Handler: aws.String("app." + fn), Role: aws.String("arn:aws:iam::000000000000:role/r"),
			Code: &ltypes.FunctionCode{ZipFile: code}, Timeout: aws.Int32(25)})
		if err != nil {
			t.Fatalf("CreateFunction %s: %v", fn, err)
		}
	}
	agw := srv.APIGatewayV2(func(o *apigatewayv2.Options) { o.RetryMaxAttempts = 1 })
	api, err := agw.CreateApi(t.Context(), &apigatewayv2.CreateApiInput{Name: aws.String("t"), ProtocolType: agtypes.ProtocolTypeHttp})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	return &fixture{t: t, srv: srv, agw: agw, apiID: api.ApiId}
}

// route adds a route to function fn with the given payload version.
func (f *fixture) route(key, fn, version string, timeoutMS int32) {
	f.t.Helper()
	f.routeWith(key, fn, version, timeoutMS, nil)
}

// routeWith adds a route as route does, the input changed by mod.
func (f *fixture) routeWith(key, fn, version string, timeoutMS int32, mod func(*apigatewayv2.CreateRouteInput)) {
	f.t.Helper()
	uri := "arn:aws:lambda:us-east-1:000000000000:function:" + fn
	integ, err := f.agw.CreateIntegration(f.t.Context(), &apigatewayv2.CreateIntegrationInput{ApiId: f.apiID,
		IntegrationType: agtypes.IntegrationTypeAwsProxy, IntegrationUri: aws.String(uri),
		PayloadFormatVersion: aws.String(version), TimeoutInMillis: aws.Int32(timeoutMS)})
	if err != nil {
		f.t.Fatalf("CreateIntegration: %v", err)
	}
	in := &apigatewayv2.CreateRouteInput{ApiId: f.apiID, RouteKey: aws.String(key),
		Target: aws.String("integrations/" + aws.ToString(integ.IntegrationId))}
	if mod != nil {
		mod(in)
	}
	_, err = f.agw.CreateRoute(f.t.Context(), in)
	if err != nil {
		f.t.Fatalf("CreateRoute %s: %v", key, err)
	}
}

func (f *fixture) stage(name string, vars map[string]string) {
	f.t.Helper()
	_, err := f.agw.CreateStage(f.t.Context(), &apigatewayv2.CreateStageInput{ApiId: f.apiID, StageName: aws.String(name),
		AutoDeploy: aws.Bool(true), StageVariables: vars})
	if err != nil {
		f.t.Fatalf("CreateStage: %v", err)
	}
}

// response is what a test compares of an HTTP response.
type response struct {
	Status int
	Body   string
}

func (f *fixture) do(req *http.Request) (*http.Response, string) {
	f.t.Helper()
	resp, err := f.srv.APIClient().Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// event calls a route of the echo function and returns the event it saw.
func (f *fixture) event(req *http.Request) map[string]any {
	f.t.Helper()
	resp, body := f.do(req)
	return decodeEvent(f.t, resp, body)
}

// decodeEvent decodes the event the echo function answered with.
func decodeEvent(t *testing.T, resp *http.Response, body string) map[string]any {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s = %d %s", resp.Request.Method, resp.Request.URL, resp.StatusCode, body)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatalf("decode event: %v", err)
	}
	return ev
}

func newRequest(t *testing.T, method, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// pick returns the listed members of an event, with nested paths a.b.
func pick(ev map[string]any, paths ...string) map[string]any {
	out := make(map[string]any)
	for _, p := range paths {
		var v any = ev
		for k := range strings.SplitSeq(p, ".") {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		out[p] = v
	}
	return out
}

func TestPayloadV2(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.route("POST /items/{id}", "echo", "2.0", testTimeout)
	f.route("GET /files/{path+}", "echo", "2.0", testTimeout)
	f.route("$default", "echo", "2.0", testTimeout)
	f.stage("$default", map[string]string{"env": "prod"})

	req := newRequest(t, "POST", f.srv.APIURL(*f.apiID, "", "/items/42?a=1&a=2&b=x%20y"), `{"k":"v"}`)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	req.Header.Set("Cookie", "c1=v1; c2=v2")
	req.Header.Set("User-Agent", "fogtest")
	ev := f.event(req)
	got := pick(ev, "version", "routeKey", "rawPath", "rawQueryString", "cookies", "queryStringParameters", "pathParameters",
		"stageVariables", "body", "isBase64Encoded", "headers.x-multi", "headers.cookie", "headers.user-agent",
		"requestContext.apiId", "requestContext.stage", "requestContext.routeKey", "requestContext.http.method",
		"requestContext.http.path", "requestContext.http.userAgent", "requestContext.http.sourceIp", "requestContext.domainPrefix")
	want := map[string]any{
		"version": "2.0", "routeKey": "POST /items/{id}", "rawPath": "/items/42", "rawQueryString": "a=1&a=2&b=x%20y",
		"cookies": []any{"c1=v1", "c2=v2"}, "queryStringParameters": map[string]any{"a": "1,2", "b": "x y"},
		"pathParameters": map[string]any{"id": "42"}, "stageVariables": map[string]any{"env": "prod"},
		"body": `{"k":"v"}`, "isBase64Encoded": false, "headers.x-multi": "one,two", "headers.cookie": nil,
		"headers.user-agent": "fogtest", "requestContext.apiId": *f.apiID, "requestContext.stage": "$default",
		"requestContext.routeKey": "POST /items/{id}", "requestContext.http.method": "POST",
		"requestContext.http.path": "/items/42", "requestContext.http.userAgent": "fogtest",
		"requestContext.http.sourceIp": "127.0.0.1", "requestContext.domainPrefix": *f.apiID,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}

	greedy := f.event(newRequest(t, "GET", f.srv.APIURL(*f.apiID, "", "/files/a/b%20c.txt"), ""))
	fallback := f.event(newRequest(t, "DELETE", f.srv.APIURL(*f.apiID, "", "/other"), ""))
	binary := newRequest(t, "PUT", f.srv.APIURL(*f.apiID, "", "/bin"), "\x00\x01\xff")
	binary.Header.Set("Content-Type", "application/octet-stream")
	bin := f.event(binary)
	got = map[string]any{"greedy": greedy["pathParameters"], "greedyKey": greedy["routeKey"], "fallback": fallback["routeKey"],
		"binBody": bin["body"], "binB64": bin["isBase64Encoded"]}
	want = map[string]any{"greedy": map[string]any{"path": "a/b c.txt"}, "greedyKey": "GET /files/{path+}", "fallback": "$default",
		"binBody": "AAH/", "binB64": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("routing (-want +got):\n%s", diff)
	}
}

func TestPayloadV1AndNamedStage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.route("GET /items/{id}", "echo", "1.0", testTimeout)
	f.stage("dev", map[string]string{"alias": "live"})

	req := newRequest(t, "GET", f.srv.APIURL(*f.apiID, "dev", "/items/7?q=1&q=2"), "")
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	ev := f.event(req)
	got := pick(ev, "version", "resource", "path", "httpMethod", "headers.X-Multi", "multiValueHeaders.X-Multi",
		"queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body",
		"isBase64Encoded", "requestContext.stage", "requestContext.path", "requestContext.resourcePath", "requestContext.identity.sourceIp")
	want := map[string]any{
		"version": "1.0", "resource": "/items/{id}", "path": "/items/7", "httpMethod": "GET",
		"headers.X-Multi": "two", "multiValueHeaders.X-Multi": []any{"one", "two"},
		"queryStringParameters": map[string]any{"q": "2"}, "multiValueQueryStringParameters": map[string]any{"q": []any{"1", "2"}},
		"pathParameters": map[string]any{"id": "7"}, "stageVariables": map[string]any{"alias": "live"}, "body": nil,
		"isBase64Encoded": false, "requestContext.stage": "dev", "requestContext.path": "/dev/items/7",
		"requestContext.resourcePath": "/items/{id}", "requestContext.identity.sourceIp": "127.0.0.1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	// The path-style fallback reaches the same stage.
	pathStyle := f.event(newRequest(t, "GET", f.srv.URL()+"/_api/"+*f.apiID+"/dev/items/8", ""))
	if diff := cmp.Diff(map[string]any{"id": "8"}, pathStyle["pathParameters"]); diff != "" {
		t.Errorf("path-style pathParameters (-want +got):\n%s", diff)
	}
}

func TestResponsesAndErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.route("GET /bare", "bare", "2.0", testTimeout)
	f.route("GET /fail", "fail", "2.0", testTimeout)
	f.route("GET /slow", "slow", "2.0", 500)
	f.route("POST /binary", "binary", "2.0", testTimeout)
	f.route("GET /missing", "nosuchfunction", "2.0", testTimeout)
	f.route("GET /v1bare", "bare", "1.0", testTimeout)
	f.stage("$default", nil)

	tests := []struct {
		method, path string
		want         response
	}{
		{"GET", "/bare", response{200, `{"hello": "world"}`}},
		{"GET", "/fail", response{500, `{"message":"Internal Server Error"}`}},
		{"GET", "/slow", response{503, `{"message":"Service Unavailable"}`}},
		{"GET", "/missing", response{500, `{"message":"Internal Server Error"}`}},
		{"GET", "/v1bare", response{500, `{"message":"Internal Server Error"}`}},
		{"GET", "/nothing", response{404, `{"message":"Not Found"}`}},
		{"POST", "/bare", response{404, `{"message":"Not Found"}`}},
	}
	for _, tc := range tests {
		resp, body := f.do(newRequest(t, tc.method, f.srv.APIURL(*f.apiID, "", tc.path), ""))
		if diff := cmp.Diff(tc.want, response{resp.StatusCode, body}); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tc.method, tc.path, diff)
		}
	}
	req := newRequest(t, "POST", f.srv.APIURL(*f.apiID, "", "/binary"), "\x00\x01\xfe")
	req.Header.Set("Content-Type", "image/png")
	resp, body := f.do(req)
	got := []any{resp.StatusCode, body, resp.Header.Get("Content-Type"), resp.Header.Values("Set-Cookie")}
	want := []any{201, "\x00\x01\xfe", "application/octet-stream", []string{"a=1", "b=2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("binary round trip (-want +got):\n%s", diff)
	}
	resp, body = f.do(newRequest(t, "GET", f.srv.APIURL("nosuchapi1", "", "/bare"), ""))
	if diff := cmp.Diff(response{404, `{"message":"Not Found"}`}, response{resp.StatusCode, body}); diff != "" {
		t.Errorf("unknown API (-want +got):\n%s", diff)
	}
}
