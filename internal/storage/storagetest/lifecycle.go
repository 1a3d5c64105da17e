package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/storage"
)

var lifecycleTests = []conformanceTest{
	{"ContextDoneBeforeCall", testContextDoneBeforeCall},
	{"ContextCanceledDuringUpdate", testContextCanceledDuringUpdate},
	{"ReadOnlyView", testReadOnlyView},
	{"UseAfterClose", testUseAfterClose},
	{"CloseWaitsForUpdate", testCloseWaitsForUpdate},
}

func testContextDoneBeforeCall(t *testing.T, e storage.Engine) {
	expired, cancel := context.WithDeadline(t.Context(), time.Unix(0, 0))
	defer cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"canceled", canceledContext(t), context.Canceled},
		{"deadline exceeded", expired, context.DeadlineExceeded},
	} {
		called := false
		err := e.Update(tc.ctx, func(tx storage.Tx) error {
			called = true
			return tx.Set([]byte("k"), []byte("v"))
		})
		if !errors.Is(err, tc.want) || called {
			t.Errorf("%s: Update error = %v, fn called = %v; want %v and no call", tc.name, err, called, tc.want)
		}
		err = e.View(tc.ctx, func(storage.ReadTx) error {
			called = true
			return nil
		})
		if !errors.Is(err, tc.want) || called {
			t.Errorf("%s: View error = %v, fn called = %v; want %v and no call", tc.name, err, called, tc.want)
		}
	}
	wantStore(t, e, nil)
}

func testContextCanceledDuringUpdate(t *testing.T, e storage.Engine) {
	ctx, cancel := context.WithCancel(t.Context())
	err := e.Update(ctx, func(tx storage.Tx) error {
		if err := tx.Set([]byte("k"), []byte("v")); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update error = %v, want context.Canceled", err)
	}
	wantStore(t, e, nil)
}

func testReadOnlyView(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1")
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		w, ok := tx.(storage.Tx)
		if !ok {
			return nil // writes cannot even be expressed
		}
		if err := w.Set([]byte("b"), []byte("2")); !errors.Is(err, storage.ErrReadOnly) {
			t.Errorf("Set inside View error = %v, want ErrReadOnly", err)
		}
		if err := w.Delete([]byte("a")); !errors.Is(err, storage.ErrReadOnly) {
			t.Errorf("Delete inside View error = %v, want ErrReadOnly", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	wantStore(t, e, []pair{{"a", "1"}})
}

func testUseAfterClose(t *testing.T, e storage.Engine) {
	set(t, e, "a", "1")
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	err := e.View(t.Context(), func(storage.ReadTx) error { return nil })
	if !errors.Is(err, storage.ErrClosed) {
		t.Errorf("View after Close error = %v, want ErrClosed", err)
	}
	err = e.Update(t.Context(), func(storage.Tx) error { return nil })
	if !errors.Is(err, storage.ErrClosed) {
		t.Errorf("Update after Close error = %v, want ErrClosed", err)
	}
	if err := e.Close(); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("second Close error = %v, want ErrClosed", err)
	}
}

// testCloseWaitsForUpdate closes the engine while an Update's function is
// running: the Update must still commit and return nil, and Close must
// return nil.
func testCloseWaitsForUpdate(t *testing.T, e storage.Engine) {
	started, release := make(chan struct{}), make(chan struct{})
	updateErr := make(chan error, 1)
	go func() {
		updateErr <- e.Update(t.Context(), func(tx storage.Tx) error {
			close(started)
			<-release
			return tx.Set([]byte("k"), []byte("v"))
		})
	}()
	<-started
	closeErr := make(chan error, 1)
	go func() { closeErr <- e.Close() }()
	close(release)
	if err := <-updateErr; err != nil {
		t.Errorf("in-flight Update error = %v, want nil", err)
	}
	if err := <-closeErr; err != nil {
		t.Errorf("Close error = %v, want nil", err)
	}
}
