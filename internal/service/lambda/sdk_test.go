package lambda_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/fogtest"
)

const role = "arn:aws:iam::000000000000:role/lambda-role"

// goBootstrap is the Go test handler built once by TestMain ("" when Go
// could not build it).
var goBootstrap []byte

func TestMain(m *testing.M) {
	var err error
	goBootstrap, err = fogtest.BuildGoHandler("testdata/gohandler")
	if err != nil {
		fmt.Fprintln(os.Stderr, "lambda tests: Go handler not built:", err)
	}
	code := m.Run()
	if err := goleak.Find(); code == 0 && err != nil {
		fmt.Fprintln(os.Stderr, "goleak:", err)
		code = 1
	}
	os.Exit(code)
}

// dirZip zips every file of a testdata directory.
func dirZip(t *testing.T, dir string) []byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fogtest.ZipFiles(t, files)
}

func goZip(t *testing.T) []byte {
	t.Helper()
	if goBootstrap == nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the Go test handler could not be built")
		}
		t.Skip("the Go test handler could not be built (see TestMain output)")
	}
	return fogtest.ZipFiles(t, map[string][]byte{"bootstrap": goBootstrap})
}

// newClient starts a server and returns a Lambda client that never retries.
func newClient(t *testing.T) (*fogtest.Server, *lambda.Client) {
	t.Helper()
	srv := fogtest.Start(t)
	return srv, srv.Lambda(func(o *lambda.Options) { o.RetryMaxAttempts = 1 })
}

func create(t *testing.T, c *lambda.Client, in *lambda.CreateFunctionInput) *lambda.CreateFunctionOutput {
	t.Helper()
	if in.Role == nil {
		in.Role = aws.String(role)
	}
	out, err := c.CreateFunction(t.Context(), in)
	if err != nil {
		t.Fatalf("CreateFunction %s: %v", aws.ToString(in.FunctionName), err)
	}
	return out
}

// invokeResult is what a test compares of an Invoke.
type invokeResult struct {
	FunctionError string
	Payload       map[string]any
}

func invoke(t *testing.T, c *lambda.Client, name, payload string) (invokeResult, string) {
	t.Helper()
	out, err := c.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(payload), LogType: types.LogTypeTail})
	if err != nil {
		t.Fatalf("Invoke %s: %v", name, err)
	}
	res := invokeResult{FunctionError: aws.ToString(out.FunctionError)}
	if err := json.Unmarshal(out.Payload, &res.Payload); err != nil {
		t.Fatalf("payload %q: %v", out.Payload, err)
	}
	logs, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if err != nil {
		t.Fatal(err)
	}
	return res, string(logs)
}

// apiErrorCode returns the AWS error code of err.
func apiErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return fmt.Sprint(err)
}

