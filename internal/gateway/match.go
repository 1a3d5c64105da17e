package gateway

import (
	"net/url"
	"strings"

	"golang.org/x/time/rate"
)

// defaultRouteKey is the catch-all route.
const defaultRouteKey = "$default"

// segment is one segment of a route path: a literal, or a variable.
type segment struct {
	literal string
	param   string // variable name when non-empty
}

// compiledRoute is a route ready for matching.
type compiledRoute struct {
	Route
	method   string // "ANY" or a method
	resource string // the route path, e.g. "/items/{id}"
	segs     []segment
	greedy   string // name of the trailing {name+} variable, "" if none
	integ    *Integration
	limiter  *rate.Limiter // the route's token bucket; nil when unlimited
}

// compileRoute parses a route key; ok is false for "$default" and keys it
// cannot parse (the control plane validates them).
func compileRoute(rt Route) (cr *compiledRoute, ok bool) {
	method, path, found := strings.Cut(rt.Key, " ")
	if !found || !strings.HasPrefix(path, "/") {
		return nil, false
	}
	cr = &compiledRoute{Route: rt, method: method, resource: path}
	for _, seg := range splitSegments(path) {
		name, isVar := strings.CutPrefix(seg, "{")
		if !isVar {
			cr.segs = append(cr.segs, segment{literal: seg})
			continue
		}
		name = strings.TrimSuffix(name, "}")
		if g, isGreedy := strings.CutSuffix(name, "+"); isGreedy {
			cr.greedy = g
			break
		}
		cr.segs = append(cr.segs, segment{param: name})
	}
	return cr, true
}

// splitSegments splits a path ("/a/b") into its segments; "/" has none.
func splitSegments(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match reports whether the route matches a request method and its raw
// path segments, returning the decoded path parameters.
func (cr *compiledRoute) match(method string, raw []string) (params map[string]string, ok bool) {
	if cr.method != "ANY" && cr.method != method {
		return nil, false
	}
	if len(raw) < len(cr.segs) || (cr.greedy == "" && len(raw) != len(cr.segs)) || (cr.greedy != "" && len(raw) == len(cr.segs)) {
		return nil, false
	}
	for i, seg := range cr.segs {
		v, err := url.PathUnescape(raw[i])
		if err != nil {
			return nil, false
		}
		if seg.param == "" {
			if v != seg.literal {
				return nil, false
			}
			continue
		}
		if v == "" {
			return nil, false
		}
		params = setParam(params, seg.param, v)
	}
	if cr.greedy != "" {
		rest, err := url.PathUnescape(strings.Join(raw[len(cr.segs):], "/"))
		if err != nil || rest == "" {
			return nil, false
		}
		params = setParam(params, cr.greedy, rest)
	}
	return params, true
}

func setParam(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = make(map[string]string)
	}
	m[k] = v
	return m
}

// moreSpecific reports whether route a takes precedence over b when both
// match: non-greedy first, then literal segments before variables from
// the left, then longer greedy prefixes, then a named method before ANY.
func moreSpecific(a, b *compiledRoute) bool {
	if (a.greedy == "") != (b.greedy == "") {
		return a.greedy == ""
	}
	for i := range min(len(a.segs), len(b.segs)) {
		al, bl := a.segs[i].param == "", b.segs[i].param == ""
		if al != bl {
			return al
		}
	}
	if len(a.segs) != len(b.segs) {
		return len(a.segs) > len(b.segs)
	}
	return a.method != "ANY" && b.method == "ANY"
}

// selectRoute finds the route of a request among a stage's routes.
func (st *stageTable) selectRoute(method string, raw []string) (*compiledRoute, map[string]string) {
	var best *compiledRoute
	var bestParams map[string]string
	for _, cr := range st.routes {
		params, ok := cr.match(method, raw)
		if ok && (best == nil || moreSpecific(cr, best)) {
			best, bestParams = cr, params
		}
	}
	if best == nil {
		return st.defaultRoute, nil
	}
	return best, bestParams
}
