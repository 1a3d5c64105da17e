package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/fogbank/fogbank/internal/fogtest"
)

const handlerPy = `
def handler(event, context):
    print("handling", event.get("name"))
    if event.get("fail"):
        raise ValueError("failed on purpose")
    return {"hello": event.get("name")}
`

// pythonFunction starts a server with a Python function "echo".
func pythonFunction(t *testing.T) *fogtest.Server {
	t.Helper()
	if err := exec.Command("python3", "-c", "pass").Run(); err != nil {
		t.Skipf("python3 not available: %v", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("app.py")
	if err == nil {
		_, err = w.Write([]byte(handlerPy))
	}
	if err != nil || zw.Close() != nil {
		t.Fatal(err)
	}
	srv := fogtest.Start(t)
	_, err = srv.Lambda().CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String("echo"),
		Runtime: types.RuntimePython312, Handler: aws.String("app.handler"), Role: aws.String("arn:aws:iam::000000000000:role/r"),
		Code: &types.FunctionCode{ZipFile: buf.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func runClient(ctx context.Context, srv *fogtest.Server, stdout *syncBuffer, args ...string) (int, string) {
	var stderr syncBuffer
	args = append(args, "--endpoint", srv.URL(), "--data-dir", srv.DataDir())
	code := run(ctx, args, env{stdout: stdout, stderr: &stderr, lookupEnv: func(string) (string, bool) { return "", false }})
	return code, stderr.String()
}

func TestInvokeAndLogs(t *testing.T) {
	t.Parallel()
	srv := pythonFunction(t)
	tests := []struct {
		args       []string
		code       int
		out, inErr string
	}{
		{[]string{"invoke", "echo", `{"name":"cli"}`}, exitOK, `{"hello": "cli"}` + "\n", ""},
		{[]string{"invoke", "echo", `{"fail":true}`, "--qualifier", "$LATEST"}, exitFailure, "", "function error (Unhandled)"},
		{[]string{"invoke", "nope"}, exitFailure, "", "ResourceNotFoundException"},
		{[]string{"invoke"}, exitUsage, "", "Usage: fogbank invoke"},
		{[]string{"logs", "nope"}, exitFailure, "", "ResourceNotFoundException"},
	}
	for _, tc := range tests {
		var stdout syncBuffer
		code, stderr := runClient(t.Context(), srv, &stdout, tc.args...)
		if code != tc.code || tc.out != "" && stdout.String() != tc.out || !strings.Contains(stderr, tc.inErr) {
			t.Errorf("fogbank %v: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr with %q",
				tc.args, code, stdout.String(), stderr, tc.code, tc.out, tc.inErr)
		}
	}

	// logs -f prints what is there, then what comes later.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout syncBuffer
	done := make(chan int)
	go func() {
		code, _ := runClient(ctx, srv, &stdout, "logs", "-f", "echo")
		done <- code
	}()
	waitOutput(t, &stdout, "handling cli")
	if code, _ := runClient(t.Context(), srv, &syncBuffer{}, "invoke", "echo", `{"name":"later"}`); code != exitOK {
		t.Fatalf("invoke: exit %d", code)
	}
	waitOutput(t, &stdout, "handling later")
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("logs -f: exit %d", code)
	}
	if n := strings.Count(stdout.String(), "handling cli"); n != 1 {
		t.Errorf("logs -f printed an event %d times:\n%s", n, stdout.String())
	}
	for _, want := range []string{"START RequestId: ", "END RequestId: ", "REPORT RequestId: "} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, stdout.String())
		}
	}
}

func waitOutput(t *testing.T, b *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if strings.Contains(b.String(), want) {
			return
		}
	}
	t.Fatalf("output never contained %q:\n%s", want, b.String())
}
