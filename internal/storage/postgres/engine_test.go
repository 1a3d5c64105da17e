package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/postgres"
	"github.com/fogbank/fogbank/internal/storage/postgres/pgtest"
	"github.com/fogbank/fogbank/internal/storage/storagetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Engine {
		return pgtest.Open(t, postgres.Options{})
	})
}

func BenchmarkEngine(b *testing.B) {
	storagetest.RunBenchmarks(b, func(b *testing.B) storage.Engine {
		return pgtest.Open(b, postgres.Options{Logger: slog.New(slog.DiscardHandler), MaxConns: 16})
	})
}

func TestOpenUnreachable(t *testing.T) {
	t.Parallel()
	// Port 1 on loopback refuses connections; no server is needed.
	const connString = "postgres://fogbank:s3cretpw@127.0.0.1:1/fogbank?connect_timeout=5"
	_, err := postgres.Open(t.Context(), connString, postgres.Options{})
	if !errors.Is(err, postgres.ErrUnreachable) {
		t.Fatalf("Open(unreachable) = %v, want ErrUnreachable", err)
	}
	if strings.Contains(err.Error(), "s3cretpw") {
		t.Errorf("Open(unreachable) error %q shows the password", err)
	}
}

func TestOpenBadOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		connString string
		opts       postgres.Options
	}{
		{"schema with a quote", "postgres://u@127.0.0.1:1/db", postgres.Options{Schema: `a"b`}},
		{"upper-case schema", "postgres://u@127.0.0.1:1/db", postgres.Options{Schema: "Fogbank"}},
		{"negative MaxConns", "postgres://u@127.0.0.1:1/db", postgres.Options{MaxConns: -1}},
		{"bad port", "postgres://u:s3cretpw@127.0.0.1:notaport/db", postgres.Options{}},
		{"bad key=value", "host=127.0.0.1 password=s3cretpw port=x", postgres.Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := postgres.Open(t.Context(), tc.connString, tc.opts)
			if err == nil || errors.Is(err, postgres.ErrUnreachable) {
				t.Fatalf("Open(%s) = %v, want a configuration error", tc.name, err)
			}
			if strings.Contains(err.Error(), "s3cretpw") {
				t.Errorf("Open(%s) error %q shows the password", tc.name, err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, msg, connString, want string
	}{
		{"url", "cannot use postgres://u:pw1@h/db", "postgres://u:pw1@h/db", "cannot use postgres://u:xxxxx@h/db"},
		{"key=value", "bad password=pw2 port=x", "password=pw2 port=x", "bad password=xxxxx port=x"},
		{"quoted", "bad password='p w' port=x", "password='p w' port=x", "bad password=xxxxx port=x"},
		{"no password", "cannot reach h", "postgres://u@h/db", "cannot reach h"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := postgres.Redact(tc.msg, tc.connString); got != tc.want {
				t.Errorf("redact(%q) = %q, want %q", tc.msg, got, tc.want)
			}
		})
	}
}

func TestRedactConnString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, connString, want string
	}{
		{"url", "postgres://u:pw1@h:5432/db?sslmode=disable", "postgres://u:xxxxx@h:5432/db?sslmode=disable"},
		{"url query", "postgresql://u@h/db?password=pw2", "postgresql://u@h/db?password=xxxxx"},
		{"url without password", "postgres://u@h/db", "postgres://u@h/db"},
		{"key=value", "host=h password=pw3 dbname=db", "host=h password=xxxxx dbname=db"},
		{"quoted", "host=h password='p w' dbname=db", "host=h password=xxxxx dbname=db"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := postgres.RedactConnString(tc.connString); got != tc.want {
				t.Errorf("RedactConnString(%q) = %q, want %q", tc.connString, got, tc.want)
			}
		})
	}
}

