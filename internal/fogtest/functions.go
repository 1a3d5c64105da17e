package fogtest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BuildGoHandler builds the aws-lambda-go handler module in srcDir (its
// go.mod, go.sum and main.go, copied to a temporary directory so that the
// build leaves nothing in the source tree) as a provided.al2023 bootstrap,
// the way a user builds one, and returns the executable's bytes.
func BuildGoHandler(srcDir string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "fogbank-gohandler-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"go.mod", "go.sum", "main.go"} {
		b, err := os.ReadFile(filepath.Join(srcDir, name))
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", "bootstrap", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build %s: %v: %s", srcDir, err, out)
	}
	return os.ReadFile(filepath.Join(dir, "bootstrap"))
}

// ZipFiles returns a deployment package holding files (name → content);
// a file named bootstrap is executable.
func ZipFiles(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o644)
		if name == "bootstrap" {
			h.SetMode(0o755)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
