package gateway_test

import (
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/fogbank/fogbank/internal/fogtest"
	"github.com/google/go-cmp/cmp"
)

// goHandler is testdata/gohandler built once (with the error that kept it
// from being built).
var goHandler = sync.OnceValues(func() ([]byte, error) { return fogtest.BuildGoHandler("testdata/gohandler") })

// runtimes are the real functions the tests put behind APIs: "go"
// (testdata/gohandler on provided.al2023) and "node" (testdata/node on
// nodejs20.x, the async handler style).
var runtimes = []string{"go", "node"}

// addRealFunctions creates the functions goecho and nodeecho on f's
// server; a runtime the machine lacks is left out (outside CI, where it
// fails the test) and the returned set says which were created.
func (f *fixture) addRealFunctions() map[string]bool {
	t := f.t
	t.Helper()
	lc := f.srv.Lambda(func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	have := map[string]bool{}
	create := func(name string, rt ltypes.Runtime, handler string, code []byte) {
		_, err := lc.CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: rt,
			Handler: aws.String(handler), Role: aws.String("arn:aws:iam::000000000000:role/r"),
			Code: &ltypes.FunctionCode{ZipFile: code}, Timeout: aws.Int32(25)})
		if err != nil {
			t.Fatalf("CreateFunction %s: %v", name, err)
		}
	}
	if bin, err := goHandler(); err != nil {
		missing(t, "the Go test handler could not be built: "+err.Error())
	} else {
		create("goecho", ltypes.RuntimeProvidedal2023, "bootstrap", fogtest.ZipFiles(t, map[string][]byte{"bootstrap": bin}))
		have["go"] = true
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing(t, "node is not installed")
	} else {
		js, err := os.ReadFile("testdata/node/index.js")
		if err != nil {
			t.Fatal(err)
		}
		create("nodeecho", ltypes.RuntimeNodejs20x, "index.handler", fogtest.ZipFiles(t, map[string][]byte{"index.js": js}))
		have["node"] = true
	}
	return have
}

// missing reports a runtime the machine lacks: an error in CI, a log line
// elsewhere.
func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Log(why)
}

// skipWithout skips a subtest of a runtime that was not created.
func skipWithout(t *testing.T, have map[string]bool, rt string) {
	t.Helper()
	if !have[rt] {
		t.Skip(rt + " function not available")
	}
}

// realRequest is the request the event tests send: repeated headers and
// query parameters, cookies, a JSON body.
func (f *fixture) realRequest(path string) *http.Request {
	req := newRequest(f.t, "POST", f.srv.APIURL(*f.apiID, "dev", path+"?a=1&a=2&b=x%20y"), `{"k":"v"}`)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	req.Header.Set("Cookie", "c1=v1; c2=v2")
	req.Header.Set("User-Agent", "fogtest")
	return req
}

