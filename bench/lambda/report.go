package main

import (
	"fmt"
	"time"

	"github.com/fogbank/fogbank/bench/internal/load"
)

// printReport prints the run's figures as a markdown section.
func printReport(f figures) {
	p50 := func(r load.Result) time.Duration { return r.Percentile(0.50) }
	overhead := p50(f.warm1) - p50(f.handler)
	fmt.Print("## Lambda invoke (issue 6)\n\n")
	fmt.Print("A trivial Go handler (aws-lambda-go, `provided.al2023`, returns at once) invoked with the\n" +
		"aws-sdk-go-v2 Lambda client (SigV4, RequestResponse) on `fogbank serve`. Baselines, in the same run:\n" +
		"a bare HTTP GET of `/_fogbank/health` on the same server and client; the handler's own cycle under a\n" +
		"stub Runtime API run by the benchmark (event handed out on `/next` until its `/response` arrives);\n" +
		"the bare fork/exec of the same `bootstrap` until it polls the stub for its first event.\n\n")
	fmt.Println("| measure | fogbank | baseline | fogbank / baseline |")
	fmt.Println("|---|---|---|---|")
	fmt.Printf("| warm invoke, c=1 | %s | health GET: %s | %s |\n", f.warm1.Cell(), f.health1.Cell(), ratio(p50(f.warm1), p50(f.health1)))
	fmt.Printf("| handler cycle, c=1 | | stub Runtime API: %s | |\n", f.handler.Cell())
	fmt.Printf("| warm invoke, c=16 | %s | health GET: %s | %.2f (throughput) |\n", f.warm16.Cell(), f.health16.Cell(),
		f.warm16.Throughput()/f.health16.Throughput())
	fmt.Printf("| cold invoke (after UpdateFunctionConfiguration), n=%d | %s | bare fork/exec to first poll: %s | %s |\n",
		f.cold.Ops, percentiles(f.cold), percentiles(f.bareStart), ratio(p50(f.cold), p50(f.bareStart)))
	fmt.Printf("| Init Duration on the cold REPORT lines (%d of %d) | %s | | |\n\n", f.coldSeen, f.cold.Ops, percentiles(f.initDurations))
	fmt.Println("| target | figure | verdict |")
	fmt.Println("|---|---|---|")
	fmt.Printf("| warm invoke overhead over the handler, p50 < %v | %v (invoke p50 %v - handler cycle p50 %v; a bare HTTP round trip is %v) | %s |\n",
		overheadTarget, roundLatency(overhead), roundLatency(p50(f.warm1)), roundLatency(p50(f.handler)),
		roundLatency(p50(f.health1)), verdict(overhead < overheadTarget))
	fmt.Printf("| cold start p50 < %v | %v (%v over the bare start) | %s |\n", coldTarget,
		roundLatency(p50(f.cold)), roundLatency(p50(f.cold)-p50(f.bareStart)), verdict(p50(f.cold) < coldTarget))
	if f.coldSeen < int(f.cold.Ops) {
		fmt.Printf("\n%d of the %d invokes after a configuration change reported no Init Duration: they may have been warm.\n",
			int(f.cold.Ops)-f.coldSeen, f.cold.Ops)
	}
}

func percentiles(r load.Result) string {
	return fmt.Sprintf("p50 %v, p99 %v", roundLatency(r.Percentile(0.50)), roundLatency(r.Percentile(0.99)))
}

func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f (p50)", float64(a)/float64(b))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// roundLatency keeps about three significant digits.
func roundLatency(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
