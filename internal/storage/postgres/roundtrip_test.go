package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/postgres"
	"github.com/fogbank/fogbank/internal/storage/postgres/pgtest"
)

// openWired opens an engine with one connection, dialed through a Wire.
func openWired(t *testing.T) (*postgres.Engine, *postgres.Wire) {
	t.Helper()
	w := &postgres.Wire{}
	e, err := postgres.OpenWired(t.Context(), pgtest.ConnString(t), postgres.Options{Schema: pgtest.NewSchema(t), MaxConns: 1}, w)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e, w
}

var errCheckFailed = errors.New("condition failed")

// TestRoundTrips counts the round trips each kind of transaction makes,
// background rollbacks included, once the connection has prepared its
// statements.
func TestRoundTrips(t *testing.T) {
	t.Parallel()
	e, w := openWired(t)
	k, v := []byte("k"), []byte("v")
	get := func(tx storage.ReadTx) error {
		_, err := tx.Get(k)
		return err
	}
	if err := e.Update(t.Context(), func(tx storage.Tx) error { return tx.Set(k, v) }); err != nil {
		t.Fatalf("load: %v", err)
	}
	for _, tc := range []struct {
		name   string
		view   func(tx storage.ReadTx) error
		update func(tx storage.Tx) error
		want   int64
	}{
		{"View nothing", func(tx storage.ReadTx) error { return nil }, nil, 0},
		// The second round trip is the ROLLBACK, sent after View returns.
		{"View Get", get, nil, 2},
		{"View Get Get", func(tx storage.ReadTx) error { return errors.Join(get(tx), get(tx)) }, nil, 3},
		{"View Scan", func(tx storage.ReadTx) error {
			return tx.Scan(storage.Range{Limit: 10}, func(k, v []byte) bool { return true })
		}, nil, 2},
		{"Update Set", nil, func(tx storage.Tx) error { return tx.Set(k, v) }, 1},
		{"Update Set Delete Set", nil, func(tx storage.Tx) error {
			return errors.Join(tx.Set(k, v), tx.Delete([]byte("x")), tx.Set([]byte("y"), v))
		}, 1},
		{"Update Get Set", nil, func(tx storage.Tx) error { return errors.Join(get(tx), tx.Set(k, v)) }, 2},
		{"Update Get failed check", nil, func(tx storage.Tx) error { return errors.Join(get(tx), errCheckFailed) }, 2},
		{"Update Set Get", nil, func(tx storage.Tx) error { return errors.Join(tx.Set(k, v), get(tx)) }, 1},
		{"Update Get only", nil, get2(get), 2},
		// A Prefetch and the Gets of its keys share one round trip.
		{"View Prefetch Get Get", func(tx storage.ReadTx) error {
			return errors.Join(prefetch(tx, k, []byte("absent")), get(tx), getAbsent(tx))
		}, nil, 2},
		{"Update Prefetch Get Get Set", nil, func(tx storage.Tx) error {
			return errors.Join(prefetch(tx, k, []byte("absent")), get(tx), getAbsent(tx), tx.Set(k, v))
		}, 2},
	} {
		run := func() error {
			if tc.view != nil {
				return e.View(t.Context(), tc.view)
			}
			err := e.Update(t.Context(), tc.update)
			if errors.Is(err, errCheckFailed) {
				err = nil
			}
			return err
		}
		// The first run prepares the statements on the connection.
		if err := run(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		e.WaitBackground()
		before := w.Flights.Load()
		if err := run(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		e.WaitBackground()
		if got := w.Flights.Load() - before; got != tc.want {
			t.Errorf("%s: %d round trips, want %d", tc.name, got, tc.want)
		}
	}
}

// prefetch calls the engine's Prefetch on tx.
func prefetch(tx storage.ReadTx, keys ...[]byte) error {
	p, ok := tx.(interface{ Prefetch(...[]byte) error })
	if !ok {
		return errors.New("transaction has no Prefetch")
	}
	return p.Prefetch(keys...)
}

// getAbsent reads the key "absent", expecting storage.ErrNotFound.
func getAbsent(tx storage.ReadTx) error { return getAbsentKey(tx, []byte("absent")) }

// TestPrefetch checks that Gets after a Prefetch answer what Gets without
// one would: the snapshot's values, and an Update's own writes over them.
func TestPrefetch(t *testing.T) {
	t.Parallel()
	e, _ := openWired(t)
	a, b := []byte("a"), []byte("b")
	if err := e.Update(t.Context(), func(tx storage.Tx) error { return tx.Set(a, []byte("1")) }); err != nil {
		t.Fatal(err)
	}
	err := e.Update(t.Context(), func(tx storage.Tx) error {
		if err := prefetch(tx, a, b); err != nil {
			return err
		}
		if err := errors.Join(tx.Set(b, []byte("2")), tx.Delete(a)); err != nil {
			return err
		}
		got := map[string]string{}
		for _, k := range [][]byte{a, b} {
			v, err := tx.Get(k)
			got[string(k)] = fmt.Sprintf("%s %v", v, err)
		}
		want := map[string]string{"a": " " + storage.ErrNotFound.Error(), "b": "2 <nil>"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Gets after Prefetch and writes (-want +got):\n%s", diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = e.View(t.Context(), func(tx storage.ReadTx) error {
		if err := prefetch(tx, a, b, nil); err != nil {
			return err
		}
		v, err := tx.Get(b)
		if string(v) != "2" || err != nil {
			t.Errorf("Get(b) after Prefetch = %q, %v; want 2", v, err)
		}
		return getAbsentKey(tx, a)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// getAbsentKey reads key, expecting storage.ErrNotFound.
func getAbsentKey(tx storage.ReadTx, key []byte) error {
	if _, err := tx.Get(key); !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("Get(%s) = %v, want ErrNotFound", key, err)
	}
	return nil
}

// get2 adapts a read function to an Update's function.
func get2(read func(storage.ReadTx) error) func(storage.Tx) error {
	return func(tx storage.Tx) error { return read(tx) }
}

// TestViewDoesNotWaitForRollback holds back every ROLLBACK and checks that a
// single-read View returns anyway: its one round trip is the read.
func TestViewDoesNotWaitForRollback(t *testing.T) {
	t.Parallel()
	e, w := openWired(t)
	hold := make(chan struct{})
	w.HoldRollback.Store(&hold)
	done := make(chan error, 1)
	go func() {
		done <- e.View(t.Context(), func(tx storage.ReadTx) error {
			_, err := tx.Get([]byte("k"))
			if errors.Is(err, storage.ErrNotFound) {
				return nil
			}
			return err
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("View: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("View waited for its ROLLBACK")
		close(hold)
		<-done
		return
	}
	close(hold)
}

// BenchmarkRoundTrip measures one bare round trip to the test database (a
// prepared SELECT 1), the unit the engine's costs are counted in.
func BenchmarkRoundTrip(b *testing.B) {
	conn, err := pgx.Connect(b.Context(), pgtest.ConnString(b))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	var one int
	for b.Loop() {
		if err := conn.QueryRow(b.Context(), "SELECT $1::int", 1).Scan(&one); err != nil {
			b.Fatal(err)
		}
	}
}
