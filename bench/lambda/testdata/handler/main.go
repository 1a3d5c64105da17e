// Command handler is bench/lambda's trivial Lambda function, built with
// aws-lambda-go: it answers every event at once, so an invocation's time is
// the platform's.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

type reply struct {
	OK bool `json:"ok"`
}

func handle(context.Context, struct{}) (reply, error) { return reply{OK: true}, nil }

func main() { lambda.Start(handle) }
