package metrics_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/fogbank/fogbank/internal/metrics"
)

func TestGatewayObserve(t *testing.T) {
	t.Parallel()
	reg := metrics.New()
	g := reg.Gateway()
	g.Observe(metrics.Access{API: "a1", Stage: "$default", Route: "GET /x", Status: 200, Latency: time.Millisecond, BytesIn: 3, BytesOut: 10})
	g.Observe(metrics.Access{API: "a1", Stage: "$default", Route: "GET /x", Status: 204, Latency: time.Millisecond})
	g.Observe(metrics.Access{API: "a1", Stage: "$default", Route: "", Status: 404, Latency: time.Millisecond, BytesOut: 23})
	want := `
# HELP fogbank_apigateway_requests_total Requests to HTTP APIs by API, stage, route and status class.
# TYPE fogbank_apigateway_requests_total counter
fogbank_apigateway_requests_total{api="a1",route="",stage="$default",status="4xx"} 1
fogbank_apigateway_requests_total{api="a1",route="GET /x",stage="$default",status="2xx"} 2
# HELP fogbank_apigateway_bytes_total Body bytes received (in) and sent (out).
# TYPE fogbank_apigateway_bytes_total counter
fogbank_apigateway_bytes_total{api="a1",direction="in",route="GET /x",stage="$default"} 3
fogbank_apigateway_bytes_total{api="a1",direction="out",route="",stage="$default"} 23
fogbank_apigateway_bytes_total{api="a1",direction="out",route="GET /x",stage="$default"} 10
`
	err := testutil.GatherAndCompare(reg.Gatherer(), strings.NewReader(want), "fogbank_apigateway_requests_total", "fogbank_apigateway_bytes_total")
	if err != nil {
		t.Error(err)
	}
	n, err := testutil.GatherAndCount(reg.Gatherer(), "fogbank_apigateway_latency_seconds")
	if err != nil || n != 2 {
		t.Errorf("latency series = %d, %v; want 2", n, err)
	}
}
