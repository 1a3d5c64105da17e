package lambda_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// requirePython skips the test without python3 (fails it under CI).
func requirePython(t *testing.T) {
	t.Helper()
	if err := exec.Command("python3", "-c", "pass").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 is required: %v", err)
		}
		t.Skipf("python3 not available: %v", err)
	}
}

// createPy creates a function of testdata/sandbox/handlers.py, with a
// timeout long enough for a busy test machine.
func createPy(t *testing.T, c *lambda.Client, name, handler string, env map[string]string) {
	t.Helper()
	create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.RuntimePython312,
		Handler: aws.String("handlers." + handler), Code: &types.FunctionCode{ZipFile: dirZip(t, "testdata/sandbox")},
		MemorySize: aws.Int32(128), Timeout: aws.Int32(60), Environment: &types.Environment{Variables: env}})
}

var maxMemoryUsed = regexp.MustCompile(`Max Memory Used: (\d+) MB`)

// memoryUsed returns the Max Memory Used of a REPORT line in logs.
func memoryUsed(t *testing.T, logs string) int {
	t.Helper()
	m := maxMemoryUsed.FindStringSubmatch(logs)
	if m == nil {
		t.Fatalf("no Max Memory Used in:\n%s", logs)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestMemoryLimit(t *testing.T) {
	t.Parallel()
	requirePython(t)
	_, c := newClient(t)
	createPy(t, c, "hog", "hog", nil)

	res, logs := invoke(t, c, "hog", `{"mib":200,"hold":0.5}`)
	id := strings.Fields(strings.SplitN(logs, "START RequestId: ", 2)[1])[0]
	want := invokeResult{FunctionError: "Unhandled", Payload: map[string]any{"errorType": "Runtime.ExitError",
		"errorMessage": "RequestId: " + id + " Error: Runtime exited with error: signal: killed"}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("over the limit (-want +got):\n%s", diff)
	}
	if used := memoryUsed(t, logs); used != 128 || !strings.Contains(logs, "Runtime.ExitError") {
		t.Errorf("over the limit: Max Memory Used %d MB, want 128; logs:\n%s", used, logs)
	}

	res, logs = invoke(t, c, "hog", `{"mib":32}`)
	if res.FunctionError != "" || res.Payload["allocated"] != 32.0 {
		t.Errorf("under the limit = %+v", res)
	}
	if used := memoryUsed(t, logs); used < 32 || used > 128 {
		t.Errorf("under the limit: Max Memory Used %d MB, want 32 to 128", used)
	}
}

// sandboxDirs returns the sandbox directories of a server.
func sandboxDirs(t *testing.T, srv *fogtest.Server) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(srv.DataDir(), "lambda", "sandboxes", "sb-*"))
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestPrivateTmp runs functions that write /tmp/x: as root the server's
// data lives outside /tmp, so each environment gets a /tmp of its own;
// otherwise they write $TMPDIR/x, which is private all the same.
func TestPrivateTmp(t *testing.T) {
	t.Parallel()
	requirePython(t)
	var opts []fogtest.Option
	root := os.Geteuid() == 0
	if root {
		dir, err := os.MkdirTemp("/var/tmp", "fogbank-lambda-test-")
		if err != nil {
			t.Logf("no directory outside /tmp (%v): testing TMPDIR only", err)
			root = false
		} else {
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			opts = append(opts, fogtest.WithDataDir(dir))
		}
	}
	srv := fogtest.Start(t, opts...)
	c := srv.Lambda(func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
	createPy(t, c, "tmp-a", "tmp", nil)
	createPy(t, c, "tmp-b", "tmp", nil)
	payload := func(v string) string { return `{"value":"` + v + `","slash_tmp":` + strconv.FormatBool(root) + `}` }

	for _, step := range []struct{ fn, value, before string }{
		{"tmp-a", "a1", ""}, {"tmp-b", "b1", ""}, {"tmp-a", "a2", "a1"}, {"tmp-b", "b2", "b1"},
	} {
		res, _ := invoke(t, c, step.fn, payload(step.value))
		before, _ := res.Payload["before"].(string)
		if res.FunctionError != "" || before != step.before {
			t.Errorf("%s writing %s: %+v, want to find %q", step.fn, step.value, res, step.before)
		}
	}
	if root {
		if _, err := os.Stat("/tmp/x"); err == nil {
			b, _ := os.ReadFile("/tmp/x")
			if s := string(b); s == "a1" || s == "a2" || s == "b1" || s == "b2" {
				t.Errorf("the host's /tmp/x holds %q", s)
			}
		}
	}
	if n := len(sandboxDirs(t, srv)); n != 2 {
		t.Fatalf("%d sandbox directories, want 2", n)
	}
	// A changed function's environments are evicted, their /tmp removed.
	if _, err := c.UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("tmp-a"), Description: aws.String("changed")}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the evicted sandbox's directory to go", func() bool { return len(sandboxDirs(t, srv)) == 1 })
	res, _ := invoke(t, c, "tmp-a", payload("a3"))
	if before, _ := res.Payload["before"].(string); before != "" {
		t.Errorf("a fresh environment found %q in /tmp/x", before)
	}
}

func TestLogTimestamps(t *testing.T) {
	t.Parallel()
	requirePython(t)
	srv, c := newClient(t)
	createPy(t, c, "slow-log", "slow_log", nil)
	invoke(t, c, "slow-log", `{"sleep":1}`)

	logs := srv.Logs()
	group := aws.String("/aws/lambda/slow-log")
	times := map[string]int64{}
	waitFor(t, "the function's log events", func() bool {
		streams, err := logs.DescribeLogStreams(t.Context(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: group})
		if err != nil || len(streams.LogStreams) != 1 {
			return false
		}
		out, err := logs.GetLogEvents(t.Context(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: group,
			LogStreamName: streams.LogStreams[0].LogStreamName, StartFromHead: aws.Bool(true)})
		if err != nil {
			return false
		}
		for _, e := range out.Events {
			times[strings.Fields(aws.ToString(e.Message))[0]] = aws.ToInt64(e.Timestamp)
		}
		return times["REPORT"] != 0
	})
	start, first, second, report := times["START"], times["first"], times["second"], times["REPORT"]
	if !(start <= first && first < second && second <= report) {
		t.Errorf("timestamps out of order: START %d, first %d, second %d, REPORT %d", start, first, second, report)
	}
	if gap := second - first; gap < 500 {
		t.Errorf("the lines printed 1 s apart are %d ms apart", gap)
	}
}

// record is the part of an invocation record the test compares.
type record struct {
	Version        string `json:"version"`
	RequestContext struct {
		FunctionArn            string `json:"functionArn"`
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	RequestPayload  map[string]any `json:"requestPayload"`
	ResponseContext map[string]any `json:"responseContext"`
	ResponsePayload map[string]any `json:"responsePayload"`
	Timestamp       string         `json:"timestamp"`
}

func TestEventDestinations(t *testing.T) {
	t.Parallel()
	requirePython(t)
	_, c := newClient(t)
	markers := t.TempDir()
	createPy(t, c, "dest-target", "record", map[string]string{"MARKER_DIR": markers})
	createPy(t, c, "dest-source", "outcome", nil)
	target := "arn:aws:lambda:us-east-1:000000000000:function:dest-target"
	if _, err := c.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName: aws.String("dest-source"), MaximumRetryAttempts: aws.Int32(0),
		DestinationConfig: &types.DestinationConfig{OnSuccess: &types.OnSuccess{Destination: aws.String(target)},
			OnFailure: &types.OnFailure{Destination: aws.String(target + ":$LATEST")}}}); err != nil {
		t.Fatal(err)
	}
	read := func(condition string) record {
		t.Helper()
		path := filepath.Join(markers, condition+".json")
		waitFor(t, "the "+condition+" record", func() bool { _, err := os.Stat(path); return err == nil })
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var r record
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("record %s: %v", b, err)
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000Z", r.Timestamp); err != nil {
			t.Errorf("timestamp: %v", err)
		}
		r.Timestamp = ""
		return r
	}
	source := "arn:aws:lambda:us-east-1:000000000000:function:dest-source:$LATEST"

	invokeEvent(t, c, "dest-source", `{"name":"ok"}`)
	want := record{Version: "1.0", RequestPayload: map[string]any{"name": "ok"},
		ResponseContext: map[string]any{"statusCode": 200.0, "executedVersion": "$LATEST"},
		ResponsePayload: map[string]any{"greeting": "hello ok"}}
	want.RequestContext.FunctionArn, want.RequestContext.Condition, want.RequestContext.ApproximateInvokeCount = source, "Success", 1
	if diff := cmp.Diff(want, read("Success")); diff != "" {
		t.Errorf("success record (-want +got):\n%s", diff)
	}

	invokeEvent(t, c, "dest-source", `{"fail":true}`)
	got := read("RetriesExhausted")
	if got.ResponsePayload["errorType"] != "ValueError" || got.ResponsePayload["errorMessage"] != "failed on purpose" {
		t.Errorf("failure response payload = %v", got.ResponsePayload)
	}
	got.ResponsePayload = nil
	want = record{Version: "1.0", RequestPayload: map[string]any{"fail": true},
		ResponseContext: map[string]any{"statusCode": 200.0, "executedVersion": "$LATEST", "functionError": "Unhandled"}}
	want.RequestContext.FunctionArn, want.RequestContext.Condition, want.RequestContext.ApproximateInvokeCount = source, "RetriesExhausted", 1
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failure record (-want +got):\n%s", diff)
	}
}

// TestInitPhaseOutsideTimeout shows that a cold start's initialisation does
// not count against the function's timeout, as on AWS: a 1 s function
// whose module takes 1.5 s to import still answers.
func TestInitPhaseOutsideTimeout(t *testing.T) {
	t.Parallel()
	requirePython(t)
	_, c := newClient(t)
	create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String("slow-init"), Runtime: types.RuntimePython312,
		Handler: aws.String("slow.handler"), Code: &types.FunctionCode{ZipFile: dirZip(t, "testdata/slowinit")},
		Timeout: aws.Int32(1)})
	res, logs := invoke(t, c, "slow-init", `{}`)
	if res.FunctionError != "" || res.Payload["ok"] != true {
		t.Fatalf("cold invoke: %+v\n%s", res, logs)
	}
	if !strings.Contains(logs, "Init Duration: ") {
		t.Errorf("no Init Duration in the cold REPORT line:\n%s", logs)
	}
}
