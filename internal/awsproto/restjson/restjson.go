// Package restjson is the restJson1 protocol binding (the Lambda control
// plane, later apigatewayv2): operations are routed by HTTP method and path
// pattern, inputs come from path labels, the query string, headers and a
// JSON body, and errors are answered with an X-Amzn-ErrorType header and a
// {"Type":"User"|"Service","message":...} body.
//
// A service declares its operations as a [Service] route table; the front
// door (internal/server) authenticates the request, reads the body and calls
// [Handler.Serve]. A path such as
// "/2015-03-31/functions/{FunctionName}/invocations" matches one segment per
// label; labels are percent-decoded. A trailing slash on the request path is
// ignored, since older SDK models send one.
package restjson

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
)

// Header names of the protocol.
const (
	// HeaderRequestID carries the request id on every response.
	HeaderRequestID = "x-amzn-RequestId"
	// HeaderErrorType carries the error code of an error response.
	HeaderErrorType = "X-Amzn-ErrorType"
)

// Request is what an operation sees of one HTTP request.
type Request struct {
	// HTTP is the request; its body has already been consumed (see Body).
	HTTP *http.Request
	// Body is the whole request body.
	Body []byte
	// labels are the decoded path labels, by name.
	labels map[string]string
}

// Label returns the decoded value of the path label name ("" if absent).
func (r *Request) Label(name string) string { return r.labels[name] }

// Query returns the first value of the query parameter name.
func (r *Request) Query(name string) string { return r.HTTP.URL.Query().Get(name) }

// Header returns the first value of the request header name.
func (r *Request) Header(name string) string { return r.HTTP.Header.Get(name) }

// Decode reads the JSON body into v; an empty body leaves v alone. A body
// that is not JSON, or does not fit v, is answered with bad and the
// message "Invalid request body: malformed JSON" or "Invalid request
// body: unexpected value for <field>" (API Gateway's BadRequestException),
// never with Go type names.
func (r *Request) Decode(v any, bad apierr.Def) error {
	if len(r.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return bad.New("Invalid request body: unexpected value for " + typeErr.Field)
		}
		return bad.New("Invalid request body: malformed JSON")
	}
	return nil
}

// Response is an operation's answer. Body is written as is; use [JSON] for
// a JSON-encoded output.
type Response struct {
	// Status is the HTTP status; 200 when zero.
	Status int
	// Header holds extra response headers.
	Header http.Header
	// ContentType is the body's media type; application/json when empty
	// and the body is not empty.
	ContentType string
	// Body is the response body.
	Body []byte
}

// JSON returns a Response with the given status and v encoded as JSON
// (nil encodes as {}).
func JSON(status int, v any) (*Response, error) {
	if v == nil {
		return &Response{Status: status, Body: []byte("{}")}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &Response{Status: status, Body: b}, nil
}

// OpFunc runs one operation.
type OpFunc func(ctx context.Context, r *Request) (*Response, error)

// Route maps a method and a path pattern to an operation.
type Route struct {
	// Method is the HTTP method, e.g. "POST".
	Method string
	// Pattern is the path with {Label} segments, e.g.
	// "/2015-03-31/functions/{FunctionName}".
	Pattern string
	// Op is the AWS operation name, for logs.
	Op string
	// Call runs the operation.
	Call OpFunc
}

// Service is a restJson API: its routes and how its errors are spelled.
type Service struct {
	// Routes are tried in order; the first whose method and pattern match wins.
	Routes []Route
	// MessageFields maps an error code to the body member carrying its
	// message ("Message" for some Lambda errors); "message" otherwise. An
	// apierr.Error's own MessageField wins over this table.
	MessageFields map[string]string
}

// Match finds the route of r by method and path and returns it with the
// decoded path labels.
func (s Service) Match(r *http.Request) (route Route, labels map[string]string, ok bool) {
	segs := splitPath(r.URL.EscapedPath())
	for _, rt := range s.Routes {
		if rt.Method != r.Method {
			continue
		}
		if labels, ok := matchPattern(rt.Pattern, segs); ok {
			return rt, labels, true
		}
	}
	return Route{}, nil, false
}

// splitPath splits an escaped path into its segments, ignoring a trailing slash.
func splitPath(p string) []string {
	p = strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// matchPattern matches escaped path segments against a pattern and returns
// the decoded labels.
func matchPattern(pattern string, segs []string) (map[string]string, bool) {
	pat := splitPath(pattern)
	if len(pat) != len(segs) {
		return nil, false
	}
	var labels map[string]string
	for i, p := range pat {
		if name, ok := strings.CutPrefix(p, "{"); ok {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			if labels == nil {
				labels = make(map[string]string)
			}
			labels[strings.TrimSuffix(name, "}")] = v
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return labels, true
}
