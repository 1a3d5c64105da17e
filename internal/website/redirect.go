package website

import (
	"net/http"
	"net/url"
	"strings"
)

// matchRule returns the first rule matching key and status (0 before the
// object was looked up: then only rules without an error condition
// match), nil when none does.
func matchRule(rules []Rule, key string, status int) *Rule {
	for i := range rules {
		rule := &rules[i]
		if rule.ErrorCode != status {
			continue
		}
		if rule.HasKeyPrefix && !strings.HasPrefix(key, rule.KeyPrefix) {
			continue
		}
		return rule
	}
	return nil
}

// redirectRule redirects a request for key by a matched rule.
func (h *Handler) redirectRule(s *site, rule *Rule, key string) {
	rd := rule.Redirect
	switch {
	case rd.HasReplaceKey:
		key = rd.ReplaceKeyWith
	case rd.HasReplacePrefix:
		key = rd.ReplaceKeyPrefixWith + strings.TrimPrefix(key, rule.KeyPrefix)
	}
	code := rd.Code
	if code == 0 {
		code = http.StatusMovedPermanently
	}
	h.redirectTo(s, redirectURL(s, rd, key, false), code)
}

// redirectURL is the absolute URL a redirect sends a request to: the
// redirect's protocol and host (the request's when unset) and key, or
// with whole the request's path (redirect-all).
func redirectURL(s *site, rd Redirect, key string, wholePath bool) string {
	u := url.URL{Scheme: rd.Protocol, Host: rd.HostName}
	if u.Scheme == "" {
		u.Scheme = "http"
		if s.r.TLS != nil {
			u.Scheme = "https"
		}
	}
	switch {
	case wholePath:
		u.Path, u.RawQuery = s.path, s.r.URL.RawQuery
	case u.Host == "":
		u.Host, u.Path = s.r.Host, s.base+"/"+key
	default:
		u.Path = "/" + key
	}
	return u.String()
}

// redirectTo answers a redirect to location.
func (h *Handler) redirectTo(s *site, location string, code int) {
	s.w.Header().Set("Location", location)
	s.w.Header().Set("Content-Length", "0")
	s.w.WriteHeader(code)
}
