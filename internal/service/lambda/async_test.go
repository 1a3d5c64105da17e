package lambda_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/fogbank/fogbank/internal/fogtest"
	"github.com/google/go-cmp/cmp"
)

// markerLines returns how many times the Go handler marked name in dir.
func markerLines(dir, name string) int {
	b, _ := os.ReadFile(filepath.Join(dir, name)) // missing: not marked yet
	return bytes.Count(b, []byte("\n"))
}

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func invokeEvent(t *testing.T, c *lambda.Client, name, payload string) {
	t.Helper()
	out, err := c.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: types.InvocationTypeEvent,
		Payload: []byte(payload)})
	if err != nil {
		t.Fatalf("Invoke Event: %v", err)
	}
	if out.StatusCode != 202 {
		t.Errorf("Event invoke status = %d, want 202", out.StatusCode)
	}
}

// TestEventInvoke sets the retry base through the environment, so it
// cannot run in parallel.
func TestEventInvoke(t *testing.T) {
	t.Setenv("FOGBANK_LAMBDA_ASYNC_RETRY_BASE", "50ms")
	srv, c := newClient(t)
	markers := t.TempDir()
	create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String("async"), Runtime: types.RuntimeProvidedal2023,
		Code: &types.FunctionCode{ZipFile: goZip(t)}, Environment: &types.Environment{Variables: map[string]string{"MARKER_DIR": markers}}})

	invokeEvent(t, c, "async", `{"name":"ok","mark":"ok"}`)
	waitFor(t, "the Event invocation", func() bool { return markerLines(markers, "ok") == 1 })

	// A failing handler runs once and is retried exactly twice.
	invokeEvent(t, c, "async", `{"name":"bad","mark":"bad","fail":true}`)
	waitFor(t, "three attempts", func() bool { return markerLines(markers, "bad") == 3 })
	time.Sleep(400 * time.Millisecond)
	if n := markerLines(markers, "bad"); n != 3 {
		t.Errorf("failing event ran %d times, want 3", n)
	}

	// An event throttled by reserved concurrency 0 waits in the queue,
	// survives a restart and runs once the throttle is lifted.
	if _, err := c.PutFunctionConcurrency(t.Context(), &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("async"),
		ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	invokeEvent(t, c, "async", `{"name":"later","mark":"later"}`)
	srv.Restart()
	time.Sleep(200 * time.Millisecond)
	if n := markerLines(markers, "later"); n != 0 {
		t.Fatalf("throttled event ran %d times", n)
	}
	if _, err := c.DeleteFunctionConcurrency(t.Context(), &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("async")}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the queued event after the restart", func() bool { return markerLines(markers, "later") == 1 })
}

func TestEventInvokeConfig(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String("cfg"), Runtime: types.RuntimeProvidedal2023,
		Code: &types.FunctionCode{ZipFile: fogtest.ZipFiles(t, map[string][]byte{"bootstrap": []byte("#!/bin/sh\n")})}})
	_, err := c.GetFunctionEventInvokeConfig(t.Context(), &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg")})
	if got := apiErrorCode(err); !strings.HasPrefix(got, "ResourceNotFoundException: ") {
		t.Errorf("no config: %s", got)
	}
	dest := &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:sqs:us-east-1:000000000000:dlq")}}
	if _, err := c.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		MaximumRetryAttempts: aws.Int32(1), MaximumEventAgeInSeconds: aws.Int32(120), DestinationConfig: dest}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateFunctionEventInvokeConfig(t.Context(), &lambda.UpdateFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		MaximumRetryAttempts: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetFunctionEventInvokeConfig(t.Context(), &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg")})
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"arn:aws:lambda:us-east-1:000000000000:function:cfg", int32(0), int32(120), "arn:aws:sqs:us-east-1:000000000000:dlq"}
	if diff := cmp.Diff(want, []any{aws.ToString(got.FunctionArn), aws.ToInt32(got.MaximumRetryAttempts),
		aws.ToInt32(got.MaximumEventAgeInSeconds), aws.ToString(got.DestinationConfig.OnFailure.Destination)}); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	_, err = c.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		MaximumRetryAttempts: aws.Int32(3)})
	if got := apiErrorCode(err); !strings.HasPrefix(got, "ValidationException: ") {
		t.Errorf("3 retries: %s", got)
	}
	if _, err := c.DeleteFunctionEventInvokeConfig(t.Context(), &lambda.DeleteFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg")}); err != nil {
		t.Fatal(err)
	}
}

func TestFunctionLogs(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String("logged"), Runtime: types.RuntimeProvidedal2023,
		Code: &types.FunctionCode{ZipFile: goZip(t)}})
	res, _ := invoke(t, c, "logged", `{"name":"logger"}`)
	id := res.Payload["request_id"].(string)
	logs := srv.Logs()
	group := aws.String("/aws/lambda/logged")
	var got []string
	waitFor(t, "the function's log events", func() bool {
		out, err := logs.FilterLogEvents(t.Context(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: group, FilterPattern: aws.String(id)})
		if err != nil {
			return false
		}
		got = got[:0]
		for _, e := range out.Events {
			got = append(got, strings.Fields(aws.ToString(e.Message))[0])
		}
		return len(got) == 3
	})
	if diff := cmp.Diff([]string{"START", "END", "REPORT"}, got); diff != "" {
		t.Errorf("lines with the request id (-want +got):\n%s", diff)
	}
	streams, err := logs.DescribeLogStreams(t.Context(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: group})
	if err != nil || len(streams.LogStreams) != 1 {
		t.Fatalf("streams = %+v, %v", streams, err)
	}
	name := aws.ToString(streams.LogStreams[0].LogStreamName)
	if !strings.HasPrefix(name, time.Now().UTC().Format("2006/01/02")+"/[$LATEST]") || len(name) != len("2006/01/02/[$LATEST]")+32 {
		t.Errorf("stream name %q", name)
	}
	events, err := logs.GetLogEvents(t.Context(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: group, LogStreamName: aws.String(name), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if len(events.Events) != 4 || aws.ToString(events.Events[1].Message) != "handling logger\n" {
		t.Errorf("events = %+v", events.Events)
	}
}
