package awscli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHTTPAPIQuickCreate creates a function and an HTTP API in front of
// it with quick create (`aws apigatewayv2 create-api --target`), then
// calls the API with net/http, path-style and host-style, and gets the
// function's answer.
func TestHTTPAPIQuickCreate(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	c := newCLI(t)
	fn := c.ok("lambda", "create-function", "--function-name", "api-fn", "--runtime", "python3.12",
		"--handler", "app.handler", "--role", "arn:aws:iam::000000000000:role/lambda",
		"--zip-file", "fileb://"+pythonZip(t))
	arn, _ := at(fn, "FunctionArn").(string)
	api := c.ok("apigatewayv2", "create-api", "--name", "quick", "--protocol-type", "HTTP", "--target", arn)
	apiID, _ := at(api, "ApiId").(string)
	if endpoint, _ := at(api, "ApiEndpoint").(string); apiID == "" || !strings.HasPrefix(endpoint, "http://"+apiID+".execute-api.localhost") {
		t.Fatalf("create-api = %v, want an ApiId and its ApiEndpoint", api)
	}
	if routes := c.ok("apigatewayv2", "get-routes", "--api-id", apiID); at(routes, "Items") == nil {
		t.Errorf("get-routes after quick create = %v, want the $default route", routes)
	}

	u, err := url.Parse(c.endpoint)
	if err != nil {
		t.Fatal(err)
	}
	for name, host := range map[string]string{"path-style": u.Host, "host-style": apiID + ".execute-api.localhost:" + u.Port()} {
		path := "/hello/there?x=1"
		if name == "path-style" {
			path = "/_api/" + apiID + path
		}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, c.endpoint+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s GET: %v", name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var answer map[string]any
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &answer) != nil {
			t.Fatalf("%s GET = %d %s, want 200 and the function's JSON", name, resp.StatusCode, body)
		}
		got := []any{resp.Header.Get("Content-Type"), at(answer, "echo", "routeKey"), at(answer, "echo", "rawPath"),
			at(answer, "echo", "queryStringParameters", "x"), at(answer, "echo", "requestContext", "stage"),
			at(answer, "echo", "requestContext", "apiId")}
		want := []any{"application/json", "$default", "/hello/there", "1", "$default", apiID}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: the function's answer (-want +got):\n%s", name, diff)
		}
	}
}