func TestGoHandler(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	zipData := goZip(t)
	create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String("go-fn"), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Code: &types.FunctionCode{ZipFile: zipData}, MemorySize: aws.Int32(256)})

	res, logs := invoke(t, c, "go-fn", `{"name":"gopher"}`)
	p := res.Payload
	if p["greeting"] != "hello gopher" || p["function"] != "go-fn" || p["version"] != "$LATEST" || p["memory"] != 256.0 ||
		p["arn"] != "arn:aws:lambda:us-east-1:000000000000:function:go-fn" || p["endpoint"] != srv.URL() ||
		p["has_deadline"] != true || !strings.Contains(p["tmp_dir"].(string), "sb-") || res.FunctionError != "" {
		t.Errorf("result = %+v", res)
	}
	for _, want := range []string{"START RequestId: " + p["request_id"].(string) + " Version: $LATEST", "handling gopher",
		"END RequestId: ", "REPORT RequestId: ", "Memory Size: 256 MB", "Init Duration: "} {
		if !strings.Contains(logs, want) {
			t.Errorf("log tail lacks %q:\n%s", want, logs)
		}
	}
	// The second invocation is warm: no Init Duration.
	if _, logs := invoke(t, c, "go-fn", `{"name":"again"}`); strings.Contains(logs, "Init Duration") {
		t.Errorf("warm invoke reported an init:\n%s", logs)
	}

	res, _ = invoke(t, c, "go-fn", `{"fail":true}`)
	if diff := cmp.Diff(invokeResult{FunctionError: "Unhandled", Payload: map[string]any{
		"errorMessage": "failed on purpose", "errorType": "errorString"}}, res); diff != "" {
		t.Errorf("function error (-want +got):\n%s", diff)
	}

	res, logs = invoke(t, c, "go-fn", `{"exit":true}`)
	if res.FunctionError != "Unhandled" || res.Payload["errorType"] != "Runtime.ExitError" ||
		!strings.HasSuffix(res.Payload["errorMessage"].(string), "Error: Runtime exited with error: exit status 3") {
		t.Errorf("crash = %+v", res)
	}
	if !strings.Contains(logs, "Runtime.ExitError") {
		t.Errorf("crash log:\n%s", logs)
	}
	// The next invocation cold-starts a fresh process.
	if res, _ := invoke(t, c, "go-fn", `{"name":"after crash"}`); res.Payload["greeting"] != "hello after crash" {
		t.Errorf("after crash = %+v", res)
	}
}

func TestGoHandlerTimeoutAndThrottle(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	zipData := goZip(t)
	create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String("slow"), Runtime: types.RuntimeProvidedal2,
		Code: &types.FunctionCode{ZipFile: zipData}, Timeout: aws.Int32(1)})

	res, logs := invoke(t, c, "slow", `{"sleep_ms":5000}`)
	msg, _ := res.Payload["errorMessage"].(string)
	if res.FunctionError != "Unhandled" || !strings.HasSuffix(msg, "Task timed out after 1.00 seconds") {
		t.Errorf("timeout = %+v", res)
	}
	if !strings.Contains(logs, "Task timed out after 1.00 seconds") {
		t.Errorf("timeout log:\n%s", logs)
	}

	if _, err := c.PutFunctionConcurrency(t.Context(), &lambda.PutFunctionConcurrencyInput{
		FunctionName: aws.String("slow"), ReservedConcurrentExecutions: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	// Two concurrent invocations with one slot: one of them is throttled.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = c.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("slow"), Payload: []byte(`{"sleep_ms":700}`)})
		})
	}
	wg.Wait()
	var tooMany *types.TooManyRequestsException
	throttled := errors.As(errs[0], &tooMany) && errs[1] == nil || errors.As(errs[1], &tooMany) && errs[0] == nil
	if !throttled || tooMany.Reason != types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded {
		t.Errorf("concurrent invokes with one slot: %v", errs)
	}
}

