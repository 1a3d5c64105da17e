package gateway

import (
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// requestTimeFormat is API Gateway's requestContext time format.
const requestTimeFormat = "02/Jan/2006:15:04:05 -0700"

// incoming is what the proxy events are built from.
type incoming struct {
	r            *http.Request
	apiID        string
	domainName   string
	rawPath      string // escaped, as received, with the stage prefix
	stagePath    string // escaped, without the stage prefix
	stage        *stageTable
	route        *compiledRoute
	params       map[string]string
	body         []byte
	requestID    string
	accountID    string
	region       string
	auth         *authResult // what the route's authorizer established
	received     time.Time
	sourceIP     string
	forwardedFor string
	// binary says whether a media type is one of a REST API's
	// binaryMediaTypes; nil for HTTP APIs.
	binary func(contentType string) bool
}

// bodyField returns the body as the event carries it: text, or base64
// for binary media types; isB64 says which. HTTP APIs pass text media
// types as text when they are UTF-8; REST APIs pass the body base64 when
// its Content-Type is one of the API's binaryMediaTypes, else as text.
func (in *incoming) bodyField() (body *string, isB64 bool) {
	if len(in.body) == 0 {
		return nil, false
	}
	contentType := in.r.Header.Get("Content-Type")
	text := isTextual(contentType) && utf8.Valid(in.body)
	if in.binary != nil {
		text = !in.binary(contentType)
	}
	if text {
		s := string(in.body)
		return &s, false
	}
	s := base64.StdEncoding.EncodeToString(in.body)
	return &s, true
}

// isTextual reports whether a media type is passed to functions as text;
// anything else (form posts included, as HTTP APIs do) is base64-encoded.
func isTextual(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "application/x-javascript":
		return true
	}
	return false
}

// sourceIP returns the client address of r.
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// port returns the port a request was sent to, from its Host.
func port(r *http.Request) string {
	if _, p, err := net.SplitHostPort(r.Host); err == nil {
		return p
	}
	return "80"
}

// routeKey is the route's key as events carry it.
func (in *incoming) routeKey() string { return in.route.Key }

// eventV2 is the payload format 2.0 event.
type eventV2 struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	RequestContext        contextV2         `json:"requestContext"`
	Body                  *string           `json:"body,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
	StageVariables        map[string]string `json:"stageVariables,omitempty"`
}

type contextV2 struct {
	AccountID    string        `json:"accountId"`
	APIID        string        `json:"apiId"`
	DomainName   string        `json:"domainName"`
	DomainPrefix string        `json:"domainPrefix"`
	HTTP         httpV2        `json:"http"`
	RequestID    string        `json:"requestId"`
	RouteKey     string        `json:"routeKey"`
	Stage        string        `json:"stage"`
	Time         string        `json:"time"`
	TimeEpoch    int64         `json:"timeEpoch"`
	Authorizer   *authorizerV2 `json:"authorizer,omitempty"`
}

type httpV2 struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// buildV2 builds the payload 2.0 event: lower-cased headers with repeated
// values comma-joined, cookies split out of the Cookie headers, query
// parameters comma-joined, and the raw path with the stage prefix.
func (in *incoming) buildV2() eventV2 {
	r := in.r
	ev := eventV2{
		Version: "2.0", RouteKey: in.routeKey(), RawPath: in.rawPath, RawQueryString: r.URL.RawQuery,
		Headers: make(map[string]string), PathParameters: in.params, StageVariables: in.stage.variables,
	}
	for name, vs := range in.headers() {
		lower := strings.ToLower(name)
		if lower == "cookie" {
			for _, v := range vs {
				ev.Cookies = append(ev.Cookies, splitCookies(v)...)
			}
			continue
		}
		ev.Headers[lower] = strings.Join(vs, ",")
	}
	if q := queryValues(r); len(q) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(q))
		for k, vs := range q {
			ev.QueryStringParameters[k] = strings.Join(vs, ",")
		}
	}
	ev.Body, ev.IsBase64Encoded = in.bodyField()
	ev.RequestContext = contextV2{
		AccountID: in.accountID, APIID: in.apiID, DomainName: in.domainName, DomainPrefix: in.apiID,
		HTTP:      httpV2{Method: r.Method, Path: in.rawPath, Protocol: r.Proto, SourceIP: in.sourceIP, UserAgent: r.UserAgent()},
		RequestID: in.requestID, RouteKey: in.routeKey(), Stage: in.stage.name,
		Time: in.received.UTC().Format(requestTimeFormat), TimeEpoch: in.received.UnixMilli(),
		Authorizer: in.auth.contextV2(),
	}
	return ev
}

// headers returns the request headers with the ones API Gateway adds:
// host and the X-Forwarded-* trio.
func (in *incoming) headers() http.Header {
	h := in.r.Header.Clone()
	h.Set("Host", in.r.Host)
	h.Set("X-Forwarded-For", in.forwardedFor)
	h.Set("X-Forwarded-Port", port(in.r))
	h.Set("X-Forwarded-Proto", "http")
	return h
}

// splitCookies splits a Cookie header into its "name=value" pairs.
func splitCookies(v string) []string {
	var out []string
	for c := range strings.SplitSeq(v, ";") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// queryValues parses the query string leniently (a malformed pair is
// skipped, as API Gateway passes what it can).
func queryValues(r *http.Request) url.Values {
	q, _ := url.ParseQuery(r.URL.RawQuery) // the pairs that parsed are kept
	return q
}

// eventV1 is the payload format 1.0 event of HTTP APIs.
type eventV1 struct {
	Version                         string              `json:"version"`
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	RequestContext                  contextV1           `json:"requestContext"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

