package awscli_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// must runs a command that must succeed and returns its stdout.
func (c *cli) must(args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run(args...)
	if code != 0 {
		c.t.Fatalf("aws %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return string(out)
}

// writeFile writes data to a new file under dir and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestS3Tour(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	// AWS CLI v1 presigns with SigV2 unless told otherwise; Fogbank speaks SigV4 only.
	config := writeFile(t, dir, "config", []byte("[default]\ns3 =\n    signature_version = s3v4\n"))
	for i, kv := range c.env {
		if strings.HasPrefix(kv, "AWS_CONFIG_FILE=") {
			c.env[i] = "AWS_CONFIG_FILE=" + config
		}
	}
	c.must("s3", "mb", "s3://tour-bucket")
	code, _, errOut := c.run("s3", "mb", "s3://tour-bucket")
	if code == 0 || !strings.Contains(errOut, "BucketAlreadyOwnedByYou") {
		t.Errorf("second mb: exit %d, stderr %q; want BucketAlreadyOwnedByYou", code, errOut)
	}

	big := make([]byte, 20<<20+7) // over the CLI's 8 MiB threshold: 3 parts
	_, _ = rand.Read(big)
	c.must("s3", "cp", writeFile(t, dir, "big.bin", big), "s3://tour-bucket/big.bin")
	down := filepath.Join(dir, "down.bin")
	c.must("s3", "cp", "s3://tour-bucket/big.bin", down)
	if got, err := os.ReadFile(down); err != nil || !bytes.Equal(got, big) {
		t.Errorf("cp round trip: %d bytes (err %v), want %d identical bytes", len(got), err, len(big))
	}
	head := c.ok("s3api", "head-object", "--bucket", "tour-bucket", "--key", "big.bin")
	if etag, _ := head["ETag"].(string); !strings.HasSuffix(etag, `-3"`) {
		t.Errorf("head-object ETag = %q, want a 3-part multipart ETag", etag)
	}

	site := filepath.Join(dir, "site")
	writeFile(t, site, "index.html", []byte("<h1>hello</h1>"))
	writeFile(t, site, "css/app.css", []byte("body{}"))
	c.must("s3", "sync", site, "s3://tour-bucket/site/")
	if out := c.must("s3", "ls", "--recursive", "s3://tour-bucket/site/"); !strings.Contains(out, "site/css/app.css") || !strings.Contains(out, "site/index.html") {
		t.Errorf("ls after sync:\n%s", out)
	}
	if out := c.must("s3", "sync", site, "s3://tour-bucket/site/"); strings.TrimSpace(out) != "" {
		t.Errorf("second sync uploaded again:\n%s", out)
	}

	c.ok("s3api", "put-object", "--bucket", "tour-bucket", "--key", "note.txt", "--body", writeFile(t, dir, "note.txt", []byte("note")),
		"--content-type", "text/plain", "--tagging", "team=web")
	got := c.ok("s3api", "get-object", "--bucket", "tour-bucket", "--key", "note.txt", filepath.Join(dir, "note.out"))
	if got["ContentType"] != "text/plain" || got["TagCount"] != 1.0 {
		t.Errorf("get-object = %v; want Content-Type text/plain and one tag", got)
	}
	url := strings.TrimSpace(c.must("s3", "presign", "s3://tour-bucket/note.txt", "--expires-in", "300"))
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET presigned URL: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "note" {
		t.Errorf("presigned GET = %d %q, want 200 note", resp.StatusCode, body)
	}

	code, _, errOut = c.run("s3api", "get-object", "--bucket", "tour-bucket", "--key", "missing", filepath.Join(dir, "missing"))
	if code == 0 || !strings.Contains(errOut, "NoSuchKey") {
		t.Errorf("get-object missing: exit %d, stderr %q; want NoSuchKey", code, errOut)
	}
	code, _, errOut = c.run("s3", "rb", "s3://tour-bucket")
	if code == 0 || !strings.Contains(errOut, "BucketNotEmpty") {
		t.Errorf("rb non-empty: exit %d, stderr %q; want BucketNotEmpty", code, errOut)
	}
	c.must("s3", "rm", "--recursive", "s3://tour-bucket/")
	if out := c.must("s3", "ls", "s3://tour-bucket/"); strings.TrimSpace(out) != "" {
		t.Errorf("ls after rm --recursive:\n%s", out)
	}
	c.must("s3", "rb", "s3://tour-bucket")
}
