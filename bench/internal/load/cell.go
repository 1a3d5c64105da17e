package load

import (
	"fmt"
	"time"
)

// Cell renders the run compactly for a markdown table cell: ops/s, then
// p50/p99/p999 latencies, then the error count when there were errors.
func (r Result) Cell() string {
	s := fmt.Sprintf("%.0f ops/s, p50 %v, p99 %v, p999 %v", r.Throughput(),
		roundLatency(r.Percentile(0.50)), roundLatency(r.Percentile(0.99)), roundLatency(r.Percentile(0.999)))
	if r.Errors > 0 {
		s += fmt.Sprintf(", %d errors (first: %v)", r.Errors, r.FirstErr)
	}
	return s
}

// roundLatency keeps three significant digits or so: 487µs, 1.86ms, 39.5ms.
func roundLatency(d time.Duration) time.Duration {
	switch {
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
