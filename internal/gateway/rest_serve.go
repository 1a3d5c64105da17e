package gateway

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/logging"
)

// Gateway responses of REST APIs, bodies as AWS writes them (a space
// after the colon for integration failures), with their x-amzn-ErrorType.
var (
	restMissingToken = restResponse{http.StatusForbidden, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"}
	restForbidden    = restResponse{http.StatusForbidden, `{"message":"Forbidden"}`, "ForbiddenException"}
	restUnauthorized = restResponse{http.StatusUnauthorized, `{"message":"Unauthorized"}`, "UnauthorizedException"}
	restBadGateway   = restResponse{http.StatusBadGateway, `{"message": "Internal server error"}`, "InternalServerErrorException"}
	restInternal     = restResponse{http.StatusInternalServerError, `{"message": "Internal server error"}`, "InternalServerErrorException"}
	restTimeout      = restResponse{http.StatusGatewayTimeout, `{"message": "Endpoint request timed out"}`, "InternalServerErrorException"}
	restTooLarge     = restResponse{http.StatusRequestEntityTooLarge, `{"message":"Request Too Long"}`, "RequestTooLargeException"}
	restTooMany      = restResponse{http.StatusTooManyRequests, `{"message":"Too Many Requests"}`, "TooManyRequestsException"}
	// restAuthorizerFailure answers an authorizer that failed or answered
	// something unreadable.
	restAuthorizerFailure = restResponse{http.StatusInternalServerError, `{"message":null}`, "AuthorizerConfigurationException"}
)

// restResponse is a gateway response of a REST API.
type restResponse struct {
	status    int
	body      string
	errorType string
}

func (g restResponse) write(w http.ResponseWriter, r *http.Request) {
	var msg struct{ Message string }
	_ = json.Unmarshal([]byte(g.body), &msg) // the bodies above are JSON
	noteError(w, msg.Message)
	w.Header().Set("X-Amzn-Errortype", g.errorType)
	p := &proxyResponse{status: g.status, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(g.body)}
	p.write(w, r)
}

// serveREST answers a request to a REST API: stage, resource and method,
// the method's throttling, its authorization, the integration. It returns what
// it resolved of the request for the access metrics.
func (h *Handler) serveREST(w *recorder, r *http.Request, snap *restSnapshot, apiID, rawPath string) *incoming {
	if snap.disabled {
		restForbidden.write(w, r)
		return nil
	}
	in, rs := h.restRoute(r, snap, apiID, rawPath)
	if rs == nil {
		restForbidden.write(w, r)
		return in
	}
	if in.route == nil {
		// AWS answers an unknown resource or method as an unsigned call
		// to an AWS_IAM method.
		if !refuseNonSigV4(w, r) {
			restMissingToken.write(w, r)
		}
		return in
	}
	if l := in.route.limiter; l != nil && !l.Allow() {
		restTooMany.write(w, r)
		return in
	}
	m := rs.methods[in.route]
	if !h.restAuthorize(w, in, rs, m) {
		w.authorizerError = w.errorMessage
		return in
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPayload))
	if err != nil {
		restTooLarge.write(w, r)
		return in
	}
	in.body = body
	h.restIntegrate(w, in, m)
	return in
}

// restRoute resolves the stage (the first path segment) and the method of
// a request; the stage is nil when none matches, in.route when no method does.
func (h *Handler) restRoute(r *http.Request, snap *restSnapshot, apiID, rawPath string) (*incoming, *restStage) {
	in := h.newIncoming(r, apiID, rawPath)
	in.binary = snap.binary.match
	segs := splitSegments(rawPath)
	if len(segs) == 0 {
		return in, nil
	}
	name, err := url.PathUnescape(segs[0])
	rs := snap.stages[name]
	if err != nil || rs == nil {
		return in, nil
	}
	segs = segs[1:]
	in.stagePath = "/" + strings.Join(segs, "/")
	if n := len(segs); n > 0 && segs[n-1] == "" {
		segs = segs[:n-1] // "/prod/" and "/prod/items/" name the resource without the slash
	}
	in.stage = rs.table
	in.route, in.params = rs.table.selectRoute(r.Method, segs)
	return in, rs
}

// restIntegrate runs the method's integration and writes the response.
func (h *Handler) restIntegrate(w http.ResponseWriter, in *incoming, m *RESTMethod) {
	ri := m.Integration
	if ri == nil {
		restInternal.write(w, in.r)
		return
	}
	switch ri.Type {
	case TypeAWSProxy:
		h.restInvoke(w, in, in.route.integ)
	case TypeHTTPProxy:
		h.forward(w, in, in.route.integ, in.route.integ.Timeout, proxyErrors{failed: restBadGateway, timedOut: restTimeout})
	case TypeMock:
		h.mock(w, in, ri)
	default:
		restInternal.write(w, in.r)
	}
}

