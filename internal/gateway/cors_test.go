package gateway_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/google/go-cmp/cmp"
	dto "github.com/prometheus/client_model/go"

	"github.com/fogbank/fogbank/internal/metrics"
)

// corsHeaders are the response headers the CORS tests compare.
var corsHeaders = []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Max-Age", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers"}

func headerSubset(h http.Header) map[string]string {
	out := make(map[string]string)
	for _, k := range corsHeaders {
		if v := h.Get(k); v != "" {
			out[k] = v
		}
	}
	return out
}

func TestCors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.agw.UpdateApi(t.Context(), &apigatewayv2.UpdateApiInput{ApiId: f.apiID, CorsConfiguration: &agtypes.Cors{
		AllowOrigins: []string{"https://app.example.com", "https://*.example.org"}, AllowMethods: []string{"GET", "POST"},
		AllowHeaders: []string{"authorization", "content-type"}, ExposeHeaders: []string{"x-request"}, MaxAge: aws.Int32(600),
		AllowCredentials: aws.Bool(true)}})
	if err != nil {
		t.Fatalf("UpdateApi: %v", err)
	}
	f.route("GET /bare", "bare", "2.0", testTimeout)
	f.stage("$default", nil)

	preflight := func(origin string) (*http.Response, string) {
		req := newRequest(t, "OPTIONS", f.srv.APIURL(*f.apiID, "", "/bare"), "")
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		return f.do(req)
	}
	resp, body := preflight("https://app.example.com")
	got := []any{resp.StatusCode, body, headerSubset(resp.Header)}
	want := []any{204, "", map[string]string{"Access-Control-Allow-Origin": "https://app.example.com",
		"Access-Control-Allow-Methods": "GET,POST", "Access-Control-Allow-Headers": "authorization,content-type",
		"Access-Control-Max-Age": "600", "Access-Control-Allow-Credentials": "true"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("preflight (-want +got):\n%s", diff)
	}
	resp, _ = preflight("https://evil.example.com")
	if diff := cmp.Diff([]any{204, map[string]string{}}, []any{resp.StatusCode, headerSubset(resp.Header)}); diff != "" {
		t.Errorf("preflight from another origin (-want +got):\n%s", diff)
	}

	resp, body = f.get("/bare", "Origin", "https://eu.example.org")
	got = []any{resp.StatusCode, body, headerSubset(resp.Header), resp.Header.Get("Vary")}
	want = []any{200, `{"hello": "world"}`, map[string]string{"Access-Control-Allow-Origin": "https://eu.example.org",
		"Access-Control-Allow-Credentials": "true", "Access-Control-Expose-Headers": "x-request"}, "Origin"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actual request (-want +got):\n%s", diff)
	}
	resp, _ = f.get("/nothing", "Origin", "https://app.example.com")
	if got := resp.Header.Get("Access-Control-Allow-Origin"); resp.StatusCode != 404 || got != "https://app.example.com" {
		t.Errorf("404 = %d with Access-Control-Allow-Origin %q", resp.StatusCode, got)
	}
}

func TestThrottlingAndMetrics(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.route("GET /bare", "bare", "2.0", testTimeout)
	f.route("GET /limited", "bare", "2.0", testTimeout)
	_, err := f.agw.CreateStage(t.Context(), &apigatewayv2.CreateStageInput{ApiId: f.apiID, StageName: aws.String("$default"),
		AutoDeploy:           aws.Bool(true),
		DefaultRouteSettings: &agtypes.RouteSettings{ThrottlingBurstLimit: aws.Int32(100), ThrottlingRateLimit: aws.Float64(100)},
		RouteSettings: map[string]agtypes.RouteSettings{
			"GET /limited": {ThrottlingBurstLimit: aws.Int32(1), ThrottlingRateLimit: aws.Float64(0.001)}}})
	if err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	var got []response
	for _, path := range []string{"/limited", "/limited", "/bare", "/bare", "/nothing"} {
		resp, body := f.get(path)
		got = append(got, response{resp.StatusCode, body})
	}
	ok := response{200, `{"hello": "world"}`}
	want := []response{ok, {429, `{"message":"Too Many Requests"}`}, ok, ok, {404, `{"message":"Not Found"}`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("responses (-want +got):\n%s", diff)
	}

	counts := requestCounts(t, f.srv.Metrics(), *f.apiID)
	wantCounts := map[string]float64{"$default GET /limited 2xx": 1, "$default GET /limited 4xx": 1, "$default GET /bare 2xx": 2,
		"$default  4xx": 1}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("request counts (-want +got):\n%s", diff)
	}
}

// requestCounts returns an API's request counters by "stage route status".
func requestCounts(t *testing.T, reg *metrics.Registry, apiID string) map[string]float64 {
	t.Helper()
	families, err := reg.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]float64)
	for _, mf := range families {
		if mf.GetName() != "fogbank_apigateway_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := labels(m)
			if l["api"] == apiID {
				out[l["stage"]+" "+l["route"]+" "+l["status"]] = m.GetCounter().GetValue()
			}
		}
	}
	return out
}

func labels(m *dto.Metric) map[string]string {
	out := make(map[string]string)
	for _, lp := range m.GetLabel() {
		out[lp.GetName()] = lp.GetValue()
	}
	return out
}
