package gateway

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// corsPolicy is an API's compiled CorsConfiguration. As on AWS, when an
// API has one the gateway answers preflight requests itself (204, no
// route, no authorizer, no integration) and sets the Access-Control-*
// headers of every other response, ignoring the integration's.
type corsPolicy struct {
	anyOrigin   bool
	origins     []string // lower-cased; each may hold one * wildcard
	methods     string
	headers     string
	expose      string
	maxAge      string
	credentials bool
}

func compileCors(c *Cors) *corsPolicy {
	if c == nil {
		return nil
	}
	p := &corsPolicy{
		anyOrigin: slices.Contains(c.AllowOrigins, "*"), methods: strings.Join(c.AllowMethods, ","),
		headers: strings.Join(c.AllowHeaders, ","), expose: strings.Join(c.ExposeHeaders, ","), credentials: c.AllowCredentials,
	}
	for _, o := range c.AllowOrigins {
		p.origins = append(p.origins, strings.ToLower(o))
	}
	if c.MaxAge != nil && *c.MaxAge >= 0 {
		p.maxAge = strconv.Itoa(*c.MaxAge)
	}
	return p
}

// allowOrigin returns the Access-Control-Allow-Origin value for a request
// Origin: "*" for any origin, the origin itself when listed, "" when it is
// not allowed.
func (p *corsPolicy) allowOrigin(origin string) string {
	if origin == "" {
		return ""
	}
	if p.anyOrigin && !p.credentials {
		return "*"
	}
	lower := strings.ToLower(origin)
	for _, o := range p.origins {
		if o == "*" || o == lower {
			return origin
		}
		if pre, suf, ok := strings.Cut(o, "*"); ok && len(lower) > len(pre)+len(suf) &&
			strings.HasPrefix(lower, pre) && strings.HasSuffix(lower, suf) {
			return origin
		}
	}
	return ""
}

// isPreflight reports whether r is a CORS preflight request.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// preflight answers a preflight request: 204, with the Access-Control-*
// headers when the origin is allowed.
func (p *corsPolicy) preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if allow := p.allowOrigin(r.Header.Get("Origin")); allow != "" {
		h.Set("Access-Control-Allow-Origin", allow)
		setNonEmpty(h, "Access-Control-Allow-Methods", p.methods)
		setNonEmpty(h, "Access-Control-Allow-Headers", p.headers)
		setNonEmpty(h, "Access-Control-Max-Age", p.maxAge)
		if p.credentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if allow != "*" {
			h.Add("Vary", "Origin")
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// apply replaces the Access-Control-* headers of a response to a request
// from origin with the configured ones.
func (p *corsPolicy) apply(h http.Header, origin string) {
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			delete(h, k)
		}
	}
	allow := p.allowOrigin(origin)
	if allow == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", allow)
	setNonEmpty(h, "Access-Control-Expose-Headers", p.expose)
	if p.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if allow != "*" {
		h.Add("Vary", "Origin")
	}
}

func setNonEmpty(h http.Header, k, v string) {
	if v != "" {
		h.Set(k, v)
	}
}
