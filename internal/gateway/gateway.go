package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/gateway/authorizer"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/logship"
	"github.com/fogbank/fogbank/internal/metrics"
	"github.com/fogbank/fogbank/internal/sigv4"
)

// Defaults of the Options fields and HTTP API limits.
const (
	// DefaultIntegrationTimeout is HTTP APIs' default integration timeout.
	DefaultIntegrationTimeout = 30 * time.Second
	// DefaultRevalidateAfter is how long a routing snapshot is served
	// before its revision is checked against storage.
	DefaultRevalidateAfter = time.Second
	// MaxPayload is HTTP APIs' request payload limit (10 MB).
	MaxPayload = 10 << 20
)

// Options configure a Handler.
type Options struct {
	// Source reads API definitions. Required.
	Source Source
	// Invoker runs Lambda functions. Required.
	Invoker Invoker
	// REST reads REST API definitions; only HTTP APIs are served when nil.
	REST RESTSource
	// AccountID and Region appear in events. Required.
	AccountID, Region string
	// Domain is the execute-api domain, e.g. "execute-api.localhost":
	// APIs answer at <apiId>.<Domain>. Required.
	Domain string
	// HTTPClient sends HTTP_PROXY requests; a client without redirects when nil.
	HTTPClient *http.Client
	// RevalidateAfter is DefaultRevalidateAfter when zero.
	RevalidateAfter time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives gateway events; discarded when nil.
	Logger *slog.Logger
	// Keys gives JWT authorizers the issuers' signing keys; OpenID
	// discovery over HTTP (authorizer.OIDCKeys) when nil.
	Keys authorizer.KeySource
	// UserPoolKeys gives REST APIs' COGNITO_USER_POOLS authorizers the
	// user pools' signing keys by issuer
	// (https://cognito-idp.<region>.amazonaws.com/<poolId>); without it
	// their methods are refused 401.
	UserPoolKeys authorizer.KeySource
	// Metrics receives the access metrics; none are kept when nil.
	Metrics *metrics.Gateway
	// AccessLogSink receives the access log lines of stages with
	// AccessLogSettings (the CloudWatch Logs service, wired by package
	// app), batched by a shipper the Handler owns; none are written when nil.
	AccessLogSink logship.Sink
	// VerifySigV4 checks the signature of requests to AWS_IAM routes and
	// methods (signing name [SigningName]) over a body whose SHA-256 is
	// payloadHash: the front door's check (server.Server.VerifySigV4), so
	// the same keys and sessions are accepted. Without it those routes
	// answer 500.
	VerifySigV4 func(r *http.Request, payloadHash string) (*sigv4.Result, error)
}

// Handler serves the HTTP APIs. It is safe for concurrent use.
type Handler struct {
	opts   Options
	logger *slog.Logger
	// apis are the HTTP APIs' routing snapshots, rests the REST APIs'
	// (nil without Options.REST).
	apis  *cache[*apiSnapshot]
	rests *cache[*restSnapshot]
	// invocations are the Lambda invocations still running, some past
	// their request's integration timeout.
	invocations sync.WaitGroup
	// accessLogs ships access log lines to Options.AccessLogSink (nil
	// without one).
	accessLogs *logship.Shipper
	// verifier checks JWTs; caller runs Lambda authorizers and caches
	// their results.
	verifier *authorizer.Verifier
	caller   *authorizer.Caller
	// restCaller runs REST APIs' Lambda authorizers, whose functions may
	// refuse by failing with "Unauthorized"; poolVerifier checks user pool
	// tokens (nil without Options.UserPoolKeys).
	restCaller   *authorizer.Caller
	poolVerifier *authorizer.Verifier
}

// keysTimeout bounds the default key source's fetches.
const keysTimeout = 10 * time.Second

