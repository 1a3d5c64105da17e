package lease_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/lease"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/pebble"
	"github.com/fogbank/fogbank/internal/storage/postgres"
	"github.com/fogbank/fogbank/internal/storage/postgres/pgtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const ttl = 9 * time.Second // a multiple of 3: Run renews every TTL/3

// engines opens the engines the lease tests run on: Pebble always, and
// PostgreSQL when the test database is configured.
var engines = []struct {
	name string
	open func(t *testing.T) storage.Engine
}{
	{"pebble", func(t *testing.T) storage.Engine {
		e, err := pebble.Open(t.TempDir(), pebble.Options{})
		if err != nil {
			t.Fatalf("pebble.Open: %v", err)
		}
		t.Cleanup(func() { _ = e.Close() })
		return e
	}},
	{"postgres", func(t *testing.T) storage.Engine { return pgtest.Open(t, postgres.Options{}) }},
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// step is one call in a lease scenario: after the clock advances, owner
// calls op on the lease "sweep".
type step struct {
	advance time.Duration
	owner   string // "A" or "B"
	op      string // "acquire", "renew" or "release"
}

// outcome shows a call's result: "held" or "free" for Acquire, "ok" or the
// error for Renew and Release.
func outcome(t *testing.T, m *lease.Manager, op string) string {
	ctx := t.Context()
	var err error
	switch op {
	case "acquire":
		var held bool
		held, err = m.Acquire(ctx, "sweep")
		if err == nil && held {
			return "held"
		} else if err == nil {
			return "taken"
		}
	case "renew":
		err = m.Renew(ctx, "sweep")
	case "release":
		err = m.Release(ctx, "sweep")
	default:
		t.Fatalf("unknown op %q", op)
	}
	switch {
	case errors.Is(err, lease.ErrNotHeld):
		return "not held"
	case err != nil:
		t.Fatalf("%s: %v", op, err)
	}
	return "ok"
}

func TestLeaseScenarios(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		steps []step
		want  []string
	}{{
		name:  "exclusive",
		steps: []step{{0, "A", "acquire"}, {0, "B", "acquire"}, {ttl / 2, "A", "acquire"}, {0, "B", "renew"}, {0, "B", "acquire"}},
		want:  []string{"held", "taken", "held", "not held", "taken"},
	}, {
		name: "handover on expiry",
		steps: []step{
			{0, "A", "acquire"}, {ttl - time.Nanosecond, "B", "acquire"},
			{time.Nanosecond, "B", "acquire"}, {0, "A", "renew"}, {0, "A", "acquire"},
		},
		want: []string{"held", "taken", "held", "not held", "taken"},
	}, {
		name: "renew extends",
		steps: []step{
			{0, "A", "acquire"}, {ttl / 2, "A", "renew"}, {ttl / 2, "B", "acquire"},
			{ttl/2 - time.Nanosecond, "B", "acquire"}, {time.Nanosecond, "B", "acquire"},
		},
		want: []string{"held", "ok", "taken", "taken", "held"},
	}, {
		name:  "expired lease renews when nobody took it",
		steps: []step{{0, "A", "acquire"}, {2 * ttl, "A", "renew"}, {0, "B", "acquire"}},
		want:  []string{"held", "ok", "taken"},
	}, {
		name: "release",
		steps: []step{
			{0, "A", "acquire"}, {0, "B", "acquire"}, {0, "A", "release"}, {0, "B", "acquire"},
			{0, "A", "release"}, {0, "B", "renew"}, {0, "A", "renew"},
		},
		want: []string{"held", "taken", "ok", "held", "ok", "ok", "not held"},
	}} {
		for _, engine := range engines {
			t.Run(engine.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				e := engine.open(t)
				c := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
				managers := map[string]*lease.Manager{"A": newManager(t, e, "A", c), "B": newManager(t, e, "B", c)}
				var got []string
				for _, s := range tc.steps {
					c.advance(s.advance)
					got = append(got, outcome(t, managers[s.owner], s.op))
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("outcomes mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// newManager returns owner's Manager over e with the clock c.
func newManager(t *testing.T, e storage.Engine, owner string, c *clock) *lease.Manager {
	t.Helper()
	m, err := lease.New(e, lease.Options{Owner: owner, TTL: ttl, Now: c.Now})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// TestConcurrentAcquire has several owners race for one free lease: exactly
// one must win.
func TestConcurrentAcquire(t *testing.T) {
	t.Parallel()
	for _, engine := range engines {
		t.Run(engine.name, func(t *testing.T) {
			t.Parallel()
			e := engine.open(t)
			c := &clock{now: time.Now()}
			const owners = 6
			won := make([]bool, owners)
			var wg sync.WaitGroup
			for i := range owners {
				m := newManager(t, e, fmt.Sprint("node-", i), c)
				wg.Go(func() {
					held, err := m.Acquire(t.Context(), "sweep")
					if err != nil {
						t.Errorf("Acquire: %v", err)
					}
					won[i] = held
				})
			}
			wg.Wait()
			winners := 0
			for _, w := range won {
				if w {
					winners++
				}
			}
			if winners != 1 {
				t.Errorf("%d owners hold the lease, want 1 (%v)", winners, won)
			}
		})
	}
}

func TestNewBadOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts lease.Options
	}{
		{"no owner", lease.Options{}},
		{"negative TTL", lease.Options{Owner: "A", TTL: -time.Second}},
	} {
		if _, err := lease.New(nil, tc.opts); err == nil {
			t.Errorf("New(%s) succeeded, want an error", tc.name)
		}
	}
}
