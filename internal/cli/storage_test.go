package cli

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/storage/postgres"
	"github.com/fogbank/fogbank/internal/storage/postgres/pgtest"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveArgs returns the arguments of a serve on a fresh data directory with
// the given storage connection string.
func serveArgs(t *testing.T, addr, storage string, extra ...string) []string {
	return append([]string{"serve", "--listen", addr, "--data-dir", filepath.Join(t.TempDir(), "data"),
		"--storage", storage, "--log-format", "json"}, extra...)
}

// withPassword returns the test database's connection string as a URL with
// the password pw in it (the test cluster trusts loopback connections, so
// any password works).
func withPassword(t *testing.T, pw string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(pgtest.ConnString(t))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.User, pw, cfg.Host, cfg.Port, cfg.Database)
}

func TestServeStorageUnreachable(t *testing.T) {
	t.Parallel()
	// Nothing listens on port 1: the connection is refused at once.
	storage := "postgres://fogbank:s3cr3tpw@127.0.0.1:1/fogbank?sslmode=disable&connect_timeout=5"
	var stderr bytes.Buffer
	code := run(t.Context(), serveArgs(t, "127.0.0.1:0", storage), env{stdout: &stderr, stderr: &stderr, lookupEnv: noEnv})
	if code != exitStorageUnreachable {
		t.Errorf("serve exit code = %d, want %d; stderr:\n%s", code, exitStorageUnreachable, stderr.String())
	}
	if out := stderr.String(); !strings.Contains(out, "unreachable") || strings.Contains(out, "s3cr3tpw") {
		t.Errorf("stderr = %q, want an unreachable error without the password", out)
	}
}

func TestServeStorageSchemaTooNew(t *testing.T) {
	t.Parallel()
	connString := pgtest.ConnString(t)
	schema := pgtest.NewSchema(t)
	e, err := postgres.Open(t.Context(), connString, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(t.Context(), "UPDATE "+pgx.Identifier{schema, "schema_version"}.Sanitize()+" SET version = 999")
	if closeErr := conn.Close(t.Context()); err != nil || closeErr != nil {
		t.Fatalf("bump schema version: %v, %v", err, closeErr)
	}
	var stderr bytes.Buffer
	args := serveArgs(t, "127.0.0.1:0", connString, "--storage-schema", schema)
	code := run(t.Context(), args, env{stdout: &stderr, stderr: &stderr, lookupEnv: noEnv})
	if code != exitStorageSchemaTooNew || !strings.Contains(stderr.String(), "schema version 999") {
		t.Errorf("serve exit code = %d, want %d and a schema version message; stderr:\n%s", code, exitStorageSchemaTooNew, stderr.String())
	}
}

// TestServePostgres serves from PostgreSQL in-process and checks that the
// startup line names the database without its password.
func TestServePostgres(t *testing.T) {
	t.Parallel()
	storage := withPassword(t, "s3cr3tpw")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, serveArgs(t, addr, storage, "--storage-schema", pgtest.NewSchema(t)),
			env{stdout: &stderr, stderr: &stderr, lookupEnv: noEnv})
	}()
	waitHealthy(t, "http://"+addr)
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exit code = %d, want 0; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	out := stderr.String()
	if strings.Contains(out, "s3cr3tpw") || !strings.Contains(out, `"storage":"postgres://`) || !strings.Contains(out, ":xxxxx@") {
		t.Errorf("log = %q, want a storage field with the password redacted", out)
	}
}

func noEnv(string) (string, bool) { return "", false }
