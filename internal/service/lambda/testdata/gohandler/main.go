// Command gohandler is a Lambda function built with aws-lambda-go for the
// tests of package lambda: it echoes its event and misbehaves on request.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Name    string `json:"name"`
	Fail    bool   `json:"fail"`
	SleepMS int    `json:"sleep_ms"`
	Exit    bool   `json:"exit"`
	Big     int    `json:"big"`
	// Mark appends a line to $MARKER_DIR/<Mark> before anything else.
	Mark string `json:"mark"`
}

type result struct {
	Greeting  string `json:"greeting"`
	Function  string `json:"function"`
	Version   string `json:"version"`
	Memory    int    `json:"memory"`
	RequestID string `json:"request_id"`
	ARN       string `json:"arn"`
	Endpoint  string `json:"endpoint"`
	TmpDir    string `json:"tmp_dir"`
	Deadline  bool   `json:"has_deadline"`
	Payload   string `json:"payload,omitempty"`
}

func handle(ctx context.Context, ev event) (result, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	fmt.Printf("handling %s\n", ev.Name)
	if ev.Mark != "" {
		if err := mark(ev.Mark); err != nil {
			return result{}, err
		}
	}
	switch {
	case ev.Fail:
		return result{}, errors.New("failed on purpose")
	case ev.Exit:
		os.Exit(3)
	case ev.SleepMS > 0:
		time.Sleep(time.Duration(ev.SleepMS) * time.Millisecond)
	}
	_, hasDeadline := ctx.Deadline()
	out := result{
		Greeting: "hello " + ev.Name, Function: lambdacontext.FunctionName, Version: lambdacontext.FunctionVersion,
		Memory: lambdacontext.MemoryLimitInMB, RequestID: lc.AwsRequestID, ARN: lc.InvokedFunctionArn,
		Endpoint: os.Getenv("AWS_ENDPOINT_URL"), TmpDir: os.TempDir(), Deadline: hasDeadline,
	}
	if ev.Big > 0 {
		b := make([]byte, ev.Big)
		for i := range b {
			b[i] = 'x'
		}
		out.Payload = string(b)
	}
	return out, nil
}

// mark appends a line to the marker file name in $MARKER_DIR.
func mark(name string) error {
	f, err := os.OpenFile(filepath.Join(os.Getenv("MARKER_DIR"), name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString("ran\n")
	return errors.Join(err, f.Close())
}

func main() { lambda.Start(handle) }
