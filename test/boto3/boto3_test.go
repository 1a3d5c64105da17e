// Package boto3_test drives the built fogbank binary with boto3, a second
// AWS SDK: dynamodb_test_script.py runs against the server with its
// configuration taken from the environment only.
package boto3_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/fogproc"
)

// python returns the path of a Python 3 interpreter that can import boto3:
// Debian's /usr/bin/python3 (with python3-boto3) first, then python3 on
// PATH, resolved to the real executable so that it runs without the
// caller's HOME (pyenv shims need it). It skips the test when there is
// none, and fails it under CI, where .ci/run installs python3-boto3.
func python(t *testing.T) string {
	t.Helper()
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		out, err := exec.CommandContext(t.Context(), p, "-c", "import sys, boto3; print(sys.executable)").Output()
		if exe := strings.TrimSpace(string(out)); err == nil && exe != "" {
			return exe
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no python3 can import boto3; .ci/run installs Debian's python3-boto3")
	}
	t.Skip("no python3 can import boto3 (apt-get install python3-boto3)")
	return ""
}

func TestBoto3DynamoDB(t *testing.T) {
	py := python(t)
	bin, err := fogproc.Build(t.Context(), "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logFile, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logFile.Close() })
	srv := &fogproc.Server{Bin: bin, DataDir: t.TempDir(), Stderr: logFile}
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })

	cmd := exec.CommandContext(t.Context(), py, "dynamodb_test_script.py")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"AWS_ENDPOINT_URL=" + srv.URL(),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(srv.DataDir, "credentials"),
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_DEFAULT_REGION=" + fogproc.Region,
	}
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Run(); err != nil {
		serverLog, _ := os.ReadFile(logFile.Name())
		t.Fatalf("dynamodb_test_script.py: %v\n%s\nserver log:\n%s", err, logs.String(), serverLog)
	}
	t.Log(strings.TrimSpace(logs.String()))
}
