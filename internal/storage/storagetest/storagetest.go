package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/storage"
)

// opener opens a fresh, empty engine for one test.
type opener func(t *testing.T) storage.Engine

// conformanceTest is one test of the suite.
type conformanceTest struct {
	name string
	fn   func(t *testing.T, e storage.Engine)
}

// Run runs the conformance suite against engines made by open, each sub-test
// on its own engine and in parallel with the others.
func Run(t *testing.T, open func(t *testing.T) storage.Engine) {
	var tests []conformanceTest
	tests = append(tests, crudTests...)
	tests = append(tests, scanTests...)
	tests = append(tests, isolationTests...)
	tests = append(tests, lifecycleTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, openEngine(t, open))
		})
	}
	t.Run("Scripts", func(t *testing.T) {
		t.Parallel()
		runScripts(t, open)
	})
}

// openEngine opens an engine and closes it when t ends.
func openEngine(t *testing.T, open opener) storage.Engine {
	t.Helper()
	e := open(t)
	t.Cleanup(func() {
		if err := e.Close(); err != nil && !errors.Is(err, storage.ErrClosed) {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

// set writes key=value pairs (alternating strings) in one Update.
func set(t *testing.T, e storage.Engine, kvs ...string) {
	t.Helper()
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		for i := 0; i+1 < len(kvs); i += 2 {
			if err := tx.Set([]byte(kvs[i]), []byte(kvs[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update(set %q): %v", kvs, err)
	}
}

// get reads key in a View; a missing key reads as "<not found>".
func get(t *testing.T, e storage.Engine, key string) string {
	t.Helper()
	var got string
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		var err error
		got, err = readString(tx, key)
		return err
	})
	if err != nil {
		t.Fatalf("View(get %q): %v", key, err)
	}
	return got
}

// notFound is how readString shows a missing key.
const notFound = "<not found>"

// readString reads key through tx, showing a missing key as notFound.
func readString(tx storage.ReadTx, key string) (string, error) {
	v, err := tx.Get([]byte(key))
	if errors.Is(err, storage.ErrNotFound) {
		return notFound, nil
	}
	if err != nil {
		return "", fmt.Errorf("get %q: %w", key, err)
	}
	return string(v), nil
}

// pair is a key-value pair copied out of a scan.
type pair struct{ Key, Value string }

// scanAll collects the pairs of r through tx.
func scanAll(tx storage.ReadTx, r storage.Range) ([]pair, error) {
	var got []pair
	err := tx.Scan(r, func(k, v []byte) bool {
		got = append(got, pair{string(k), string(v)})
		return true
	})
	return got, err
}

// dump returns every pair in the store, in order.
func dump(t *testing.T, e storage.Engine) []pair {
	t.Helper()
	var got []pair
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		var err error
		got, err = scanAll(tx, storage.Range{})
		return err
	})
	if err != nil {
		t.Fatalf("View(scan all): %v", err)
	}
	return got
}

// wantStore fails t if the store does not hold exactly want.
func wantStore(t *testing.T, e storage.Engine, want []pair) {
	t.Helper()
	if diff := cmp.Diff(want, dump(t, e)); diff != "" {
		t.Errorf("store contents mismatch (-want +got):\n%s", diff)
	}
}

// canceledContext returns a context that is already canceled.
func canceledContext(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}
