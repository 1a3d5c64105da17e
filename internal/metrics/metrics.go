// Package metrics is Fogbank's metrics registry: the counters and
// histograms the components keep, on a Prometheus registry that a later
// endpoint (/_fogbank/metrics) and CloudWatch metrics will expose. Today
// it holds the access metrics of the API Gateway data plane ([Gateway]).
//
// Each component's metrics are created once with the registry and are
// safe for concurrent use; recording is a few atomic adds.
package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Registry holds every component's metrics.
type Registry struct {
	reg     *prometheus.Registry
	gateway *Gateway
}

// New returns a registry with every component's metrics registered.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry()}
	r.gateway = newGateway(r.reg)
	return r
}

// Gatherer is the Prometheus view of the registry, for exposition.
func (r *Registry) Gatherer() prometheus.Gatherer { return r.reg }

// Gateway returns the API Gateway access metrics.
func (r *Registry) Gateway() *Gateway { return r.gateway }

// Gateway is the access metrics of API Gateway: per API, stage and route
// (the route key, "" when no route matched), the requests by status
// class, the latency and the bytes received and sent.
type Gateway struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	bytes    *prometheus.CounterVec
}

// latencyBuckets span 250 µs to about 30 s (the integration timeout).
var latencyBuckets = prometheus.ExponentialBuckets(0.00025, 2.5, 14)

func newGateway(reg prometheus.Registerer) *Gateway {
	route := []string{"api", "stage", "route"}
	g := &Gateway{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "fogbank", Subsystem: "apigateway",
			Name: "requests_total", Help: "Requests to HTTP APIs by API, stage, route and status class."},
			append(route, "status")),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "fogbank", Subsystem: "apigateway",
			Name: "latency_seconds", Help: "Time from a request's arrival to its response.", Buckets: latencyBuckets}, route),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "fogbank", Subsystem: "apigateway",
			Name: "bytes_total", Help: "Body bytes received (in) and sent (out)."}, append(route, "direction")),
	}
	reg.MustRegister(g.requests, g.latency, g.bytes)
	return g
}

// Access is one served request.
type Access struct {
	API, Stage, Route string
	Status            int
	Latency           time.Duration
	BytesIn, BytesOut int64
}

// Observe records one request.
func (g *Gateway) Observe(a Access) {
	g.requests.WithLabelValues(a.API, a.Stage, a.Route, StatusClass(a.Status)).Inc()
	g.latency.WithLabelValues(a.API, a.Stage, a.Route).Observe(a.Latency.Seconds())
	if a.BytesIn > 0 {
		g.bytes.WithLabelValues(a.API, a.Stage, a.Route, "in").Add(float64(a.BytesIn))
	}
	if a.BytesOut > 0 {
		g.bytes.WithLabelValues(a.API, a.Stage, a.Route, "out").Add(float64(a.BytesOut))
	}
}

// StatusClass is "2xx", "4xx", ... of an HTTP status.
func StatusClass(status int) string { return strconv.Itoa(status/100) + "xx" }
