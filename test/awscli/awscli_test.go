// Package awscli_test drives the built fogbank binary with the AWS CLI, as the
// README's tour does: the CLI reads the credentials file Fogbank wrote and
// talks to it through --endpoint-url only.
package awscli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogproc"
)

// cli runs the AWS CLI against one server with its credentials file.
type cli struct {
	t        *testing.T
	aws      string
	endpoint string
	env      []string
}

func newCLI(t *testing.T) *cli {
	aws, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the AWS CLI is not installed; .ci/run installs it")
		}
		t.Skip("the AWS CLI is not installed")
	}
	bin, err := fogproc.Build(t.Context(), "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	logs, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logs.Close() })
	srv := &fogproc.Server{Bin: bin, DataDir: t.TempDir(), Stderr: logs}
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(srv.DataDir, "credentials"),
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=",
	}
	return &cli{t: t, aws: aws, endpoint: srv.URL(), env: env}
}

// run runs one aws command and returns its exit code, stdout and stderr.
func (c *cli) run(args ...string) (int, []byte, string) {
	c.t.Helper()
	cmd := exec.CommandContext(c.t.Context(), c.aws, append(args, "--endpoint-url", c.endpoint, "--output", "json")...)
	cmd.Env = c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		c.t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
	}
	return code, stdout.Bytes(), stderr.String()
}

// ok runs a command that must succeed and decodes its JSON output.
func (c *cli) ok(args ...string) map[string]any {
	c.t.Helper()
	code, out, errOut := c.run(args...)
	if code != 0 {
		c.t.Fatalf("aws %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	var v map[string]any
	if len(bytes.TrimSpace(out)) > 0 {
		if err := json.Unmarshal(out, &v); err != nil {
			c.t.Fatalf("aws %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return v
}

// at walks a decoded JSON value by member names.
func at(v any, path ...string) any {
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	return v
}

func TestTour(t *testing.T) {
	c := newCLI(t)
	key := `{"Artist":{"S":"No One You Know"},"SongTitle":{"S":"Call Me Today"}}`

	created := c.ok("dynamodb", "create-table", "--table-name", "Music",
		"--attribute-definitions", "AttributeName=Artist,AttributeType=S", "AttributeName=SongTitle,AttributeType=S",
		"--key-schema", "AttributeName=Artist,KeyType=HASH", "AttributeName=SongTitle,KeyType=RANGE",
		"--billing-mode", "PAY_PER_REQUEST")
	if got := at(created, "TableDescription", "TableStatus"); got != "CREATING" {
		t.Errorf("create-table TableStatus = %v, want CREATING (as AWS answers)", got)
	}
	if got := at(c.ok("dynamodb", "list-tables"), "TableNames"); !cmp.Equal(got, []any{"Music"}) {
		t.Errorf("list-tables TableNames = %v, want [Music]", got)
	}
	c.ok("dynamodb", "put-item", "--table-name", "Music", "--item",
		`{"Artist":{"S":"No One You Know"},"SongTitle":{"S":"Call Me Today"},"Plays":{"N":"1"}}`)
	got := c.ok("dynamodb", "get-item", "--table-name", "Music", "--key", key, "--consistent-read")
	if diff := cmp.Diff(map[string]any{"N": "1"}, at(got, "Item", "Plays")); diff != "" {
		t.Errorf("get-item Plays (-want +got):\n%s", diff)
	}
	updated := c.ok("dynamodb", "update-item", "--table-name", "Music", "--key", key,
		"--update-expression", "SET Plays = Plays + :inc", "--expression-attribute-values", `{":inc":{"N":"1"}}`,
		"--return-values", "ALL_NEW")
	if diff := cmp.Diff(map[string]any{"N": "2"}, at(updated, "Attributes", "Plays")); diff != "" {
		t.Errorf("update-item Plays (-want +got):\n%s", diff)
	}
	code, _, errOut := c.run("dynamodb", "update-item", "--table-name", "Music", "--key", key,
		"--update-expression", "SET Plays = :zero", "--condition-expression", "Plays > :max",
		"--expression-attribute-values", `{":zero":{"N":"0"},":max":{"N":"100"}}`)
	if code == 0 || !strings.Contains(errOut, "ConditionalCheckFailedException") || !strings.Contains(errOut, "The conditional request failed") {
		t.Errorf("failing condition: exit %d, stderr %q; want ConditionalCheckFailedException", code, errOut)
	}
	described := c.ok("dynamodb", "describe-table", "--table-name", "Music")
	if got := at(described, "Table", "ItemCount"); got != 1.0 {
		t.Errorf("describe-table ItemCount = %v, want 1", got)
	}
	if got := at(described, "Table", "TableStatus"); got != "ACTIVE" {
		t.Errorf("describe-table TableStatus = %v, want ACTIVE", got)
	}
	c.ok("dynamodb", "delete-item", "--table-name", "Music", "--key", key)
	if got := c.ok("dynamodb", "get-item", "--table-name", "Music", "--key", key); got["Item"] != nil {
		t.Errorf("get-item after delete-item = %v, want no Item", got)
	}
	code, _, errOut = c.run("dynamodb", "describe-table", "--table-name", "Nope")
	if code == 0 || !strings.Contains(errOut, "ResourceNotFoundException") {
		t.Errorf("describe-table Nope: exit %d, stderr %q; want ResourceNotFoundException", code, errOut)
	}
	c.ok("dynamodb", "delete-table", "--table-name", "Music")
}
