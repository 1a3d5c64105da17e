package gateway

import (
	"net/http"
	"time"

	"github.com/fogbank/fogbank/internal/metrics"
)

// recorder is the ResponseWriter a request is served through: it applies
// the API's CORS headers as the response starts, and notes the status and
// the bytes written for the access metrics.
type recorder struct {
	http.ResponseWriter
	cors   *corsPolicy
	origin string
	status int
	bytes  int64
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

// observe records a served request in the access metrics.
func (h *Handler) observe(apiID string, in *incoming, w *recorder, started time.Time) {
	if h.opts.Metrics == nil {
		return
	}
	a := metrics.Access{API: apiID, Status: w.status, Latency: time.Since(started), BytesOut: w.bytes}
	if a.Status == 0 {
		a.Status = http.StatusOK
	}
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
