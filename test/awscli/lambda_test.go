package awscli_test

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pythonZip writes a zip holding a Python handler and returns its path.
func pythonZip(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fn.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("app.py")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("def handler(event, context):\n    print('from the CLI')\n    return {'echo': event}\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLambda(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	c := newCLI(t)
	created := c.ok("lambda", "create-function", "--function-name", "hello", "--runtime", "python3.12",
		"--handler", "app.handler", "--role", "arn:aws:iam::000000000000:role/lambda",
		"--zip-file", "fileb://"+pythonZip(t))
	if got := at(created, "State"); got != "Active" {
		t.Errorf("create-function State = %v, want Active", got)
	}
	out := filepath.Join(t.TempDir(), "out.json")
	payload := filepath.Join(t.TempDir(), "payload.json")
	if err := os.WriteFile(payload, []byte(`{"n":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// fileb:// reads the payload raw with AWS CLI v1 and v2 alike.
	invoked := c.ok("lambda", "invoke", "--function-name", "hello", "--payload", "fileb://"+payload, "--log-type", "Tail", out)
	if got := at(invoked, "StatusCode"); got != 200.0 {
		t.Errorf("invoke StatusCode = %v, want 200", got)
	}
	body, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"echo": {"n": 1}}`, string(body)); diff != "" {
		t.Errorf("invoke result (-want +got):\n%s", diff)
	}
	if got, _ := at(invoked, "LogResult").(string); got == "" {
		t.Error("invoke --log-type Tail returned no LogResult")
	}
	code, _, errOut := c.run("lambda", "invoke", "--function-name", "nope", out)
	if code == 0 || !strings.Contains(errOut, "ResourceNotFoundException") {
		t.Errorf("invoke nope: exit %d, stderr %q; want ResourceNotFoundException", code, errOut)
	}
}
