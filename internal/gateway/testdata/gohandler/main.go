// Command gohandler is a proxy-integration function built with
// aws-lambda-go for the tests of package gateway: it decodes its event
// into aws-lambda-go's types (payload 2.0 or 1.0, by the event's version)
// and answers it re-encoded as JSON; on a path ending in /binary it
// answers the request body's bytes, base64-encoded, and says in
// x-request-base64 whether the body reached it base64-encoded.
package main

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(raw json.RawMessage) (any, error) {
	var probe struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, err
	}
	if probe.Version == "2.0" {
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, err
		}
		return handleV2(ev)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, err
	}
	return handleV1(ev)
}

func handleV2(ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if strings.HasSuffix(ev.RawPath, "/binary") {
		body, headers, err := binary(ev.Body, ev.IsBase64Encoded)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: headers, Body: body, IsBase64Encoded: true}, err
	}
	b, err := json.Marshal(ev)
	return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: string(b), Cookies: []string{"from=go"},
		Headers: map[string]string{"content-type": "application/json", "x-handler": "go"}}, err
}

func handleV1(ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	if strings.HasSuffix(ev.Path, "/binary") {
		body, headers, err := binary(ev.Body, ev.IsBase64Encoded)
		return events.APIGatewayProxyResponse{StatusCode: 200, Headers: headers, Body: body, IsBase64Encoded: true}, err
	}
	b, err := json.Marshal(ev)
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: string(b),
		Headers:           map[string]string{"content-type": "application/json", "x-handler": "go"},
		MultiValueHeaders: map[string][]string{"x-multi": {"a", "b"}}}, err
}

// binary returns the request body's bytes base64-encoded, and the
// response headers.
func binary(body string, isB64 bool) (string, map[string]string, error) {
	data := []byte(body)
	if isB64 {
		var err error
		if data, err = base64.StdEncoding.DecodeString(body); err != nil {
			return "", nil, err
		}
	}
	headers := map[string]string{"content-type": "application/octet-stream", "x-request-base64": strconv.FormatBool(isB64)}
	return base64.StdEncoding.EncodeToString(data), headers, nil
}

func main() { lambda.Start(handle) }
