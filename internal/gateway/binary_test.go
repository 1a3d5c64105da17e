package gateway_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/google/go-cmp/cmp"
)

// binaryBody is not UTF-8: it can only reach a function base64-encoded.
const binaryBody = "\x00\x01\xfe\xff\x80PNG\r\n\x1a\n"

// postBinary posts binaryBody to url and returns what came back: status,
// body, content type and the function's x-request-base64 header.
func (f *fixture) postBinary(url string) []any {
	f.t.Helper()
	req := newRequest(f.t, "POST", url, binaryBody)
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Accept", "application/octet-stream")
	resp, body := f.do(req)
	return []any{resp.StatusCode, body, resp.Header.Get("Content-Type"), resp.Header.Get("X-Request-Base64")}
}

// wantBinary is what postBinary gets from a function that received the
// body base64-encoded and answered it base64-encoded.
var wantBinary = []any{http.StatusOK, binaryBody, "application/octet-stream", "true"}

// TestBinaryRoundTrip posts a binary body through HTTP API routes of both
// payload versions and through a REST API (binaryMediaTypes
// application/octet-stream) to the Go and Node functions: the body reaches
// them base64-encoded with isBase64Encoded true, and their base64 answer
// (isBase64Encoded true) comes back as the original bytes.
func TestBinaryRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	have := f.addRealFunctions()
	for _, rt := range runtimes {
		if have[rt] {
			f.route("POST /"+rt+"/v2/binary", rt+"echo", "2.0", testTimeout)
			f.route("POST /"+rt+"/v1/binary", rt+"echo", "1.0", testTimeout)
		}
	}
	f.stage("$default", nil)

	ag := f.srv.APIGateway(func(o *apigateway.Options) { o.RetryMaxAttempts = 1 })
	api, err := ag.CreateRestApi(t.Context(), &apigateway.CreateRestApiInput{Name: aws.String("bin"),
		BinaryMediaTypes: []string{"application/octet-stream"}})
	if err != nil {
		t.Fatalf("CreateRestApi: %v", err)
	}
	rest := &restFixture{fixture: f, ag: ag, restID: api.Id, root: api.RootResourceId}
	for _, rt := range runtimes {
		if have[rt] {
			rest.lambdaMethod(rest.resource(rest.resource(rest.root, rt), "binary"), "POST", rt+"echo", testTimeout)
		}
	}
	rest.deploy("prod", nil)

	for _, rt := range runtimes {
		t.Run(rt, func(t *testing.T) {
			skipWithout(t, have, rt)
			for name, url := range map[string]string{
				"HTTP API 2.0": f.srv.APIURL(*f.apiID, "", "/"+rt+"/v2/binary"),
				"HTTP API 1.0": f.srv.APIURL(*f.apiID, "", "/"+rt+"/v1/binary"),
				"REST API":     f.srv.RESTAPIURL(*rest.restID, "prod", "/"+rt+"/binary"),
			} {
				if diff := cmp.Diff(wantBinary, f.postBinary(url)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}
