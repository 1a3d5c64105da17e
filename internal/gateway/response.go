package gateway

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// errMalformedResponse is a function response API Gateway cannot map.
var errMalformedResponse = errors.New("gateway: malformed Lambda proxy response")

// proxyResponse is a mapped function response.
type proxyResponse struct {
	status int
	header http.Header
	body   []byte
}

// resultV2 is a structured payload 2.0 response; StatusCode is nil when
// the function's answer has none (it is then not structured).
type resultV2 struct {
	StatusCode      json.RawMessage   `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Cookies         []string          `json:"cookies"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

// resultV1 is a payload 1.0 response.
type resultV1 struct {
	StatusCode        int                 `json:"statusCode"`
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

// mapV2 maps a payload 2.0 function response: an object with statusCode
// is a structured response; any other JSON value is a 200
// application/json body (a JSON string gives its text).
func mapV2(payload []byte) (*proxyResponse, error) {
	var res resultV2
	err := json.Unmarshal(payload, &res) // a wrong member still leaves statusCode found
	if res.StatusCode == nil {
		if !json.Valid(payload) {
			return nil, errMalformedResponse
		}
		body := payload
		var s string
		if json.Unmarshal(payload, &s) == nil {
			body = []byte(s)
		}
		return &proxyResponse{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}, body: body}, nil
	}
	status, convErr := strconv.Atoi(string(res.StatusCode))
	if err != nil || convErr != nil {
		return nil, errMalformedResponse
	}
	out, err := structured(status, res.Body, res.IsBase64Encoded)
	if err != nil {
		return nil, err
	}
	for k, v := range res.Headers {
		out.header.Set(k, v)
	}
	for _, c := range res.Cookies {
		out.header.Add("Set-Cookie", c)
	}
	return out, nil
}

// mapV1 maps a payload 1.0 function response, which must be an object
// with statusCode; multiValueHeaders win over headers of the same name.
func mapV1(payload []byte) (*proxyResponse, error) { return mapV1With(payload, nil) }

// mapV1With is mapV1 where a base64 body (isBase64Encoded) is decoded
// only when decode, given the response's headers, says so (always when
// decode is nil); otherwise its base64 text is the body.
func mapV1With(payload []byte, decode func(http.Header) bool) (*proxyResponse, error) {
	var probe map[string]json.RawMessage
	if json.Unmarshal(payload, &probe) != nil || probe["statusCode"] == nil {
		return nil, errMalformedResponse
	}
	var res resultV1
	if err := json.Unmarshal(payload, &res); err != nil {
		return nil, errMalformedResponse
	}
	out, err := structured(res.StatusCode, res.Body, false)
	if err != nil {
		return nil, err
	}
	for k, v := range res.Headers {
		out.header.Set(k, v)
	}
	for k, vs := range res.MultiValueHeaders {
		out.header[http.CanonicalHeaderKey(k)] = vs
	}
	if res.IsBase64Encoded && (decode == nil || decode(out.header)) {
		if out.body, err = base64.StdEncoding.DecodeString(res.Body); err != nil {
			return nil, errMalformedResponse
		}
	}
	return out, nil
}

// structured checks the status and decodes the body of a structured response.
func structured(status int, body string, isB64 bool) (*proxyResponse, error) {
	if status < 100 || status > 599 {
		return nil, errMalformedResponse
	}
	out := &proxyResponse{status: status, header: make(http.Header), body: []byte(body)}
	if isB64 {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return nil, errMalformedResponse
		}
		out.body = b
	}
	return out, nil
}

// write sends a mapped response.
func (p *proxyResponse) write(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	for k, vs := range p.header {
		hdr[k] = vs
	}
	hdr.Set("Content-Length", strconv.Itoa(len(p.body)))
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(p.body) // a failed write means the client is gone
	}
}

// Gateway responses of HTTP APIs.
var (
	respNotFound     = gatewayResponse{http.StatusNotFound, "Not Found"}
	respForbidden    = gatewayResponse{http.StatusForbidden, "Forbidden"}
	respUnauthorized = gatewayResponse{http.StatusUnauthorized, "Unauthorized"}
	respTooMany      = gatewayResponse{http.StatusTooManyRequests, "Too Many Requests"}
	respInternal     = gatewayResponse{http.StatusInternalServerError, "Internal Server Error"}
	respUnavailable  = gatewayResponse{http.StatusServiceUnavailable, "Service Unavailable"}
	respTooLarge     = gatewayResponse{http.StatusRequestEntityTooLarge, "Request Entity Too Large"}
)

// gatewayResponse is a response API Gateway itself gives:
// {"message":"..."}.
type gatewayResponse struct {
	status  int
	message string
}

func (g gatewayResponse) write(w http.ResponseWriter, r *http.Request) {
	noteError(w, g.message)
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(map[string]string{"message": g.message}) // a string map always encodes
	p := &proxyResponse{status: g.status, header: http.Header{"Content-Type": {"application/json"}},
		body: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}
	p.write(w, r)
}
