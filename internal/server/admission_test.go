package server

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// arrival is one request reaching a gate in a scripted scenario.
type arrival struct {
	name string
	at   time.Duration // when it arrives
	hold time.Duration // how long it keeps its slot once admitted
}

// outcome is what happened to one arrival.
type outcome struct {
	Admitted bool
	At       time.Duration // when enter returned
}

// runScenario plays arrivals against a gate with limits l in a synctest
// bubble and returns each arrival's outcome and the gate's final stats.
func runScenario(t *testing.T, l Limits, arrivals []arrival) (map[string]outcome, GateStats) {
	t.Helper()
	got := make(map[string]outcome)
	var stats GateStats
	synctest.Test(t, func(t *testing.T) {
		g := newGate(l.withDefaults())
		start := time.Now()
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, a := range arrivals {
			wg.Go(func() {
				time.Sleep(a.at)
				ok := g.enter(t.Context())
				mu.Lock()
				got[a.name] = outcome{Admitted: ok, At: time.Since(start)}
				mu.Unlock()
				if ok {
					time.Sleep(a.hold)
					g.leave()
				}
			})
		}
		wg.Wait()
		stats = g.stats()
	})
	return got, stats
}

func TestGateScenarios(t *testing.T) {
	t.Parallel()
	const ms = time.Millisecond
	small := Limits{MaxInFlight: 2, MaxQueue: 2, QueueTimeout: 100 * ms}
	for _, tc := range []struct {
		name      string
		limits    Limits
		arrivals  []arrival
		want      map[string]outcome
		wantStats GateStats
	}{
		{
			name:   "within capacity",
			limits: small,
			arrivals: []arrival{
				{name: "a", at: 0, hold: 10 * ms},
				{name: "b", at: 5 * ms, hold: 10 * ms},
			},
			want: map[string]outcome{"a": {true, 0}, "b": {true, 5 * ms}},
		},
		{
			name:   "queue is FIFO, full queue sheds at once, wait times out",
			limits: small,
			arrivals: []arrival{
				{name: "a", at: 0, hold: 50 * ms},
				{name: "b", at: 0, hold: 300 * ms},
				{name: "c", at: 1 * ms, hold: 300 * ms},
				{name: "d", at: 2 * ms, hold: 10 * ms},
				{name: "e", at: 3 * ms},
			},
			want: map[string]outcome{
				"a": {true, 0},
				"b": {true, 0},
				"c": {true, 50 * ms},   // first in the queue: gets a's slot
				"d": {false, 102 * ms}, // waits its full timeout
				"e": {false, 3 * ms},   // queue full: shed at once
			},
			wantStats: GateStats{Shed: 2},
		},
		{
			name:   "no queue",
			limits: Limits{MaxInFlight: 1, MaxQueue: -1, QueueTimeout: time.Second},
			arrivals: []arrival{
				{name: "a", at: 0, hold: 10 * ms},
				{name: "b", at: 1 * ms},
				{name: "c", at: 20 * ms},
			},
			want:      map[string]outcome{"a": {true, 0}, "b": {false, 1 * ms}, "c": {true, 20 * ms}},
			wantStats: GateStats{Shed: 1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, stats := runScenario(t, tc.limits, tc.arrivals)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("outcomes mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantStats, stats); diff != "" {
				t.Errorf("stats mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGateCanceledWhileQueued(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		g := newGate(Limits{MaxInFlight: 1, QueueTimeout: time.Hour}.withDefaults())
		if !g.enter(t.Context()) {
			t.Fatal("first enter refused")
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan bool)
		go func() { done <- g.enter(ctx) }()
		synctest.Wait()
		if got := g.stats(); got != (GateStats{InFlight: 1, Queued: 1}) {
			t.Errorf("while queued: stats = %+v", got)
		}
		cancel()
		if <-done {
			t.Error("canceled enter was admitted")
		}
		g.leave()
		if got := g.stats(); got != (GateStats{Shed: 1}) {
			t.Errorf("after: stats = %+v", got)
		}
	})
}

func TestLimitsDefaults(t *testing.T) {
	t.Parallel()
	procs := runtime.GOMAXPROCS(0)
	for _, tc := range []struct {
		in, want Limits
	}{
		{in: Limits{}, want: Limits{MaxInFlight: 64 * procs, MaxQueue: 256 * procs, QueueTimeout: DefaultQueueTimeout}},
		{in: Limits{MaxInFlight: 3}, want: Limits{MaxInFlight: 3, MaxQueue: 12, QueueTimeout: DefaultQueueTimeout}},
		{in: Limits{MaxInFlight: 3, MaxQueue: -1, QueueTimeout: time.Second}, want: Limits{MaxInFlight: 3, QueueTimeout: time.Second}},
	} {
		if diff := cmp.Diff(tc.want, tc.in.withDefaults()); diff != "" {
			t.Errorf("%+v.withDefaults() mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestThrottleError(t *testing.T) {
	t.Parallel()
	type shape struct {
		Code, Namespace, Message string
		Status                   int
	}
	for service, want := range map[string]shape{
		"dynamodb":   {"ThrottlingException", "com.amazon.coral.availability", "Rate exceeded", http.StatusBadRequest},
		"logs":       {"ThrottlingException", "com.amazon.coral.availability", "Rate exceeded", http.StatusBadRequest},
		"s3":         {"SlowDown", "", "Please reduce your request rate.", http.StatusServiceUnavailable},
		"lambda":     {"TooManyRequestsException", "", "Rate exceeded.", http.StatusTooManyRequests},
		"apigateway": {"TooManyRequestsException", "", "Too Many Requests", http.StatusTooManyRequests},
	} {
		e := throttleError(service)
		got := shape{e.Code, e.Namespace, e.Message, e.Status}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("throttleError(%q) mismatch (-want +got):\n%s", service, diff)
		}
	}
}