// New returns a Handler over opts.
func New(opts Options) (*Handler, error) {
	if opts.Source == nil || opts.Invoker == nil || opts.AccountID == "" || opts.Domain == "" {
		return nil, errors.New("gateway: Source, Invoker, AccountID and Domain are required")
	}
	if opts.RevalidateAfter <= 0 {
		opts.RevalidateAfter = DefaultRevalidateAfter
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Keys == nil {
		opts.Keys = &authorizer.OIDCKeys{Client: &http.Client{Timeout: keysTimeout}}
	}
	opts.Logger = logging.OrDiscard(opts.Logger)
	h := &Handler{opts: opts, logger: opts.Logger}
	h.apis = newHTTPCache(&h.opts)
	if opts.AccessLogSink != nil {
		h.accessLogs = logship.New(opts.AccessLogSink, opts.Logger)
	}
	if opts.REST != nil {
		h.rests = newRESTCache(&h.opts)
	}
	h.verifier = &authorizer.Verifier{Keys: opts.Keys, Now: opts.Now}
	h.caller = &authorizer.Caller{Invoke: h.invokeAuthorizer, Now: opts.Now}
	h.restCaller = &authorizer.Caller{Invoke: h.invokeRESTAuthorizer, Now: opts.Now}
	if opts.UserPoolKeys != nil {
		h.poolVerifier = &authorizer.Verifier{Keys: opts.UserPoolKeys, Now: opts.Now}
	}
	return h, nil
}

// Close waits for the invocations still running (their functions run to
// their own timeouts; close the Lambda service first to abort them), then
// writes the access log lines still queued.
func (h *Handler) Close() {
	h.invocations.Wait()
	h.accessLogs.Close()
}

// ServeAPI answers one request to API apiID; rawPath is the escaped
// request path below the API (with the stage prefix, if any).
func (h *Handler) ServeAPI(w http.ResponseWriter, r *http.Request, apiID, rawPath string) {
	started := time.Now()
	w.Header().Set("Apigw-Requestid", logging.RequestID(r.Context()))
	rec := &recorder{ResponseWriter: w}
	in := h.serve(rec, r, apiID, rawPath)
	h.observe(apiID, in, rec, started)
	h.logAccess(in, rec, started)
}

// serve answers a request in the order AWS applies: CORS preflight, route,
// throttling, authorization, integration. It returns what it resolved of
// the request, nil when it got no stage.
func (h *Handler) serve(w *recorder, r *http.Request, apiID, rawPath string) *incoming {
	if h.rests != nil {
		rs, err := h.rests.get(r.Context(), apiID)
		if err != nil {
			h.logger.ErrorContext(r.Context(), "load REST API", slog.String("api_id", apiID), slog.Any(logging.KeyErr, err))
			restInternal.write(w, r)
			return nil
		}
		if !rs.missing {
			return h.serveREST(w, r, rs, apiID, rawPath)
		}
	}
	snap, err := h.apis.get(r.Context(), apiID)
	switch {
	case err != nil:
		h.logger.ErrorContext(r.Context(), "load API", slog.String("api_id", apiID), slog.Any(logging.KeyErr, err))
		respInternal.write(w, r)
		return nil
	case snap == nil:
		if h.rests != nil {
			h.rests.forget(apiID)
		}
		respNotFound.write(w, r)
		return nil
	case snap.disabled:
		respForbidden.write(w, r)
		return nil
	case snap.cors != nil && isPreflight(r):
		snap.cors.preflight(w, r)
		return nil
	}
	w.cors, w.origin = snap.cors, r.Header.Get("Origin")
	in := h.route(r, snap, apiID, rawPath)
	switch {
	case in.route == nil:
		respNotFound.write(w, r)
	case in.route.limiter != nil && !in.route.limiter.Allow():
		respTooMany.write(w, r)
	case !h.authorize(w, in):
		w.authorizerError = w.errorMessage
	default:
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPayload))
		if err != nil {
			respTooLarge.write(w, r)
			return in
		}
		in.body = body
		h.integrate(w, in)
	}
	return in
}

// route resolves the stage and the route of a request; in.route is nil
// when none matches.
func (h *Handler) route(r *http.Request, snap *apiSnapshot, apiID, rawPath string) *incoming {
	in := h.newIncoming(r, apiID, rawPath)
	segs := splitSegments(rawPath)
	if len(segs) > 0 {
		name, err := url.PathUnescape(segs[0])
		if st, ok := snap.stages[name]; ok && err == nil && name != defaultRouteKey {
			in.stage, segs = st, segs[1:]
			in.stagePath = "/" + strings.Join(segs, "/")
		}
	}
	if in.stage == nil {
		if in.stage = snap.stages[defaultRouteKey]; in.stage == nil {
			return in
		}
	}
	in.route, in.params = in.stage.selectRoute(r.Method, segs)
	return in
}

// newIncoming starts the description of a request to an API.
func (h *Handler) newIncoming(r *http.Request, apiID, rawPath string) *incoming {
	in := &incoming{r: r, apiID: apiID, rawPath: rawPath, stagePath: rawPath, accountID: h.opts.AccountID,
		region: h.opts.Region, requestID: logging.RequestID(r.Context()), received: h.opts.Now(), sourceIP: sourceIP(r)}
	in.domainName = apiID + "." + h.opts.Domain
	in.forwardedFor = in.sourceIP
	if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
		in.forwardedFor = xff + ", " + in.sourceIP
	}
	return in
}

