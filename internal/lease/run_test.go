package lease_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/lease"
	"github.com/fogbank/fogbank/internal/storage"
)

// runManager returns owner's Manager over e on the bubble's clock, or on the
// bubble's clock shifted by skew.
func runManager(t *testing.T, e storage.Engine, owner string, skew time.Duration) *lease.Manager {
	t.Helper()
	m, err := lease.New(e, lease.Options{Owner: owner, TTL: ttl, Now: func() time.Time { return time.Now().Add(skew) }})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// worker is work for Run that records when it runs, and how it ended.
type worker struct {
	mu      sync.Mutex
	log     []string // "<owner> start +<offset>" and "<owner> stop +<offset> (<cause>)"
	epoch   time.Time
	running int
	overlap bool // two owners' work ran at once
}

// work returns owner's work function: it runs until its context ends.
func (w *worker) work(owner string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		w.record(owner, "start", nil)
		<-ctx.Done()
		w.record(owner, "stop", context.Cause(ctx))
		return nil
	}
}

func (w *worker) record(owner, event string, cause error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	entry := owner + " " + event + " +" + time.Since(w.epoch).String()
	if cause != nil {
		entry += " (" + cause.Error() + ")"
	}
	w.log = append(w.log, entry)
	if event == "start" {
		w.running++
		w.overlap = w.overlap || w.running > 1
	} else {
		w.running--
	}
}

// check compares the worker's log with want and fails on overlapping work.
func (w *worker) check(t *testing.T, want []string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if diff := cmp.Diff(want, w.log); diff != "" {
		t.Errorf("work log mismatch (-want +got):\n%s", diff)
	}
	if w.overlap {
		t.Error("two owners ran the work at once")
	}
}

// start runs m.Run on w's work in the background, returning a function that
// cancels it and returns Run's error.
func start(t *testing.T, m *lease.Manager, owner string, w *worker) (stop func() error) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, "sweep", w.work(owner)) }()
	return func() error {
		cancel()
		return <-done
	}
}

// TestRunExclusive runs A and B at once: A, first, works until it stops;
// B takes over at its next try (every TTL/3), since A released the lease.
func TestRunExclusive(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newMemEngine()
		w := &worker{epoch: time.Now()}
		stopA := start(t, runManager(t, e, "A", 0), "A", w)
		synctest.Wait()
		stopB := start(t, runManager(t, e, "B", 0), "B", w)
		time.Sleep(5*ttl + ttl/6) // fake time: A renews 15 times meanwhile
		if err := stopA(); !errors.Is(err, context.Canceled) {
			t.Errorf("A: Run = %v, want context.Canceled", err)
		}
		time.Sleep(ttl)
		if err := stopB(); !errors.Is(err, context.Canceled) {
			t.Errorf("B: Run = %v, want context.Canceled", err)
		}
		w.check(t, []string{
			"A start +0s", "A stop +46.5s (context canceled)",
			"B start +48s", "B stop +55.5s (context canceled)",
		})
	})
}

// TestRunHandover has A take the lease and die without releasing it: B's
// work starts once the lease has expired.
func TestRunHandover(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newMemEngine()
		w := &worker{epoch: time.Now()}
		if held, err := runManager(t, e, "A", 0).Acquire(t.Context(), "sweep"); !held || err != nil {
			t.Fatalf("A: Acquire = %v, %v; want held", held, err)
		}
		stopB := start(t, runManager(t, e, "B", 0), "B", w)
		time.Sleep(2 * ttl)
		if err := stopB(); !errors.Is(err, context.Canceled) {
			t.Errorf("B: Run = %v, want context.Canceled", err)
		}
		w.check(t, []string{"B start +9s", "B stop +18s (context canceled)"})
	})
}

// TestRunLost has B, whose clock runs a TTL ahead, take A's lease while A
// holds it: A's work stops, with cause ErrLost, at A's next renewal.
func TestRunLost(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newMemEngine()
		w := &worker{epoch: time.Now()}
		stopA := start(t, runManager(t, e, "A", 0), "A", w)
		time.Sleep(ttl / 2)
		if held, err := runManager(t, e, "B", ttl).Acquire(t.Context(), "sweep"); !held || err != nil {
			t.Fatalf("B: Acquire = %v, %v; want held", held, err)
		}
		time.Sleep(ttl)
		if err := stopA(); !errors.Is(err, context.Canceled) {
			t.Errorf("A: Run = %v, want context.Canceled", err)
		}
		w.check(t, []string{"A start +0s", "A stop +6s (lease: lost)"})
	})
}

// TestRunRenewFails makes the engine fail after A starts working: A's work
// stops when its lease expires, since it could not be renewed.
func TestRunRenewFails(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newMemEngine()
		w := &worker{epoch: time.Now()}
		stopA := start(t, runManager(t, e, "A", 0), "A", w)
		time.Sleep(ttl / 2) // one renewal succeeds, at +3s
		e.failing.Store(true)
		time.Sleep(2 * ttl)
		if err := stopA(); !errors.Is(err, context.Canceled) {
			t.Errorf("A: Run = %v, want context.Canceled", err)
		}
		w.check(t, []string{"A start +0s", "A stop +12s (lease: lost)"})
	})
}

// TestRunWorkReturns checks that Run returns work's error and releases the
// lease, so that B can take it at once.
func TestRunWorkReturns(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		e := newMemEngine()
		errDone := errors.New("work failed")
		err := runManager(t, e, "A", 0).Run(t.Context(), "sweep", func(ctx context.Context) error {
			time.Sleep(ttl)
			return errDone
		})
		if !errors.Is(err, errDone) {
			t.Errorf("Run = %v, want %v", err, errDone)
		}
		if held, err := runManager(t, e, "B", 0).Acquire(t.Context(), "sweep"); !held || err != nil {
			t.Errorf("B: Acquire after A's Run = %v, %v; want held", held, err)
		}
	})
}
