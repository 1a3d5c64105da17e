// Package load is the closed-loop load generator behind Fogbank's benchmarks:
// a fixed number of workers call one operation back to back for a bounded
// time and count, and the run reports throughput and latency percentiles.
package load

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Config bounds one run.
type Config struct {
	// Concurrency is the number of workers, each with one call in flight.
	Concurrency int
	// Duration is how long the run lasts after warm-up.
	Duration time.Duration
	// Warmup is run first and not measured.
	Warmup time.Duration
	// MaxOps stops the run early after this many measured calls; 0 means no cap.
	MaxOps int64
}

// Op is one call. worker identifies the calling worker (0..Concurrency-1) and
// seq counts that worker's calls, so operations can pick distinct keys.
type Op func(ctx context.Context, worker int, seq int64) error

// Result is what one run measured.
type Result struct {
	Ops      int64
	Errors   int64
	FirstErr error
	Elapsed  time.Duration
	// Latencies are the measured calls' durations, sorted ascending.
	Latencies []time.Duration
}

// Run drives op with cfg.Concurrency workers: first for cfg.Warmup, unmeasured,
// then for cfg.Duration (or until cfg.MaxOps calls), measured.
func Run(ctx context.Context, cfg Config, op Op) Result {
	if cfg.Warmup > 0 {
		phase(ctx, cfg.Concurrency, cfg.Warmup, 0, op, false)
	}
	return phase(ctx, cfg.Concurrency, cfg.Duration, cfg.MaxOps, op, true)
}

func phase(ctx context.Context, workers int, d time.Duration, maxOps int64, op Op, measure bool) Result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		wg       sync.WaitGroup
		ops      atomic.Int64
		errs     atomic.Int64
		mu       sync.Mutex
		firstErr error
		lat      = make([][]time.Duration, workers)
	)
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			for seq := int64(0); ctx.Err() == nil; seq++ {
				if maxOps > 0 && ops.Add(1) > maxOps {
					return
				}
				t0 := time.Now()
				err := op(ctx, w, seq)
				if ctx.Err() != nil {
					return // the call was cut short by the end of the run
				}
				if measure {
					lat[w] = append(lat[w], time.Since(t0))
				}
				if err != nil {
					errs.Add(1)
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	res := Result{Errors: errs.Load(), FirstErr: firstErr, Elapsed: time.Since(start)}
	for _, l := range lat {
		res.Latencies = append(res.Latencies, l...)
	}
	slices.Sort(res.Latencies)
	res.Ops = int64(len(res.Latencies))
	return res
}

// Throughput is measured calls per second.
func (r Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Ops) / r.Elapsed.Seconds()
}

// Percentile returns the latency below which a fraction p (0..1) of calls fell.
func (r Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(p * float64(len(r.Latencies)-1))
	return r.Latencies[i]
}

// String renders the run as one line: ops/s and p50/p99/p999 latencies.
func (r Result) String() string {
	s := fmt.Sprintf("%9.0f ops/s  p50 %-9v p99 %-9v p999 %-9v (%d ops, %d errors)",
		r.Throughput(), r.Percentile(0.50).Round(time.Microsecond), r.Percentile(0.99).Round(time.Microsecond),
		r.Percentile(0.999).Round(time.Microsecond), r.Ops, r.Errors)
	if r.FirstErr != nil {
		s += fmt.Sprintf(" first error: %v", r.FirstErr)
	}
	return s
}