// integrate runs the route's integration and writes the response.
func (h *Handler) integrate(w http.ResponseWriter, in *incoming) {
	integ := in.route.integ
	if integ == nil {
		h.logger.WarnContext(in.r.Context(), "route has no integration", slog.String("route", in.route.Key))
		respInternal.write(w, in.r)
		return
	}
	timeout := integ.Timeout
	if timeout <= 0 {
		timeout = DefaultIntegrationTimeout
	}
	switch integ.Type {
	case TypeAWSProxy:
		h.invokeLambda(w, in, integ, timeout)
	case TypeHTTPProxy:
		h.forward(w, in, integ, timeout, httpProxyErrors)
	default:
		respInternal.write(w, in.r)
	}
}

// invokeLambda runs an AWS_PROXY integration. The function runs in a
// goroutine the Handler owns, so that the request can be answered 503
// when the integration timeout passes while the function goes on.
func (h *Handler) invokeLambda(w http.ResponseWriter, in *incoming, integ *Integration, timeout time.Duration) {
	var payload []byte
	var err error
	if integ.PayloadFormatVersion == "1.0" {
		payload, err = json.Marshal(in.buildV1())
	} else {
		payload, err = json.Marshal(in.buildV2())
	}
	if err != nil {
		h.logger.ErrorContext(in.r.Context(), "encode event", slog.Any(logging.KeyErr, err))
		respInternal.write(w, in.r)
		return
	}
	function := functionOf(substitute(integ.URI, in.stage.variables))
	o, timedOut := h.invokeWithin(in, function, payload, timeout)
	switch {
	case o != nil:
		noteInvocation(w, o)
		h.respondLambda(w, in, integ, o.res, o.err)
	case timedOut:
		respUnavailable.write(w, in.r)
	}
}

// outcome is what an invocation gave, and when it started.
type outcome struct {
	res     InvokeResult
	err     error
	started time.Time
}

// invokeWithin runs a function in a goroutine the Handler owns, so that
// the request can be answered when the integration timeout passes while
// the function goes on. It returns the outcome, or nil when the timeout
// passed (timedOut) or the client went away.
func (h *Handler) invokeWithin(in *incoming, function string, payload []byte, timeout time.Duration) (o *outcome, timedOut bool) {
	done := make(chan outcome, 1)
	ctx := context.WithoutCancel(in.r.Context())
	started := time.Now()
	h.invocations.Go(func() {
		res, err := h.opts.Invoker.Invoke(ctx, function, payload)
		done <- outcome{res, err, started}
	})
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case o := <-done:
		return &o, false
	case <-timer.C:
		h.logger.WarnContext(in.r.Context(), "integration timed out", slog.String("function", function), slog.Duration("timeout", timeout))
		return nil, true
	case <-in.r.Context().Done():
		return nil, false
	}
}

// respondLambda maps an invocation's outcome onto the response.
func (h *Handler) respondLambda(w http.ResponseWriter, in *incoming, integ *Integration, res InvokeResult, err error) {
	ctx := in.r.Context()
	if err != nil {
		h.logger.WarnContext(ctx, "invoke failed", slog.String("route", in.route.Key), slog.Any(logging.KeyErr, err))
		respInternal.write(w, in.r)
		return
	}
	if res.FunctionError != "" {
		h.logger.DebugContext(ctx, "function error", slog.String("route", in.route.Key), slog.String("function_error", res.FunctionError))
		respInternal.write(w, in.r)
		return
	}
	mapper := mapV2
	if integ.PayloadFormatVersion == "1.0" {
		mapper = mapV1
	}
	out, err := mapper(res.Payload)
	if err != nil {
		h.logger.WarnContext(ctx, "malformed function response", slog.String("route", in.route.Key))
		respInternal.write(w, in.r)
		return
	}
	out.write(w, in.r)
}

// functionOf extracts the function of an integration URI: a Lambda ARN, or
// an apigateway invocation ARN
// (arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations).
func functionOf(uri string) string {
	if _, rest, ok := strings.Cut(uri, ":lambda:path/2015-03-31/functions/"); ok {
		return strings.TrimSuffix(rest, "/invocations")
	}
	return uri
}

// substitute replaces ${stageVariables.name} with the stage variable.
func substitute(s string, vars map[string]string) string {
	const open = "${stageVariables."
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return s
		}
		name := s[i+len(open) : i+j]
		s = s[:i] + vars[name] + s[i+j+1:]
	}
}