type contextV1 struct {
	AccountID         string         `json:"accountId"`
	APIID             string         `json:"apiId"`
	DomainName        string         `json:"domainName"`
	DomainPrefix      string         `json:"domainPrefix"`
	ExtendedRequestID string         `json:"extendedRequestId"`
	HTTPMethod        string         `json:"httpMethod"`
	Identity          identityV1     `json:"identity"`
	Path              string         `json:"path"`
	Protocol          string         `json:"protocol"`
	RequestID         string         `json:"requestId"`
	RequestTime       string         `json:"requestTime"`
	RequestTimeEpoch  int64          `json:"requestTimeEpoch"`
	ResourceID        string         `json:"resourceId"`
	ResourcePath      string         `json:"resourcePath"`
	Stage             string         `json:"stage"`
	Authorizer        map[string]any `json:"authorizer,omitempty"`
}

// identityV1 is requestContext.identity; the members Fogbank has no value
// for are null, as for an unauthenticated caller on AWS.
type identityV1 struct {
	AccessKey                     *string `json:"accessKey"`
	AccountID                     *string `json:"accountId"`
	Caller                        *string `json:"caller"`
	CognitoAuthenticationProvider *string `json:"cognitoAuthenticationProvider"`
	CognitoAuthenticationType     *string `json:"cognitoAuthenticationType"`
	CognitoIdentityID             *string `json:"cognitoIdentityId"`
	CognitoIdentityPoolID         *string `json:"cognitoIdentityPoolId"`
	PrincipalOrgID                *string `json:"principalOrgId"`
	SourceIP                      string  `json:"sourceIp"`
	User                          *string `json:"user"`
	UserAgent                     string  `json:"userAgent"`
	UserArn                       *string `json:"userArn"`
}

// buildV1 builds the payload 1.0 event: headers and query parameters
// single-valued (the last value) and multi-valued, absent maps null, the
// path without the stage prefix and requestContext.path with it.
func (in *incoming) buildV1() eventV1 {
	r := in.r
	path, err := url.PathUnescape(in.stagePath)
	if err != nil {
		path = in.stagePath
	}
	ev := eventV1{
		Version: "1.0", Resource: in.route.resource, Path: path, HTTPMethod: r.Method,
		PathParameters: in.params, StageVariables: in.stage.variables,
	}
	ev.Headers, ev.MultiValueHeaders = lastAndAll(in.headers())
	if q := queryValues(r); len(q) > 0 {
		ev.QueryStringParameters, ev.MultiValueQueryStringParameters = lastAndAll(q)
	}
	ev.Body, ev.IsBase64Encoded = in.bodyField()
	ev.RequestContext = contextV1{
		AccountID: in.accountID, APIID: in.apiID, DomainName: in.domainName, DomainPrefix: in.apiID,
		ExtendedRequestID: in.requestID, HTTPMethod: r.Method,
		Identity: in.requestIdentity(),
		Path:     in.rawPath, Protocol: r.Proto, RequestID: in.requestID,
		RequestTime: in.received.UTC().Format(requestTimeFormat), RequestTimeEpoch: in.received.UnixMilli(),
		ResourceID: in.route.ID, ResourcePath: in.route.resource, Stage: in.stage.name,
		Authorizer: in.auth.contextV1(),
	}
	return ev
}

// lastAndAll returns the last value of each key and all of them.
func lastAndAll(m map[string][]string) (map[string]string, map[string][]string) {
	last := make(map[string]string, len(m))
	all := make(map[string][]string, len(m))
	for k, vs := range m {
		if len(vs) == 0 {
			continue
		}
		last[k], all[k] = vs[len(vs)-1], vs
	}
	return last, all
}
