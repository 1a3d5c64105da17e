package awscli_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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

// TestS3Tour is the README's S3 tour with the AWS CLI's defaults: mb, a
// 100 MiB multipart cp up and back down, sync twice (the second uploads
// nothing), presign (SigV2 from CLI v1, SigV4 from CLI v2; with CLI v1 also
// SigV4 through signature_version = s3v4) fetched with net/http, and the
// errors the tour meets.
func TestS3Tour(t *testing.T) {
	c := newCLI(t)
	major := c.majorVersion()
	dir := t.TempDir()
	c.must("s3", "mb", "s3://tour-bucket")
	code, _, errOut := c.run("s3", "mb", "s3://tour-bucket")
	if code == 0 || !strings.Contains(errOut, "BucketAlreadyOwnedByYou") {
		t.Errorf("second mb: exit %d, stderr %q; want BucketAlreadyOwnedByYou", code, errOut)
	}

	big := make([]byte, 100<<20+7) // over the CLI's 8 MiB threshold: 13 parts of 8 MiB
	_, _ = rand.Read(big)
	c.must("s3", "cp", writeFile(t, dir, "big.bin", big), "s3://tour-bucket/big.bin")
	down := filepath.Join(dir, "down.bin")
	c.must("s3", "cp", "s3://tour-bucket/big.bin", down)
	if got, err := os.ReadFile(down); err != nil || !bytes.Equal(got, big) {
		t.Errorf("cp round trip: %d bytes (err %v), want %d identical bytes", len(got), err, len(big))
	}
	head := c.ok("s3api", "head-object", "--bucket", "tour-bucket", "--key", "big.bin")
	if etag, _ := head["ETag"].(string); !strings.HasSuffix(etag, `-13"`) {
		t.Errorf("head-object ETag = %q, want a 13-part multipart ETag", etag)
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
	presigned := strings.TrimSpace(c.must("s3", "presign", "s3://tour-bucket/note.txt", "--expires-in", "300"))
	wantQuery := "X-Amz-Signature="
	if major == 1 {
		wantQuery = "AWSAccessKeyId=" // CLI v1 presigns with SigV2 by default
	}
	if !strings.Contains(presigned, wantQuery) {
		t.Errorf("aws s3 presign (CLI v%d) = %s; want %s in the query", major, presigned, wantQuery)
	}
	fetchPresigned(t, presigned, "note")
	if major == 1 {
		config := writeFile(t, dir, "config", []byte("[default]\ns3 =\n    signature_version = s3v4\n"))
		v4 := c.withEnv("AWS_CONFIG_FILE=" + config)
		presigned = strings.TrimSpace(v4.must("s3", "presign", "s3://tour-bucket/note.txt", "--expires-in", "300"))
		if !strings.Contains(presigned, "X-Amz-Signature=") {
			t.Errorf("aws s3 presign with s3v4 = %s; want a SigV4 URL", presigned)
		}
		fetchPresigned(t, presigned, "note")
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

// fetchPresigned GETs a presigned URL with net/http and checks the body.
func fetchPresigned(t *testing.T, url, want string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET presigned URL: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != want {
		t.Errorf("presigned GET %s = %d %q, want 200 %q", url, resp.StatusCode, body, want)
	}
}

// majorVersion returns the AWS CLI's major version, from `aws --version`
// ("aws-cli/1.45.11 Python/3.11.7 ...").
func (c *cli) majorVersion() int {
	c.t.Helper()
	out, err := exec.CommandContext(c.t.Context(), c.aws, "--version").CombinedOutput()
	if err != nil {
		c.t.Fatalf("aws --version: %v: %s", err, out)
	}
	version, _ := strings.CutPrefix(strings.TrimSpace(string(out)), "aws-cli/")
	major, _, _ := strings.Cut(version, ".")
	n, err := strconv.Atoi(major)
	if err != nil {
		c.t.Fatalf("aws --version = %q: no major version", out)
	}
	return n
}

// withEnv returns a copy of c whose environment sets kv ("NAME=value").
func (c *cli) withEnv(kv string) *cli {
	name, _, _ := strings.Cut(kv, "=")
	env := slices.DeleteFunc(slices.Clone(c.env), func(e string) bool { return strings.HasPrefix(e, name+"=") })
	return &cli{t: c.t, aws: c.aws, endpoint: c.endpoint, env: append(env, kv)}
}