func TestPythonHandler(t *testing.T) {
	t.Parallel()
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 with boto3 is required: %v", err)
		}
		t.Skipf("python3 with boto3 not available: %v", err)
	}
	srv, c := newClient(t)
	zipData := dirZip(t, "testdata/python")
	for name, handler := range map[string]string{"py": "app.handler", "py-ddb": "app.ddb", "py-broken": "broken.handler"} {
		create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.RuntimePython312,
			Handler: aws.String(handler), Code: &types.FunctionCode{ZipFile: zipData},
			Environment: &types.Environment{Variables: map[string]string{"COLOR": "blue"}}})
	}

	res, logs := invoke(t, c, "py", `{"name":"snake"}`)
	p := res.Payload
	if p["greeting"] != "hello snake" || p["function"] != "py" || p["remaining_ok"] != true || p["color"] != "blue" ||
		!strings.Contains(p["tmp"].(string), "sb-") {
		t.Errorf("result = %+v", res)
	}
	if !strings.Contains(logs, "module loaded") || !strings.Contains(logs, "handling snake") {
		t.Errorf("logs:\n%s", logs)
	}

	// A change counts at the next invocation, though the record is cached.
	if _, err := c.UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("py"),
		Environment: &types.Environment{Variables: map[string]string{"COLOR": "green"}}}); err != nil {
		t.Fatal(err)
	}
	if res, _ := invoke(t, c, "py", `{}`); res.Payload["color"] != "green" {
		t.Errorf("after the update, COLOR = %v", res.Payload["color"])
	}

	res, _ = invoke(t, c, "py", `{"fail":true}`)
	if res.FunctionError != "Unhandled" || res.Payload["errorType"] != "ValueError" || res.Payload["errorMessage"] != "failed on purpose" {
		t.Errorf("function error = %+v", res)
	}

	res, _ = invoke(t, c, "py-broken", `{}`)
	if res.FunctionError != "Unhandled" || res.Payload["errorType"] != "Runtime.ImportModuleError" ||
		!strings.Contains(res.Payload["errorMessage"].(string), "Unable to import module 'broken'") {
		t.Errorf("init error = %+v", res)
	}

	ddb := srv.DynamoDB()
	createTable(t, ddb, "py-items")
	res, _ = invoke(t, c, "py-ddb", `{"table":"py-items"}`)
	if diff := cmp.Diff(invokeResult{Payload: map[string]any{"pk": "from-python", "n": 7.0}}, res); diff != "" {
		t.Errorf("DynamoDB round trip (-want +got):\n%s", diff)
	}
}

func TestNodeHandler(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is required")
		}
		t.Skip("node not available")
	}
	srv, c := newClient(t)
	zipData := dirZip(t, "testdata/node")
	for name, handler := range map[string]string{"node-async": "index.asyncHandler", "node-cb": "index.callbackHandler",
		"node-ddb": "index.ddb", "node-missing": "index.nothing"} {
		create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.RuntimeNodejs20x,
			Handler: aws.String(handler), Code: &types.FunctionCode{ZipFile: zipData}})
	}
	res, logs := invoke(t, c, "node-async", `{"name":"js"}`)
	if res.Payload["greeting"] != "hello js" || res.Payload["function"] != "node-async" || !strings.Contains(logs, "handling js") {
		t.Errorf("async = %+v\n%s", res, logs)
	}
	res, _ = invoke(t, c, "node-cb", `{"name":"cb"}`)
	if diff := cmp.Diff(invokeResult{Payload: map[string]any{"greeting": "hi cb", "remainingOk": true}}, res); diff != "" {
		t.Errorf("callback (-want +got):\n%s", diff)
	}
	res, _ = invoke(t, c, "node-async", `{"fail":true}`)
	if res.FunctionError != "Unhandled" || res.Payload["errorType"] != "TypeError" || res.Payload["errorMessage"] != "failed on purpose" {
		t.Errorf("function error = %+v", res)
	}
	res, _ = invoke(t, c, "node-missing", `{}`)
	if res.FunctionError != "Unhandled" || res.Payload["errorType"] != "Runtime.HandlerNotFound" {
		t.Errorf("missing handler = %+v", res)
	}

	if !nodeSDKAvailable() {
		if os.Getenv("CI") == "true" {
			t.Fatal("the AWS SDK for JavaScript is required: set FOGBANK_LAMBDA_NODE_PATH (see .ci/run)")
		}
		t.Skip("FOGBANK_LAMBDA_NODE_PATH does not hold @aws-sdk/client-dynamodb")
	}
	createTable(t, srv.DynamoDB(), "node-items")
	res, _ = invoke(t, c, "node-ddb", `{"table":"node-items"}`)
	if diff := cmp.Diff(invokeResult{Payload: map[string]any{"pk": "from-node", "n": 9.0}}, res); diff != "" {
		t.Errorf("DynamoDB round trip (-want +got):\n%s", diff)
	}
}

func nodeSDKAvailable() bool {
	dir := os.Getenv("FOGBANK_LAMBDA_NODE_PATH")
	_, err := os.Stat(filepath.Join(dir, "@aws-sdk", "client-dynamodb"))
	return dir != "" && err == nil
}
