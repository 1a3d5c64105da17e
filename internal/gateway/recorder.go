package gateway

import (
	"net/http"
	"time"

	"github.com/fogbank/fogbank/internal/metrics"
)

// recorder is the ResponseWriter a request is served through: it applies
// the API's CORS headers as the response starts, and notes the status and
// the bytes written for the access metrics, and what the access log
// renders (noteError, noteIntegration in accesslog.go).
type recorder struct {
	http.ResponseWriter
	cors   *corsPolicy
	origin string
	status int
	bytes  int64
	// errorMessage is the gateway response's message, authorizerError
	// the same when an authorizer refused the request.
	errorMessage, authorizerError string
	// integrated says an integration ran, for integrationLatency;
	// integrationStatus is what it answered (0 for nothing).
	integrated         bool
	integrationLatency time.Duration
	integrationStatus  int
}

// WriteHeader implements http.ResponseWriter.
func (w *recorder) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	if w.cors != nil {
		w.cors.apply(w.Header(), w.origin)
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// statusOrOK is the status written, 200 when the handler wrote none.
func (w *recorder) statusOrOK() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// observe records a served request in the access metrics.
func (h *Handler) observe(apiID string, in *incoming, w *recorder, started time.Time) {
	if h.opts.Metrics == nil {
		return
	}
	a := metrics.Access{API: apiID, Status: w.statusOrOK(), Latency: time.Since(started), BytesOut: w.bytes}
	if in != nil {
		a.BytesIn = int64(len(in.body))
		if in.stage != nil {
			a.Stage = in.stage.name
		}
		if in.route != nil {
			a.Route = in.route.Key
		}
	}
	h.opts.Metrics.Observe(a)
}
