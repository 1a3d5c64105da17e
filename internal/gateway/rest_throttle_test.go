package gateway_test

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// newMockREST starts a server with an empty REST API and no functions
// (for MOCK integrations).
func newMockREST(t *testing.T) *restFixture {
	t.Helper()
	srv := fogtest.Start(t)
	ag := srv.APIGateway(func(o *apigateway.Options) { o.RetryMaxAttempts = 1 })
	api, err := ag.CreateRestApi(t.Context(), &apigateway.CreateRestApiInput{Name: aws.String("mock")})
	if err != nil {
		t.Fatalf("CreateRestApi: %v", err)
	}
	return &restFixture{fixture: &fixture{t: t, srv: srv}, ag: ag, restID: api.Id, root: api.RootResourceId}
}

// updateStage applies patch operations (op, path, value triples) to a stage.
func (f *restFixture) updateStage(stage string, ops ...[3]string) {
	f.t.Helper()
	in := &apigateway.UpdateStageInput{RestApiId: f.restID, StageName: aws.String(stage)}
	for _, op := range ops {
		in.PatchOperations = append(in.PatchOperations, agtypes.PatchOperation{Op: agtypes.Op(op[0]), Path: aws.String(op[1]),
			Value: aws.String(op[2])})
	}
	if _, err := f.ag.UpdateStage(f.t.Context(), in); err != nil {
		f.t.Fatalf("UpdateStage: %v", err)
	}
}

// TestRESTThrottling sets a stage's method settings with UpdateStage: all
// methods 100 rps / burst 100, GET /limited burst 1 at a rate that refills
// no token during the test, GET /closed burst 0. Over its bucket a method
// answers 429 {"message":"Too Many Requests"}; the other methods are not
// affected, and another stage of the same deployment has no limits.
func TestRESTThrottling(t *testing.T) {
	t.Parallel()
	f := newMockREST(t)
	for _, part := range []string{"limited", "free", "closed"} {
		f.mock(f.resource(f.root, part))
	}
	dep := f.deploy("prod", nil)
	if _, err := f.ag.CreateStage(t.Context(), &apigateway.CreateStageInput{RestApiId: f.restID, StageName: aws.String("dev"),
		DeploymentId: dep}); err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	f.updateStage("prod",
		[3]string{"replace", "/*/*/throttling/rateLimit", "100"},
		[3]string{"replace", "/*/*/throttling/burstLimit", "100"},
		[3]string{"replace", "/~1limited/GET/throttling/burstLimit", "1"},
		[3]string{"replace", "/~1limited/GET/throttling/rateLimit", "0.001"},
		[3]string{"replace", "/closed/GET/throttling/burstLimit", "0"},
	)

	type result struct {
		Status    int
		Body      string
		ErrorType string
	}
	var got []result
	for _, call := range [][2]string{{"prod", "/limited"}, {"prod", "/limited"}, {"prod", "/free"}, {"prod", "/free"},
		{"prod", "/closed"}, {"dev", "/limited"}, {"dev", "/limited"}, {"dev", "/closed"}} {
		resp, body := f.do(newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, call[0], call[1]), ""))
		got = append(got, result{resp.StatusCode, body, resp.Header.Get("X-Amzn-Errortype")})
	}
	ok := result{201, `{"mock": true}`, ""}
	tooMany := result{429, `{"message":"Too Many Requests"}`, "TooManyRequestsException"}
	want := []result{ok, tooMany, ok, ok, tooMany, ok, ok, ok}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("responses (-want +got):\n%s", diff)
	}
}

// TestRESTBinaryMediaTypes declares image/* a binary media type with
// UpdateRestApi: a request body reaches an AWS_PROXY function
// base64-encoded only when its Content-Type matches; a function's base64
// answer is decoded when the request's first Accept type or the answer's
// Content-Type matches, and is served as base64 text otherwise.
func TestRESTBinaryMediaTypes(t *testing.T) {
	t.Parallel()
	f := newRESTFixture(t)
	f.lambdaMethod(f.resource(f.root, "echo"), "POST", "restecho", testTimeout)
	f.lambdaMethod(f.resource(f.root, "b64"), "GET", "restb64", testTimeout)
	_, err := f.ag.UpdateRestApi(t.Context(), &apigateway.UpdateRestApiInput{RestApiId: f.restID, PatchOperations: []agtypes.PatchOperation{
		{Op: agtypes.OpAdd, Path: aws.String("/binaryMediaTypes/image~1*")}}})
	if err != nil {
		t.Fatalf("UpdateRestApi: %v", err)
	}
	f.deploy("prod", nil)

	events := map[string]any{}
	for _, contentType := range []string{"image/png", "application/octet-stream", "text/plain; charset=utf-8"} {
		req := newRequest(t, "POST", f.srv.RESTAPIURL(*f.restID, "prod", "/echo"), "body\x00")
		req.Header.Set("Content-Type", contentType)
		_, ev := f.echoed(req)
		events[contentType] = pick(ev, "body", "isBase64Encoded")
	}
	wantEvents := map[string]any{
		"image/png":                 map[string]any{"body": base64.StdEncoding.EncodeToString([]byte("body\x00")), "isBase64Encoded": true},
		"application/octet-stream":  map[string]any{"body": "body\x00", "isBase64Encoded": false},
		"text/plain; charset=utf-8": map[string]any{"body": "body\x00", "isBase64Encoded": false},
	}
	if diff := cmp.Diff(wantEvents, events); diff != "" {
		t.Errorf("request bodies (-want +got):\n%s", diff)
	}

	const encoded = "AAFiaW4=" // base64 of "\x00\x01bin"
	answers := map[string]string{}
	for name, hdr := range map[string][2]string{
		"Accept image":        {"image/png", ""},
		"Accept first only":   {"text/html, image/png", ""},
		"Accept text":         {"application/json", ""},
		"answer's type image": {"text/html", "image/gif"},
		"no Accept":           {"", ""},
	} {
		req := newRequest(t, "GET", f.srv.RESTAPIURL(*f.restID, "prod", "/b64"), "")
		if hdr[0] != "" {
			req.Header.Set("Accept", hdr[0])
		}
		if hdr[1] != "" {
			req.Header.Set("X-Reply-Type", hdr[1])
		}
		resp, body := f.do(req)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET /b64 = %d %s", name, resp.StatusCode, body)
		}
		answers[name] = body
	}
	wantAnswers := map[string]string{"Accept image": "\x00\x01bin", "Accept first only": encoded, "Accept text": encoded,
		"answer's type image": "\x00\x01bin", "no Accept": encoded}
	if diff := cmp.Diff(wantAnswers, answers); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
}
