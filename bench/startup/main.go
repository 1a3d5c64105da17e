// Command startup measures how fast `fogbank serve` is ready on an empty data
// directory (process start to the first 200 from its health endpoint) and how
// much memory it holds when idle (VmRSS after a pause), over several trials.
//
//	go run ./bench/startup -n 10
//
// Besides the two figures with targets it prints, for diagnosis, the CPU time
// the process had used when it was ready (all threads; unlike the wall time,
// it hardly moves with machine load) and the idle RSS split into anonymous
// memory and file-backed pages of the binary. -bin measures a binary built
// beforehand instead of building ./cmd/fogbank.
//
// Each trial starts from a quiet disk: the dirty pages that earlier trials
// (or an earlier benchmark) left are written back first (sync(2)), so that
// their writeback does not land in the new store's fsyncs.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fogbank/fogbank/internal/fogproc"
)

func main() {
	trials := flag.Int("n", 10, "number of cold starts")
	idle := flag.Duration("idle", 2*time.Second, "pause before reading RSS")
	bin := flag.String("bin", "", "fogbank binary to measure (default: build ./cmd/fogbank)")
	flag.Parse()
	if err := run(context.Background(), *bin, *trials, *idle); err != nil {
		log.Fatal(err)
	}
}

// trial is what one cold start measured.
type trial struct {
	ready, cpu       time.Duration
	rss, anon, files int64 // KiB
}

func run(ctx context.Context, bin string, trials int, idle time.Duration) error {
	tmp, err := os.MkdirTemp("", "fogbank-startup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		if bin, err = fogproc.Build(ctx, ".", "./cmd/fogbank", tmp); err != nil {
			return err
		}
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	var results []trial
	for i := range trials {
		srv := &fogproc.Server{Bin: bin, DataDir: fmt.Sprintf("%s/data-%d", tmp, i), Stderr: devNull}
		t, err := measure(ctx, srv, idle)
		if err != nil {
			return err
		}
		results = append(results, t)
	}
	report(results)
	return nil
}

// measure starts srv on a quiet disk, waits until it is ready and then
// idle, and stops it.
func measure(ctx context.Context, srv *fogproc.Server, idle time.Duration) (trial, error) {
	syscall.Sync()
	start := time.Now()
	if err := srv.Start(ctx); err != nil {
		return trial{}, err
	}
	defer srv.Stop()
	t := trial{ready: time.Since(start), cpu: cpuTime(srv.Pid())}
	time.Sleep(idle)
	status, err := readStatus(srv.Pid())
	if err != nil {
		return trial{}, err
	}
	t.rss, t.anon, t.files = status["VmRSS"], status["RssAnon"], status["RssFile"]
	return t, nil
}

func report(results []trial) {
	n := len(results)
	med := func(f func(trial) int64) (median, maxV int64) {
		v := make([]int64, n)
		for i, t := range results {
			v[i] = f(t)
		}
		slices.Sort(v)
		return v[n/2], v[n-1]
	}
	ms := func(d int64) time.Duration { return time.Duration(d).Round(100 * time.Microsecond) }
	mib := func(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }
	m, x := med(func(t trial) int64 { return int64(t.ready) })
	fmt.Printf("ready on an empty data dir: median %v, max %v (target < 50ms)\n", ms(m), ms(x))
	m, x = med(func(t trial) int64 { return t.rss })
	fmt.Printf("idle RSS: median %s, max %s (target < 30 MiB)\n", mib(m), mib(x))
	m, x = med(func(t trial) int64 { return int64(t.cpu) })
	fmt.Printf("CPU time used when ready (all threads): median %v, max %v\n", ms(m), ms(x))
	a, _ := med(func(t trial) int64 { return t.anon })
	f, _ := med(func(t trial) int64 { return t.files })
	fmt.Printf("idle RSS split: median %s anonymous, %s file-backed (the binary and libraries)\n", mib(a), mib(f))
}

// cpuTime returns the CPU time all of pid's threads have used so far, from
// the scheduler statistics (nanoseconds, unlike the clock ticks of
// /proc/PID/stat); zero where they cannot be read.
func cpuTime(pid int) time.Duration {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "task")
	tasks, _ := os.ReadDir(dir)
	var total time.Duration
	for _, task := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, task.Name(), "schedstat"))
		if err != nil {
			continue // the thread has exited
		}
		if ns, err := strconv.ParseInt(strings.Fields(string(b))[0], 10, 64); err == nil {
			total += time.Duration(ns)
		}
	}
	return total
}

// readStatus returns the kB fields of /proc/PID/status (VmRSS, RssAnon,
// RssFile, ...) in KiB.
func readStatus(pid int) (map[string]int64, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return nil, err
	}
	fields := map[string]int64{}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		value, isKB := strings.CutSuffix(strings.TrimSpace(value), " kB")
		if !ok || !isKB {
			continue
		}
		if kib, err := strconv.ParseInt(value, 10, 64); err == nil {
			fields[name] = kib
		}
	}
	if _, ok := fields["VmRSS"]; !ok {
		return nil, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return fields, nil
}
