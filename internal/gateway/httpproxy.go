package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/logging"
)

// hopHeaders are not forwarded in either direction.
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// responder writes a gateway response.
type responder interface {
	write(w http.ResponseWriter, r *http.Request)
}

// proxyErrors are the answers to an HTTP_PROXY request that failed and to
// one that timed out, which differ between HTTP and REST APIs.
type proxyErrors struct{ failed, timedOut responder }

// httpProxyErrors are HTTP APIs' answers.
var httpProxyErrors = proxyErrors{failed: respInternal, timedOut: respUnavailable}

// forward runs an HTTP_PROXY integration: the request goes to the
// integration URL (path variables such as {proxy} and stage variables
// substituted, the query string appended) and the answer comes back as is.
func (h *Handler) forward(w http.ResponseWriter, in *incoming, integ *Integration, timeout time.Duration, errs proxyErrors) {
	target := substitute(integ.URI, in.stage.variables)
	for k, v := range in.params {
		target = strings.ReplaceAll(target, "{"+k+"}", v)
	}
	if in.r.URL.RawQuery != "" {
		target += "?" + in.r.URL.RawQuery
	}
	method := integ.Method
	if method == "" || method == "ANY" {
		method = in.r.Method
	}
	ctx, cancel := context.WithTimeout(in.r.Context(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(in.body))
	if err != nil {
		h.logger.WarnContext(ctx, "bad integration URL", slog.String("route", in.route.Key), slog.Any(logging.KeyErr, err))
		errs.failed.write(w, in.r)
		return
	}
	req.Header = in.headers()
	for _, k := range hopHeaders {
		req.Header.Del(k)
	}
	sent := time.Now()
	resp, err := h.opts.HTTPClient.Do(req)
	if err != nil {
		h.logger.WarnContext(ctx, "integration request failed", slog.String("route", in.route.Key), slog.Any(logging.KeyErr, err))
		if errors.Is(err, context.DeadlineExceeded) {
			errs.timedOut.write(w, in.r)
			return
		}
		errs.failed.write(w, in.r)
		return
	}
	defer resp.Body.Close()
	noteIntegration(w, sent, resp.StatusCode)
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	for _, k := range hopHeaders {
		w.Header().Del(k)
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body) // a failed copy means one side is gone
}