// restEventV1 is the REST proxy event: payload 1.0 without "version".
type restEventV1 struct {
	eventV1
	Version *string `json:"version,omitempty"` // shadows eventV1.Version; always nil
}

// restInvoke runs an AWS_PROXY integration: a function error or a
// malformed response is 502, no answer within the timeout 504 (the
// function runs on to its own timeout).
func (h *Handler) restInvoke(w http.ResponseWriter, in *incoming, integ *Integration) {
	payload, err := json.Marshal(restEventV1{eventV1: in.buildV1()})
	if err != nil {
		h.logger.ErrorContext(in.r.Context(), "encode event", slog.Any(logging.KeyErr, err))
		restInternal.write(w, in.r)
		return
	}
	function := functionOf(substitute(integ.URI, in.stage.variables))
	o, timedOut := h.invokeWithin(in, function, payload, integ.Timeout)
	switch {
	case o != nil:
		noteInvocation(w, o)
		h.restRespond(w, in, function, o.res, o.err)
	case timedOut:
		restTimeout.write(w, in.r)
	}
}

// restRespond maps an invocation's outcome onto the response.
func (h *Handler) restRespond(w http.ResponseWriter, in *incoming, function string, res InvokeResult, err error) {
	ctx := in.r.Context()
	switch {
	case err != nil:
		h.logger.WarnContext(ctx, "invoke failed", slog.String("function", function), slog.Any(logging.KeyErr, err))
		restBadGateway.write(w, in.r)
		return
	case res.FunctionError != "":
		h.logger.DebugContext(ctx, "function error", slog.String("function", function), slog.String("function_error", res.FunctionError))
		restBadGateway.write(w, in.r)
		return
	}
	out, err := mapV1With(res.Payload, in.binaryResponse)
	if err != nil {
		h.logger.WarnContext(ctx, "malformed function response", slog.String("function", function))
		restBadGateway.write(w, in.r)
		return
	}
	out.write(w, in.r)
}

// mock answers a MOCK integration: the request template's {"statusCode":
// N} (200 without one) selects the integration response whose selection
// pattern matches N, else the default one; its template is the body
// (served as written: mapping template expressions are not evaluated).
func (h *Handler) mock(w http.ResponseWriter, in *incoming, ri *RESTIntegration) {
	status := mockStatus(ri.RequestTemplates)
	resp := selectResponse(ri.Responses, strconv.Itoa(status))
	if resp == nil {
		restInternal.write(w, in.r)
		return
	}
	code, err := strconv.Atoi(resp.StatusCode)
	if err != nil {
		restInternal.write(w, in.r)
		return
	}
	out := &proxyResponse{status: code, header: http.Header{"Content-Type": {"application/json"}}}
	if tpl, ok := resp.ResponseTemplates["application/json"]; ok {
		out.body = []byte(tpl)
	} else {
		for ct, tpl := range resp.ResponseTemplates {
			out.header.Set("Content-Type", ct)
			out.body = []byte(tpl)
			break
		}
	}
	for k, v := range resp.ResponseParameters {
		if name, ok := strings.CutPrefix(k, "method.response.header."); ok && len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			out.header.Set(name, v[1:len(v)-1])
		}
	}
	out.write(w, in.r)
}

// mockStatus is the statusCode a MOCK's request template gives.
func mockStatus(templates map[string]string) int {
	tpl, ok := templates["application/json"]
	if !ok {
		return http.StatusOK
	}
	var v struct {
		StatusCode int `json:"statusCode"`
	}
	if json.Unmarshal([]byte(tpl), &v) != nil || v.StatusCode == 0 {
		return http.StatusOK
	}
	return v.StatusCode
}

// selectResponse picks the integration response for an integration
// status: the first whose selection pattern matches it wholly, else the
// default one (no pattern); nil when neither exists.
func selectResponse(responses []RESTIntegrationResponse, status string) *RESTIntegrationResponse {
	var def *RESTIntegrationResponse
	for i := range responses {
		resp := &responses[i]
		if resp.SelectionPattern == "" {
			def = resp
			continue
		}
		if re, err := regexp.Compile("^(?:" + resp.SelectionPattern + ")$"); err == nil && re.MatchString(status) {
			return resp
		}
	}
	return def
}
