// Package soak_test runs the school-offers workload (internal/soak)
// against a fogbank server process for a long time and checks that nothing
// leaks: many readers of small items (GetItem) and some writers (conditional
// UpdateItem with a version check), paced at a steady rate, while the
// server's RSS, goroutine count, open files and the calls' p99 latency are
// sampled. The mean of the last third of the samples must not rise above the
// first third's beyond a tolerance, and no call may fail with anything but a
// throttle or a lost version race.
//
// The short run (60 s, sampled every 2 s after a 5 s warm-up) is part of
// go test ./... and is skipped with -short; the full run is
//
//	FOGBANK_SOAK=10m go test ./test/soak -timeout 15m -v
//
// (sampled every 10 s). go run ./bench/soak runs the same soak for the
// performance report.
package soak_test

import (
	"os"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/fogproc"
	"github.com/fogbank/fogbank/internal/soak"
)

// soakPlan reads FOGBANK_SOAK: a duration selects the full run.
func soakPlan(t *testing.T) soak.Plan {
	v := os.Getenv("FOGBANK_SOAK")
	if v == "" {
		return soak.ShortPlan()
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("FOGBANK_SOAK=%q: want a duration such as 10m", v)
	}
	return soak.FullPlan(d)
}

func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server process under load for 60 s or more")
	}
	p := soakPlan(t)
	srv := startServer(t)
	res, err := soak.Run(t.Context(), srv, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + soak.SamplesTable(res.Points))
	if res.Calls.Errors > 0 {
		t.Errorf("%d calls failed with an error other than a throttle (first: %v)", res.Calls.Errors, res.Calls.FirstErr)
	}
	t.Logf("calls: %v", res.Calls)
	checkTrends(t, res.Points)
}

func checkTrends(t *testing.T, points []soak.Point) {
	t.Helper()
	verdicts, err := soak.Trends(points)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range verdicts {
		t.Logf("%s: first third %.1f, last third %.1f (limit %.1f %s)", v.Metric, v.First, v.Last, v.Limit, v.Unit)
		if !v.OK() {
			t.Errorf("%s rose from %.1f to %.1f %s, over the limit %.1f: a leak?", v.Metric, v.First, v.Last, v.Unit, v.Limit)
		}
	}
}

func startServer(t *testing.T) *fogproc.Server {
	t.Helper()
	bin, err := fogproc.Build(t.Context(), "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	logs, err := os.Create(t.TempDir() + "/server.log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logs.Close() })
	srv := &fogproc.Server{Bin: bin, DataDir: t.TempDir(), Stderr: logs}
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Errorf("stop server: %v", err)
		}
	})
	return srv
}
