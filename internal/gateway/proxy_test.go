package gateway_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/google/go-cmp/cmp"
)

// proxyRoute adds a route with an HTTP_PROXY integration to uri.
func (f *fixture) proxyRoute(key, uri string, timeoutMS int32) {
	f.t.Helper()
	integ, err := f.agw.CreateIntegration(f.t.Context(), &apigatewayv2.CreateIntegrationInput{ApiId: f.apiID,
		IntegrationType: agtypes.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("ANY"), IntegrationUri: aws.String(uri),
		PayloadFormatVersion: aws.String("1.0"), TimeoutInMillis: aws.Int32(timeoutMS)})
	if err != nil {
		f.t.Fatalf("CreateIntegration: %v", err)
	}
	_, err = f.agw.CreateRoute(f.t.Context(), &apigatewayv2.CreateRouteInput{ApiId: f.apiID, RouteKey: aws.String(key),
		Target: aws.String("integrations/" + aws.ToString(integ.IntegrationId))})
	if err != nil {
		f.t.Fatalf("CreateRoute %s: %v", key, err)
	}
}

// closedURL returns the URL of a local port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// TestHTTPProxy puts an httptest upstream behind HTTP_PROXY routes of an
// HTTP API: the method, the path (the greedy {proxy} substituted into
// the integration URI), the query string, the headers and the body are
// forwarded, and the upstream's status, headers and body come back; an
// unreachable upstream answers 500 and one that does not answer within
// the integration timeout 503, as HTTP APIs do.
func TestHTTPProxy(t *testing.T) {
	t.Parallel()
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/back/slow" {
			<-r.Context().Done() // until the gateway gives up
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Backend", "yes")
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		w.WriteHeader(http.StatusTeapot)
		_, _ = io.WriteString(w, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("X-In")+" "+string(body))
	}))
	t.Cleanup(upstream.Close)
	f := newFixture(t)
	f.proxyRoute("ANY /svc/{proxy+}", upstream.URL+"/back/{proxy}", testTimeout)
	f.proxyRoute("GET /down", closedURL(t)+"/x", testTimeout)
	f.proxyRoute("GET /slow", upstream.URL+"/back/slow", 500)
	f.stage("$default", nil)

	req := newRequest(t, "PUT", f.srv.APIURL(*f.apiID, "", "/svc/a/b?x=1&x=2&y=z%20w"), "payload \x00\xff")
	req.Header.Set("X-In", "hdr")
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, body := f.do(req)
	got := []any{resp.StatusCode, body, resp.Header.Get("X-Backend"), resp.Header.Values("Set-Cookie")}
	want := []any{http.StatusTeapot, "PUT /back/a/b?x=1&x=2&y=z%20w hdr payload \x00\xff", "yes", []string{"a=1", "b=2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("HTTP_PROXY (-want +got):\n%s", diff)
	}
	for path, want := range map[string]response{
		"/down": {500, `{"message":"Internal Server Error"}`},
		"/slow": {503, `{"message":"Service Unavailable"}`},
	} {
		resp, body := f.do(newRequest(t, "GET", f.srv.APIURL(*f.apiID, "", path), ""))
		if diff := cmp.Diff(want, response{resp.StatusCode, body}); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", path, diff)
		}
	}
}
