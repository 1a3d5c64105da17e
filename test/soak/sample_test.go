package soak_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/fogproc"
	"github.com/fogbank/fogbank/internal/server"
)

// point is one sample of the server process.
type point struct {
	at         time.Duration
	rss        int64
	goroutines int
	openFiles  int
	p99        time.Duration
}

// sample waits out p.warmup, then samples srv every p.every until
// p.duration has passed since the start.
func sample(ctx context.Context, t *testing.T, srv *fogproc.Server, stats *callStats, p plan) []point {
	t.Helper()
	start := time.Now()
	select {
	case <-ctx.Done():
		return nil
	case <-time.After(p.warmup):
	}
	stats.p99() // the warm-up's latencies are not sampled
	tick := time.NewTicker(p.every)
	defer tick.Stop()
	var points []point
	for time.Since(start) < p.duration {
		select {
		case <-ctx.Done():
			return points
		case <-tick.C:
		}
		pt, err := measure(srv)
		if err != nil {
			t.Fatalf("sample: %v", err)
		}
		pt.at, pt.p99 = time.Since(start).Round(time.Second), stats.p99()
		points = append(points, pt)
	}
	return points
}

// measure reads the server's RSS and open files from /proc and its
// goroutine count from its runtime endpoint.
func measure(srv *fogproc.Server) (point, error) {
	rss, err := fogproc.RSS(srv.Pid())
	if err != nil {
		return point{}, err
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", srv.Pid()))
	if err != nil {
		return point{}, err
	}
	resp, err := http.Get(srv.URL() + server.RuntimePath)
	if err != nil {
		return point{}, err
	}
	defer resp.Body.Close()
	var stats server.RuntimeStats
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		return point{}, fmt.Errorf("runtime stats: %w", err)
	}
	return point{rss: rss, goroutines: stats.Goroutines, openFiles: len(fds)}, nil
}

func logSamples(t *testing.T, points []point) {
	t.Helper()
	var b strings.Builder
	b.WriteString("\n| t | RSS | goroutines | open files | p99 |\n|---|---|---|---|---|\n")
	for _, p := range points {
		fmt.Fprintf(&b, "| %v | %.1f MiB | %d | %d | %v |\n", p.at, mib(float64(p.rss)), p.goroutines, p.openFiles, p.p99.Round(10*time.Microsecond))
	}
	t.Log(b.String())
}

func mib(b float64) float64 { return b / (1 << 20) }

// trend is one metric's leak check: the mean of the last third of the
// samples may exceed the first third's by at most factor times it plus
// slack.
type trend struct {
	name          string
	of            func(point) float64
	factor, slack float64
	unit          string
}

var trends = []trend{
	{name: "RSS", of: func(p point) float64 { return mib(float64(p.rss)) }, factor: 1.25, slack: 16, unit: "MiB"},
	{name: "goroutines", of: func(p point) float64 { return float64(p.goroutines) }, factor: 1.25, slack: 20},
	{name: "open files", of: func(p point) float64 { return float64(p.openFiles) }, factor: 1, slack: 16},
	// Latency on a shared machine is noisy: only a large, sustained rise fails.
	{name: "p99 (ms)", of: func(p point) float64 { return p.p99.Seconds() * 1000 }, factor: 3, slack: 50, unit: "ms"},
}

func checkTrends(t *testing.T, points []point) {
	t.Helper()
	if len(points) < 6 {
		t.Fatalf("only %d samples; want at least 6", len(points))
	}
	third := len(points) / 3
	for _, tr := range trends {
		first, last := meanOf(points[:third], tr.of), meanOf(points[len(points)-third:], tr.of)
		limit := first*tr.factor + tr.slack
		t.Logf("%s: first third %.1f, last third %.1f (limit %.1f %s)", tr.name, first, last, limit, tr.unit)
		if last > limit {
			t.Errorf("%s rose from %.1f to %.1f %s, over the limit %.1f: a leak?", tr.name, first, last, tr.unit, limit)
		}
	}
}

func meanOf(points []point, of func(point) float64) float64 {
	var sum float64
	for _, p := range points {
		sum += of(p)
	}
	return sum / float64(len(points))
}
