package soak

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/fogproc"
	"github.com/fogbank/fogbank/internal/server"
)

// Point is one sample of the server process.
type Point struct {
	// At is the time since the start of the run, to the second.
	At time.Duration
	// RSS is the process's resident set size in bytes.
	RSS int64
	// Goroutines is the server's goroutine count.
	Goroutines int
	// OpenFiles is the number of the process's open file descriptors.
	OpenFiles int
	// P99 is the p99 latency of the calls since the previous sample.
	P99 time.Duration
}

// sample waits out p.Warmup, then samples srv every p.Every until
// p.Duration has passed since the start.
func sample(ctx context.Context, srv *fogproc.Server, stats *callStats, p Plan) ([]Point, error) {
	start := time.Now()
	select {
	case <-ctx.Done():
		return nil, nil
	case <-time.After(p.Warmup):
	}
	stats.p99() // the warm-up's latencies are not sampled
	tick := time.NewTicker(p.Every)
	defer tick.Stop()
	var points []Point
	for time.Since(start) < p.Duration {
		select {
		case <-ctx.Done():
			return points, nil
		case <-tick.C:
		}
		pt, err := measure(ctx, srv)
		if err != nil {
			return points, fmt.Errorf("soak: sample: %w", err)
		}
		pt.At, pt.P99 = time.Since(start).Round(time.Second), stats.p99()
		points = append(points, pt)
	}
	return points, nil
}

// measure reads the server's RSS and open files from /proc and its
// goroutine count from its runtime endpoint.
func measure(ctx context.Context, srv *fogproc.Server) (Point, error) {
	rss, err := fogproc.RSS(srv.Pid())
	if err != nil {
		return Point{}, err
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", srv.Pid()))
	if err != nil {
		return Point{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+server.RuntimePath, nil)
	if err != nil {
		return Point{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Point{}, err
	}
	defer resp.Body.Close()
	var stats server.RuntimeStats
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		return Point{}, fmt.Errorf("runtime stats: %w", err)
	}
	return Point{RSS: rss, Goroutines: stats.Goroutines, OpenFiles: len(fds)}, nil
}

// SamplesTable renders points as a markdown table.
func SamplesTable(points []Point) string {
	var b strings.Builder
	b.WriteString("| t | RSS | goroutines | open files | p99 |\n|---|---|---|---|---|\n")
	for _, p := range points {
		fmt.Fprintf(&b, "| %v | %.1f MiB | %d | %d | %v |\n", p.At, mib(float64(p.RSS)), p.Goroutines, p.OpenFiles, p.P99.Round(10*time.Microsecond))
	}
	return b.String()
}

func mib(b float64) float64 { return b / (1 << 20) }
