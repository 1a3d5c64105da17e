// Command handler is bench/gateway's Lambda function, built with
// aws-lambda-go: it answers an HTTP API (payload 2.0) event with
// 200 "hello", as bench/gateway's direct net/http baseline does.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/plain"}, Body: "hello"}, nil
}

func main() { lambda.Start(handle) }
