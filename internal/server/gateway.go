package server

import (
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/fogbank/fogbank/internal/logging"
)

// gatewayServiceName names API Gateway data-plane requests in the access log.
const gatewayServiceName = "execute-api"

// APIHandler serves the API Gateway data plane (package gateway).
type APIHandler interface {
	// ServeAPI answers a request to API apiID; rawPath is the escaped
	// path below the API, stage prefix included.
	ServeAPI(w http.ResponseWriter, r *http.Request, apiID, rawPath string)
}

// Gateway routes API Gateway data-plane requests: those whose Host is
// <apiId>.<Domain> (any port), and the path-style fallback
// <PathPrefix><apiId>/<stage>/<path>. The front door verifies no
// signature for them; the API's authorizers decide (AWS_IAM routes call
// back [Server.VerifySigV4]).
type Gateway struct {
	// Domain is the execute-api domain, e.g. "execute-api.localhost".
	Domain string
	// PathPrefix is the path-style prefix, e.g. "/_api/".
	PathPrefix string
	// Handler serves the requests.
	Handler APIHandler
}

// gatewayTarget returns the API and the path below it when r is for the
// API Gateway data plane.
func (s *Server) gatewayTarget(r *http.Request) (apiID, rawPath string, ok bool) {
	g := s.opts.Gateway
	if g == nil {
		return "", "", false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if id, found := strings.CutSuffix(strings.ToLower(host), "."+g.Domain); found && id != "" && !strings.Contains(id, ".") {
		return id, r.URL.EscapedPath(), true
	}
	rest, found := strings.CutPrefix(r.URL.EscapedPath(), g.PathPrefix)
	if !found || g.PathPrefix == "" {
		return "", "", false
	}
	id, below, _ := strings.Cut(rest, "/")
	if id == "" {
		return "", "", false
	}
	return id, "/" + below, true
}

// serveGateway hands a data-plane request to the gateway.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request, info *requestInfo, apiID, rawPath string) {
	info.service, info.op = gatewayServiceName, apiID
	info.writeError = func(w http.ResponseWriter, _ *http.Request, _ error) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"message":"Internal Server Error"}`))
	}
	release, admitted := s.admit(w, r, info)
	if !admitted {
		return
	}
	defer release()
	r = r.WithContext(logging.WithAttrs(r.Context(), slog.String(logging.KeyService, gatewayServiceName), slog.String("api_id", apiID)))
	s.opts.Gateway.Handler.ServeAPI(w, r, apiID, rawPath)
}
