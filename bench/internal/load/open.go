package load

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// OpenConfig bounds one open-loop run: calls start at a fixed rate whether
// or not earlier calls have finished, as independent users arrive, so an
// overloaded server sees the load grow instead of the clients slowing down.
type OpenConfig struct {
	// Rate is how many calls start per second.
	Rate float64
	// Duration is how long calls keep starting; calls still in flight at
	// the end are waited for, up to Drain.
	Duration time.Duration
	// Drain bounds the wait for the last calls; 5s when zero.
	Drain time.Duration
	// Warmup is an unmeasured open loop at Rate run first, so that the
	// figures are those of the steady state at that rate rather than of
	// the backlog an earlier load left behind.
	Warmup time.Duration
	// MaxOutstanding caps the calls in flight; an arrival that finds the cap
	// reached is not sent and is counted in OpenResult.Dropped.
	MaxOutstanding int
	// Shed reports whether a call's error is the server shedding load (a
	// throttling error); nil counts every error as a failure.
	Shed func(error) bool
}

// OpenResult is what one open-loop run measured. Its Result holds the
// successful calls only: Ops, Throughput (goodput) and Percentile are those
// of the admitted, successful calls; Errors counts failures other than
// shedding.
type OpenResult struct {
	Result
	// Offered counts the calls sent.
	Offered int64
	// Dropped counts the arrivals not sent because MaxOutstanding calls
	// were in flight.
	Dropped int64
	// Shed counts the calls the server shed.
	Shed int64
}

// openRecorder collects call outcomes from the call goroutines.
type openRecorder struct {
	mu  sync.Mutex
	res OpenResult
}

func (r *openRecorder) record(lat time.Duration, err error, shed func(error) bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err == nil:
		r.res.Latencies = append(r.res.Latencies, lat)
	case shed != nil && shed(err):
		r.res.Shed++
	default:
		r.res.Errors++
		if r.res.FirstErr == nil {
			r.res.FirstErr = err
		}
	}
}

// RunOpen starts op at cfg.Rate for cfg.Duration, at most
// cfg.MaxOutstanding at a time, and waits for the calls in flight. A call's
// latency runs from its start to its return. Each call gets worker 0 and
// its arrival number as seq. An unmeasured cfg.Warmup at the same rate
// comes first.
func RunOpen(ctx context.Context, cfg OpenConfig, op Op) OpenResult {
	if cfg.Warmup > 0 {
		warm := cfg
		warm.Duration, warm.Warmup = cfg.Warmup, 0
		RunOpen(ctx, warm, op)
	}
	drain := cfg.Drain
	if drain <= 0 {
		drain = 5 * time.Second
	}
	callCtx, cancel := context.WithTimeout(ctx, cfg.Duration+drain)
	defer cancel()
	var (
		rec   openRecorder
		wg    sync.WaitGroup
		slots = make(chan struct{}, max(1, cfg.MaxOutstanding))
		start = time.Now()
	)
	for seq := int64(0); ctx.Err() == nil; seq++ {
		due := time.Duration(float64(seq) * float64(time.Second) / cfg.Rate)
		if due >= cfg.Duration {
			break
		}
		if wait := due - time.Since(start); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case slots <- struct{}{}:
		default:
			rec.res.Dropped++ // only this goroutine touches Dropped and Offered
			continue
		}
		rec.res.Offered++
		wg.Go(func() {
			defer func() { <-slots }()
			t0 := time.Now()
			err := op(callCtx, 0, seq)
			rec.record(time.Since(t0), err, cfg.Shed)
		})
	}
	wg.Wait()
	rec.res.Elapsed = min(time.Since(start), cfg.Duration)
	slices.Sort(rec.res.Latencies)
	rec.res.Ops = int64(len(rec.res.Latencies))
	return rec.res
}

// ShedRate is the shed calls per second.
func (r OpenResult) ShedRate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Shed) / r.Elapsed.Seconds()
}

// OfferedRate is the calls sent per second.
func (r OpenResult) OfferedRate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Offered) / r.Elapsed.Seconds()
}

// String renders the run as one line.
func (r OpenResult) String() string {
	s := fmt.Sprintf("offered %.0f/s, goodput %.0f ops/s, shed %.0f/s, dropped %d, p50 %v p99 %v (admitted)",
		r.OfferedRate(), r.Throughput(), r.ShedRate(), r.Dropped,
		roundLatency(r.Percentile(0.50)), roundLatency(r.Percentile(0.99)))
	if r.Errors > 0 {
		s += fmt.Sprintf(", %d errors (first: %v)", r.Errors, r.FirstErr)
	}
	return s
}