func TestPasswordNotLogged(t *testing.T) {
	t.Parallel()
	connString := pgtest.ConnString(t)
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		t.Fatal(err)
	}
	// The test cluster trusts loopback connections, so any password works.
	withPassword := fmt.Sprintf("postgres://%s:s3cretpw@%s:%d/%s?sslmode=disable",
		cfg.User, cfg.Host, cfg.Port, cfg.Database)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e, err := postgres.Open(t.Context(), withPassword, postgres.Options{Logger: logger, Schema: pgtest.NewSchema(t)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if !strings.Contains(logs.String(), "opened") || strings.Contains(logs.String(), "s3cretpw") {
		t.Errorf("logs = %q, want an open message without the password", logs.String())
	}
}

func TestSchemaTooNew(t *testing.T) {
	t.Parallel()
	schema := pgtest.NewSchema(t)
	e := pgtest.Open(t, postgres.Options{Schema: schema})
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	conn, err := pgx.Connect(t.Context(), pgtest.ConnString(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), "UPDATE "+schema+".schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(t.Context(), pgtest.ConnString(t), postgres.Options{Schema: schema})
	if !errors.Is(err, postgres.ErrSchemaTooNew) {
		t.Fatalf("Open(schema version 99) = %v, want ErrSchemaTooNew", err)
	}
}

// TestConcurrentOpen opens several engines on one new schema at once, as
// nodes starting together do: all must migrate it without error.
func TestConcurrentOpen(t *testing.T) {
	t.Parallel()
	schema := pgtest.NewSchema(t)
	engines := make([]*postgres.Engine, 4)
	var wg sync.WaitGroup
	for i := range engines {
		wg.Go(func() { engines[i] = pgtest.Open(t, postgres.Options{Schema: schema, MaxConns: 2}) })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if err := engines[0].Update(t.Context(), func(tx storage.Tx) error {
		return tx.Set([]byte("k"), []byte("v"))
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	for i, e := range engines {
		if got := getString(t, e, "k"); got != "v" {
			t.Errorf("engine %d: Get(k) = %q, want %q", i, got, "v")
		}
	}
}

// TestSchemasIsolated checks that engines on different schemas of one
// database do not see each other's data.
func TestSchemasIsolated(t *testing.T) {
	t.Parallel()
	a := pgtest.Open(t, postgres.Options{})
	b := pgtest.Open(t, postgres.Options{})
	if err := a.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Set([]byte("k"), []byte("a"))
	}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if got := getString(t, b, "k"); got != "<not found>" {
		t.Errorf("other schema: Get(k) = %q, want not found", got)
	}
}

// getString reads key in a View of e, showing a missing key as
// "<not found>".
func getString(t *testing.T, e storage.Engine, key string) string {
	t.Helper()
	var got string
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		v, err := tx.Get([]byte(key))
		if errors.Is(err, storage.ErrNotFound) {
			got = "<not found>"
			return nil
		}
		got = string(v)
		return err
	})
	if err != nil {
		t.Fatalf("View(get %q): %v", key, err)
	}
	return got
}

// TestConflictRetries makes an Update's first attempts conflict with a
// transaction committed in the middle of them, and checks that Update
// retries fn, giving up with storage.ErrConflict after MaxAttempts.
func TestConflictRetries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		conflicts   int // attempts that a concurrent commit spoils
		maxAttempts int
		wantCalls   int
		wantErr     error
	}{
		{"no conflict", 0, 3, 1, nil},
		{"one conflict", 1, 3, 2, nil},
		{"exhausted", 5, 3, 3, storage.ErrConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := pgtest.Open(t, postgres.Options{MaxAttempts: tc.maxAttempts})
			calls := 0
			err := e.Update(t.Context(), func(tx storage.Tx) error {
				calls++
				if _, err := tx.Get([]byte("k")); err != nil && !errors.Is(err, storage.ErrNotFound) {
					return err
				}
				if calls <= tc.conflicts {
					if err := e.Update(t.Context(), func(other storage.Tx) error {
						return other.Set([]byte("k"), []byte("other"))
					}); err != nil {
						return fmt.Errorf("concurrent Update: %w", err)
					}
				}
				return tx.Set([]byte("k"), []byte("mine"))
			})
			if !errors.Is(err, tc.wantErr) || (err != nil && tc.wantErr == nil) {
				t.Fatalf("Update = %v, want %v", err, tc.wantErr)
			}
			if calls != tc.wantCalls {
				t.Errorf("fn ran %d times, want %d", calls, tc.wantCalls)
			}
		})
	}
}

