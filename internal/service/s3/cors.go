package s3

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// CORS is applied in two places: OPTIONS preflight requests, which the
// front door passes on unauthenticated, are answered from the bucket's
// rules (preflight); and a request carrying an Origin that a rule allows
// gets the Access-Control-* headers on its answer, errors included
// (applyCORS).

// Messages of CORS failures.
const (
	msgCORSDisabled  = "CORSResponse: CORS is not enabled for this bucket."
	msgCORSForbidden = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, " +
		"request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."
)

func (s *Service) preflight(rq *request) error {
	h := rq.r.Header
	origin, method := h.Get("Origin"), h.Get("Access-Control-Request-Method")
	if origin == "" {
		return errBadRequest.New("Insufficient information. Origin request header needed.")
	}
	if method == "" {
		return errBadRequest.New("Invalid Access-Control-Request-Method: null")
	}
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil {
		return err
	}
	resourceType := "BUCKET"
	if rq.key != "" {
		resourceType = "OBJECT"
	}
	if b.CORS == nil {
		return errCORSForbidden.New(msgCORSDisabled).With("Method", method).With("ResourceType", resourceType)
	}
	headers := splitList(h.Get("Access-Control-Request-Headers"))
	rule := matchCORS(b.CORS, origin, method, headers)
	if rule == nil {
		return errCORSForbidden.New(msgCORSForbidden).With("Method", method).With("ResourceType", resourceType)
	}
	out := rq.w.Header()
	setCORSHeaders(out, rule, origin)
	out.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
	if len(headers) > 0 {
		out.Set("Access-Control-Allow-Headers", strings.Join(headers, ", "))
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// applyCORS adds the Access-Control-* headers to the answer of a request
// from origin that one of the bucket's rules allows.
func (s *Service) applyCORS(rq *request, origin string) {
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil || b.CORS == nil {
		return
	}
	if rule := matchCORS(b.CORS, origin, rq.r.Method, nil); rule != nil {
		setCORSHeaders(rq.w.Header(), rule, origin)
		rq.w.Header().Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
	}
}

// setCORSHeaders sets the headers every allowed CORS answer carries.
func setCORSHeaders(h http.Header, rule *CORSRule, origin string) {
	if slices.Contains(rule.AllowedOrigins, "*") {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(rule.AllowedMethods, ", "))
	if len(rule.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(rule.ExposeHeaders, ", "))
	}
	if rule.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(*rule.MaxAgeSeconds))
	}
}

// matchCORS returns the first rule that allows origin, method and every
// one of headers, nil when none does.
func matchCORS(cfg *CORSConfiguration, origin, method string, headers []string) *CORSRule {
	for i := range cfg.Rules {
		rule := &cfg.Rules[i]
		if !slices.Contains(rule.AllowedMethods, method) || !anyWildcard(rule.AllowedOrigins, origin, false) {
			continue
		}
		allowed := true
		for _, name := range headers {
			allowed = allowed && anyWildcard(rule.AllowedHeaders, name, true)
		}
		if allowed {
			return rule
		}
	}
	return nil
}

// anyWildcard reports whether one of patterns (each with at most one "*")
// matches s.
func anyWildcard(patterns []string, s string, foldCase bool) bool {
	for _, p := range patterns {
		if foldCase {
			p, s = strings.ToLower(p), strings.ToLower(s)
		}
		prefix, suffix, wild := strings.Cut(p, "*")
		if !wild && p == s || wild && len(s) >= len(prefix)+len(suffix) && strings.HasPrefix(s, prefix) && strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}

// splitList splits a comma-separated header value, dropping blanks.
func splitList(v string) []string {
	var out []string
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