// TestRealFunctionEventsV2 puts a Go function (aws-lambda-go's
// APIGatewayV2HTTPRequest) and a Node function behind payload 2.0 routes
// of a named stage and checks the event they echo and how their answers
// are mapped.
func TestRealFunctionEventsV2(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	have := f.addRealFunctions()
	for _, rt := range runtimes {
		if have[rt] {
			f.route("POST /"+rt+"/items/{id}", rt+"echo", "2.0", testTimeout)
		}
	}
	f.stage("dev", map[string]string{"env": "dev"})
	for _, rt := range runtimes {
		t.Run(rt, func(t *testing.T) {
			skipWithout(t, have, rt)
			resp, body := f.do(f.realRequest("/" + rt + "/items/42"))
			ev := decodeEvent(t, resp, body)
			got := pick(ev, "version", "routeKey", "rawPath", "rawQueryString", "cookies", "queryStringParameters",
				"pathParameters", "stageVariables", "body", "isBase64Encoded", "headers.x-multi", "headers.cookie",
				"headers.content-type", "headers.user-agent", "requestContext.apiId", "requestContext.stage",
				"requestContext.routeKey", "requestContext.http.method", "requestContext.http.path",
				"requestContext.http.sourceIp", "requestContext.http.userAgent", "requestContext.domainPrefix")
			want := map[string]any{
				"version": "2.0", "routeKey": "POST /" + rt + "/items/{id}", "rawPath": "/dev/" + rt + "/items/42",
				"rawQueryString": "a=1&a=2&b=x%20y", "cookies": []any{"c1=v1", "c2=v2"},
				"queryStringParameters": map[string]any{"a": "1,2", "b": "x y"}, "pathParameters": map[string]any{"id": "42"},
				"stageVariables": map[string]any{"env": "dev"}, "body": `{"k":"v"}`, "isBase64Encoded": false,
				"headers.x-multi": "one,two", "headers.cookie": nil, "headers.content-type": "application/json",
				"headers.user-agent": "fogtest", "requestContext.apiId": *f.apiID, "requestContext.stage": "dev",
				"requestContext.routeKey": "POST /" + rt + "/items/{id}", "requestContext.http.method": "POST",
				"requestContext.http.path": "/dev/" + rt + "/items/42", "requestContext.http.sourceIp": "127.0.0.1",
				"requestContext.http.userAgent": "fogtest", "requestContext.domainPrefix": *f.apiID,
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			mapped := []any{resp.Header.Get("Content-Type"), resp.Header.Get("X-Handler"), resp.Header.Values("Set-Cookie")}
			wantMapped := []any{"application/json", rt, []string(nil)}
			if rt == "go" {
				wantMapped[2] = []string{"from=go"}
			}
			if diff := cmp.Diff(wantMapped, mapped); diff != "" {
				t.Errorf("response headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRealFunctionEventsV1 is TestRealFunctionEventsV2 with payload 1.0
// (aws-lambda-go's APIGatewayProxyRequest).
func TestRealFunctionEventsV1(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	have := f.addRealFunctions()
	for _, rt := range runtimes {
		if have[rt] {
			f.route("POST /"+rt+"/items/{id}", rt+"echo", "1.0", testTimeout)
		}
	}
	f.stage("dev", map[string]string{"env": "dev"})
	for _, rt := range runtimes {
		t.Run(rt, func(t *testing.T) {
			skipWithout(t, have, rt)
			resp, body := f.do(f.realRequest("/" + rt + "/items/42"))
			ev := decodeEvent(t, resp, body)
			got := pick(ev, "resource", "path", "httpMethod", "headers.X-Multi", "multiValueHeaders.X-Multi",
				"headers.Cookie", "headers.User-Agent", "queryStringParameters", "multiValueQueryStringParameters",
				"pathParameters", "stageVariables", "body", "isBase64Encoded", "requestContext.apiId",
				"requestContext.stage", "requestContext.httpMethod", "requestContext.path", "requestContext.resourcePath",
				"requestContext.identity.sourceIp", "requestContext.identity.userAgent")
			want := map[string]any{
				"resource": "/" + rt + "/items/{id}", "path": "/" + rt + "/items/42",
				"headers.X-Multi": "two", "multiValueHeaders.X-Multi": []any{"one", "two"}, "headers.Cookie": "c1=v1; c2=v2",
				"headers.User-Agent": "fogtest", "queryStringParameters": map[string]any{"a": "2", "b": "x y"},
				"pathParameters": map[string]any{"id": "42"}, "stageVariables": map[string]any{"env": "dev"},
				"multiValueQueryStringParameters": map[string]any{"a": []any{"1", "2"}, "b": []any{"x y"}}, "httpMethod": "POST",
				"body": `{"k":"v"}`, "isBase64Encoded": false, "requestContext.apiId": *f.apiID,
				"requestContext.stage": "dev", "requestContext.httpMethod": "POST",
				"requestContext.path": "/dev/" + rt + "/items/42", "requestContext.resourcePath": "/" + rt + "/items/{id}",
				"requestContext.identity.sourceIp": "127.0.0.1", "requestContext.identity.userAgent": "fogtest",
			}
			if rt == "go" {
				want["isBase64Encoded"] = nil // aws-lambda-go's APIGatewayProxyRequest omits false
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			mapped := []any{resp.Header.Get("X-Handler"), resp.Header.Values("X-Multi")}
			wantMapped := []any{rt, []string(nil)}
			if rt == "go" {
				wantMapped[1] = []string{"a", "b"}
			}
			if diff := cmp.Diff(wantMapped, mapped); diff != "" {
				t.Errorf("response headers (-want +got):\n%s", diff)
			}
		})
	}
}
