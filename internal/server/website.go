package server

import (
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/logging"
)

// websiteServiceName names bucket website requests in the access log and
// admission control.
const websiteServiceName = "s3-website"

// websiteLabel is the host label of S3's website endpoints.
const websiteLabel = "s3-website"

// WebsiteHandler serves bucket websites (package website).
type WebsiteHandler interface {
	// ServeWebsite answers a request to bucket's website; path is the
	// decoded path below base, the prefix of the site's URLs on this host.
	ServeWebsite(w http.ResponseWriter, r *http.Request, bucket, base, path string)
	// WriteError answers a request refused before it reached the site.
	WriteError(w http.ResponseWriter, r *http.Request, err error)
}

// Website routes bucket website requests: those whose Host is
// <bucket>.s3-website.<Domain>, <bucket>.s3-website-<region>.<Domain> or
// <bucket>.s3-website.<region>.<Domain> (any port), and the path-style
// fallback <PathPrefix><bucket>/<path>. They are anonymous: no SigV4.
type Website struct {
	// Domain is the parent domain, e.g. "localhost".
	Domain string
	// PathPrefix is the path-style prefix, e.g. "/_website/".
	PathPrefix string
	// Handler serves the requests.
	Handler WebsiteHandler
}

// websiteTarget returns the bucket, the URL prefix of its site and the
// path below it when r is for a bucket website.
func (s *Server) websiteTarget(r *http.Request) (bucket, base, path string, ok bool) {
	ws := s.opts.Website
	if ws == nil {
		return "", "", "", false
	}
	if bucket, ok := websiteHostBucket(r.Host, ws.Domain); ok {
		return bucket, "", r.URL.Path, true
	}
	rest, found := strings.CutPrefix(r.URL.Path, ws.PathPrefix)
	if !found || ws.PathPrefix == "" {
		return "", "", "", false
	}
	bucket, below, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", "", false
	}
	return bucket, strings.TrimSuffix(ws.PathPrefix, "/") + "/" + bucket, "/" + below, true
}

// websiteHostBucket returns the bucket a website Host names under domain.
func websiteHostBucket(host, domain string) (string, bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	rest, found := strings.CutSuffix(strings.ToLower(host), "."+domain)
	if !found {
		return "", false
	}
	i := strings.LastIndex(rest, "."+websiteLabel)
	if i <= 0 {
		return "", false
	}
	label := rest[i+1:]
	if label != websiteLabel {
		region, ok := strings.CutPrefix(label, websiteLabel+"-")
		if !ok {
			region, ok = strings.CutPrefix(label, websiteLabel+".")
		}
		if !ok || region == "" || strings.Contains(region, ".") {
			return "", false
		}
	}
	return rest[:i], true
}

// serveWebsite hands a bucket website request to the website handler.
func (s *Server) serveWebsite(w http.ResponseWriter, r *http.Request, info *requestInfo, bucket, base, path string) {
	handler := s.opts.Website.Handler
	info.service, info.op = websiteServiceName, bucket
	info.writeError = func(w http.ResponseWriter, r *http.Request, err error) {
		if errThrottling.Is(err) { // shed: S3's SlowDown, as the site's HTML page
			err = throttleError(s3SigningName)
		}
		handler.WriteError(w, r, err)
	}
	w.Header().Del(awsjson.HeaderRequestID)
	restxml.SetRequestID(w.Header(), logging.RequestID(r.Context()))
	release, admitted := s.admit(w, r, info)
	if !admitted {
		return
	}
	defer release()
	r = r.WithContext(logging.WithAttrs(r.Context(), slog.String(logging.KeyService, websiteServiceName), slog.String("bucket", bucket)))
	handler.ServeWebsite(w, r, bucket, base, path)
}
