// Command overload measures how Fogbank behaves beyond its capacity. It
// measures the peak GetItem rate of the built fogbank binary (closed loop,
// 64 workers), then offers 1x, 2x and 4x that rate open loop, new calls
// starting on schedule whatever the earlier ones do, and prints for each
// the goodput (successful calls/s), the rate of calls shed with
// ThrottlingException, the p50/p99 latency of admitted calls and the
// server's peak RSS. Admission control should keep goodput near the peak
// and the admitted calls' p99 and the memory bounded.
//
// The client replays GetItem requests signed once per key with the fixed
// root credentials (valid for the 15 minutes of SigV4 skew), so that on a
// small machine the load generator costs far less CPU than the server.
//
//	go run ./bench/overload -duration 5s
//
//fogbank:report -duration 4s -warmup 1s
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/fogbank/fogbank/bench/internal/ddbload"
	"github.com/fogbank/fogbank/bench/internal/load"
	"github.com/fogbank/fogbank/internal/fogproc"
)

// Targets: goodput under overload as a share of the peak, and how far the
// admitted calls' p99 and the RSS may rise over their 1x values.
const (
	goodputShare = 0.70
	p99Headroom  = 250 * time.Millisecond // the 150ms queue timeout, plus slack
	rssHeadroom  = 64 << 20
)

// phase is one offered load's measurements.
type phase struct {
	multiple float64
	res      load.OpenResult
	peakRSS  int64
}

func main() {
	var (
		duration = flag.Duration("duration", 5*time.Second, "measured time of the peak run and of each overload phase")
		warmup   = flag.Duration("warmup", time.Second, "unmeasured warm-up before the peak run")
		conc     = flag.Int("c", 64, "workers of the closed-loop peak run")
		keys     = flag.Int("keys", 1000, "distinct items read")
		maxOut   = flag.Int("max-outstanding", 1024, "calls in flight at most in the open-loop phases")
	)
	flag.Parse()
	if err := run(context.Background(), *duration, *warmup, *conc, *keys, *maxOut); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, duration, warmup time.Duration, conc, keys, maxOut int) error {
	tmp, err := os.MkdirTemp("", "fogbank-overload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := fogproc.Build(ctx, ".", "./cmd/fogbank", tmp)
	if err != nil {
		return err
	}
	fog := &fogproc.Server{Bin: bin, DataDir: tmp + "/data", Stderr: devNull()}
	if err := fog.Start(ctx); err != nil {
		return err
	}
	defer fog.Stop()
	w := ddbload.Workload{Table: "overload", Size: 1024, Keys: keys}
	db := fog.DynamoDB()
	if err := w.CreateTable(ctx, db); err != nil {
		return err
	}
	if err := w.Preload(ctx, db); err != nil {
		return err
	}
	client, err := newReplayClient(ctx, fog.URL(), w.Table, keys, maxOut)
	if err != nil {
		return err
	}
	idleRSS, err := fogproc.RSS(fog.Pid())
	if err != nil {
		return err
	}
	peak := load.Run(ctx, load.Config{Concurrency: conc, Duration: duration, Warmup: warmup}, client.getItem)
	if peak.Errors > 0 {
		return fmt.Errorf("peak run: %d errors (first: %v)", peak.Errors, peak.FirstErr)
	}
	fmt.Printf("peak (closed loop, c=%d): %s\n\nserver RSS before the load: %s\n\n", conc, peak.Cell(), mib(idleRSS))
	var phases []phase
	for _, m := range []float64{1, 2, 4} {
		cfg := load.OpenConfig{Rate: m * peak.Throughput(), Duration: duration, MaxOutstanding: maxOut, Shed: isThrottle}
		var res load.OpenResult
		peakRSS := sampleRSS(fog.Pid(), func() { res = load.RunOpen(ctx, cfg, client.getItem) })
		phases = append(phases, phase{multiple: m, res: res, peakRSS: peakRSS})
	}
	printTable(peak, phases)
	return nil
}

func printTable(peak load.Result, phases []phase) {
	fmt.Println("| offered | sent/s | goodput | goodput / peak | shed/s | not sent | errors | admitted p50 | admitted p99 | server peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	for _, p := range phases {
		r := p.res
		fmt.Printf("| %gx | %.0f | %.0f ops/s | %.2f | %.0f | %d | %d | %v | %v | %s |\n",
			p.multiple, r.OfferedRate(), r.Throughput(), r.Throughput()/peak.Throughput(), r.ShedRate(),
			r.Dropped, r.Errors, round(r.Percentile(0.5)), round(r.Percentile(0.99)), mib(p.peakRSS))
	}
	base, worst := phases[0], phases[len(phases)-1]
	fmt.Println()
	fmt.Println("| measure | value | target | verdict |")
	fmt.Println("|---|---|---|---|")
	for _, p := range phases[1:] {
		share := p.res.Throughput() / peak.Throughput()
		fmt.Printf("| goodput at %gx / peak | %.2f | >= %.2f | %s |\n", p.multiple, share, goodputShare, verdict(share >= goodputShare))
	}
	p99Limit := base.res.Percentile(0.99) + p99Headroom
	fmt.Printf("| admitted p99 at %gx | %v | < %v | %s |\n", worst.multiple, round(worst.res.Percentile(0.99)),
		round(p99Limit), verdict(worst.res.Percentile(0.99) < p99Limit))
	rssLimit := base.peakRSS + rssHeadroom
	fmt.Printf("| server peak RSS at %gx | %s | < %s | %s |\n", worst.multiple, mib(worst.peakRSS), mib(rssLimit),
		verdict(worst.peakRSS < rssLimit))
	if worst.res.FirstErr != nil {
		fmt.Printf("\nfirst error other than a throttle at %gx: %v\n", worst.multiple, worst.res.FirstErr)
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func round(d time.Duration) time.Duration {
	if d >= 10*time.Millisecond {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(10 * time.Microsecond)
}

func devNull() *os.File {
	f, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	return f
}