// TestScanPages scans ranges longer than a page, through Views and through
// Updates with buffered writes merged in, in both directions.
func TestScanPages(t *testing.T) {
	t.Parallel()
	e := pgtest.Open(t, postgres.Options{})
	const n = 600 // more than two default pages
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		for i := range n {
			if err := tx.Set(key(i), []byte{byte(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	// The buffered writes of the Update cases: keys 0-99 deleted, every odd
	// key from 1 to 599 overwritten, and keys n to n+9 added.
	buffer := func(tx storage.Tx) error {
		for i := range 100 {
			if err := tx.Delete(key(i)); err != nil {
				return err
			}
		}
		for i := 101; i < n+10; i += 2 {
			if err := tx.Set(key(i), []byte("new")); err != nil {
				return err
			}
		}
		return nil
	}
	for _, tc := range []struct {
		name      string
		r         storage.Range
		buffered  bool
		wantFirst int // first key index visited
		wantCount int
	}{
		{"all", storage.Range{}, false, 0, n},
		{"all reverse", storage.Range{Reverse: true}, false, n - 1, n},
		{"bounded", storage.Range{Start: key(10), End: key(530)}, false, 10, 520},
		{"bounded reverse", storage.Range{Start: key(10), End: key(530), Reverse: true}, false, 529, 520},
		{"limit over a page", storage.Range{Start: key(5), Limit: 300}, false, 5, 300},
		{"limit reverse", storage.Range{End: key(400), Limit: 300, Reverse: true}, false, 399, 300},
		{"merged", storage.Range{}, true, 100, n + 5 - 100},
		{"merged reverse", storage.Range{Reverse: true}, true, n + 9, n + 5 - 100},
		{"merged limit", storage.Range{Limit: 7}, true, 100, 7},
		{"merged bounded reverse", storage.Range{Start: key(50), End: key(120), Reverse: true}, true, 119, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			scan := func(tx storage.ReadTx) error {
				return tx.Scan(tc.r, func(k, v []byte) bool {
					got = append(got, string(k))
					return true
				})
			}
			var err error
			if tc.buffered {
				errStop := errors.New("stop")
				err = e.Update(t.Context(), func(tx storage.Tx) error {
					return errors.Join(buffer(tx), scan(tx), errStop)
				})
				if errors.Is(err, errStop) {
					err = nil
				}
			} else {
				err = e.View(t.Context(), scan)
			}
			if err != nil {
				t.Fatalf("scan: %v", err)
			}
			if len(got) != tc.wantCount || len(got) == 0 || got[0] != string(key(tc.wantFirst)) {
				t.Fatalf("scan visited %d keys starting %q, want %d starting %q", len(got), first(got), tc.wantCount, key(tc.wantFirst))
			}
			for i := 1; i < len(got); i++ {
				if (got[i-1] < got[i]) == tc.r.Reverse {
					t.Fatalf("scan order broken at %q, %q", got[i-1], got[i])
				}
			}
		})
	}
}

// TestUpdateSeesOwnWrites checks Get and Scan inside an Update against a
// table of buffered writes over stored keys.
func TestUpdateSeesOwnWrites(t *testing.T) {
	t.Parallel()
	e := pgtest.Open(t, postgres.Options{})
	if err := e.Update(t.Context(), func(tx storage.Tx) error {
		return errors.Join(tx.Set([]byte("a"), []byte("1")), tx.Set([]byte("b"), []byte("2")), tx.Set([]byte("c"), []byte("3")))
	}); err != nil {
		t.Fatalf("load: %v", err)
	}
	type pair struct{ K, V string }
	var got []pair
	var gotB error
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		got = nil
		if err := errors.Join(tx.Delete([]byte("b")), tx.Set([]byte("c"), []byte("x")), tx.Set([]byte("d"), nil)); err != nil {
			return err
		}
		_, gotB = tx.Get([]byte("b"))
		return tx.Scan(storage.Range{}, func(k, v []byte) bool {
			got = append(got, pair{string(k), string(v)})
			return true
		})
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if !errors.Is(gotB, storage.ErrNotFound) {
		t.Errorf("Get(deleted b) = %v, want ErrNotFound", gotB)
	}
	want := []pair{{"a", "1"}, {"c", "x"}, {"d", ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan in Update mismatch (-want +got):\n%s", diff)
	}
	if v := getString(t, e, "d"); v != "" {
		t.Errorf("Get(d) after commit = %q, want empty value", v)
	}
}

// key returns the i-th key of the paging tests.
func key(i int) []byte { return fmt.Appendf(nil, "k%04d", i) }

// first returns the first of ss, or "" for none.
func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}
