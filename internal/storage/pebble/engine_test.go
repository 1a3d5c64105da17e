package pebble

import (
	"errors"
	"log/slog"
	"os"
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/storagetest"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(runCrashChild(dir))
	}
	goleak.VerifyTestMain(m)
}

// testLogger returns a logger that writes to tb's output, shown only when
// the test fails.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// openTemp opens an engine in a fresh temporary directory.
func openTemp(tb testing.TB) *Engine {
	tb.Helper()
	e, err := Open(tb.TempDir(), Options{Logger: testLogger(tb)})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return e
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Engine { return openTemp(t) })
}

func BenchmarkEngine(b *testing.B) {
	storagetest.RunBenchmarks(b, func(b *testing.B) storage.Engine {
		e, err := Open(b.TempDir(), Options{})
		if err != nil {
			b.Fatalf("Open: %v", err)
		}
		return e
	})
}

func TestReopen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e, err := Open(dir, Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	want := map[string]string{"a": "1", "b": "2", "c": "3"}
	err = e.Update(t.Context(), func(tx storage.Tx) error {
		for k, v := range want {
			if err := tx.Set([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return tx.Set([]byte("gone"), []byte("x"))
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if err := e.Update(t.Context(), func(tx storage.Tx) error { return tx.Delete([]byte("gone")) }); err != nil {
		t.Fatalf("Update(delete): %v", err)
	}
	checkContents(t, reopen(t, e, dir), want)
}

// TestFormatUpgrade checks that a new store, opened at Pebble's oldest
// format, reaches the newest in the background while writes go on, and that
// a store whose upgrade Close cut short goes on upgrading when reopened.
func TestFormatUpgrade(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e, err := Open(dir, Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := e.Update(t.Context(), func(tx storage.Tx) error { return tx.Set([]byte("k"), []byte("v")) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	e = reopen(t, e, dir) // the Close may stop the upgrade half way
	<-e.upgraded
	if got := e.db.FormatMajorVersion(); got != pebble.FormatNewest {
		t.Errorf("format after the upgrade: %v, want %v", got, pebble.FormatNewest)
	}
	checkContents(t, e, map[string]string{"k": "v"})
}

// reopen closes e and opens its store in dir again; the new engine is
// closed when the test ends.
func reopen(t *testing.T, e *Engine, dir string) *Engine {
	t.Helper()
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	e, err := Open(dir, Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() }) // ErrClosed if the test closed it
	return e
}

// checkContents compares every pair in e with want.
func checkContents(t *testing.T, e *Engine, want map[string]string) {
	t.Helper()
	if diff := cmp.Diff(want, readAll(t, e)); diff != "" {
		t.Errorf("contents mismatch (-want +got):\n%s", diff)
	}
}

// readAll returns every pair in e.
func readAll(t *testing.T, e storage.Engine) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		return tx.Scan(storage.Range{}, func(k, v []byte) bool {
			got[string(k)] = string(v)
			return true
		})
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	return got
}

func TestOpenError(t *testing.T) {
	t.Parallel()
	file := t.TempDir() + "/file"
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if e, err := Open(file, Options{}); err == nil {
		e.Close()
		t.Errorf("Open(a regular file) succeeded, want an error")
	}
}

// TestTxUseAfterFn checks that a transaction handle kept past its function
// fails cleanly instead of touching a recycled batch or closed snapshot.
func TestTxUseAfterFn(t *testing.T) {
	t.Parallel()
	e := openTemp(t)
	defer e.Close()
	var kept storage.Tx
	if err := e.Update(t.Context(), func(tx storage.Tx) error { kept = tx; return nil }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	var keptView storage.ReadTx
	if err := e.View(t.Context(), func(tx storage.ReadTx) error { keptView = tx; return nil }); err != nil {
		t.Fatalf("View: %v", err)
	}
	for name, err := range map[string]error{
		"Set":         kept.Set([]byte("k"), []byte("v")),
		"Delete":      kept.Delete([]byte("k")),
		"Get":         func() error { _, err := kept.Get([]byte("k")); return err }(),
		"View Get":    func() error { _, err := keptView.Get([]byte("k")); return err }(),
		"View Scan":   keptView.Scan(storage.Range{}, func(_, _ []byte) bool { return true }),
		"Update Scan": kept.Scan(storage.Range{}, func(_, _ []byte) bool { return true }),
	} {
		if !errors.Is(err, errTxDone) {
			t.Errorf("%s after fn returned: error = %v, want errTxDone", name, err)
		}
	}
}

func TestScanNegativeLimit(t *testing.T) {
	t.Parallel()
	e := openTemp(t)
	defer e.Close()
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		return tx.Scan(storage.Range{Limit: -1}, func(_, _ []byte) bool { return true })
	})
	if err == nil {
		t.Errorf("Scan with Limit -1 succeeded, want an error")
	}
}
