// Command soak runs the school-offers soak of test/soak against the built
// fogbank binary: 16 readers at 60 GetItem/s each and 4 writers at 20
// version-conditional UpdateItem/s each on 500 small offers, while the
// server's RSS, goroutine count, open files and the calls' p99 latency are
// sampled. It prints the samples and, per metric, whether the mean of the
// last third of the samples stayed within its limit over the first third's
// (no leak), and whether every call that failed was a throttle or a lost
// version race.
//
//	go run ./bench/soak                                     # 45 s, sampled every 2 s after 5 s, as in CI
//	go run ./bench/soak -duration 10m -warmup 30s -every 10s  # the full run
//
//fogbank:report -duration 45s -warmup 5s -every 2s
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/fogbank/fogbank/internal/fogproc"
	"github.com/fogbank/fogbank/internal/soak"
)

func main() {
	short := soak.ShortPlan()
	var p soak.Plan
	flag.DurationVar(&p.Duration, "duration", short.Duration, "whole run, warm-up included")
	flag.DurationVar(&p.Warmup, "warmup", short.Warmup, "unsampled time at the start")
	flag.DurationVar(&p.Every, "every", short.Every, "sampling interval")
	flag.Parse()
	if err := run(context.Background(), p); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, p soak.Plan) error {
	tmp, err := os.MkdirTemp("", "fogbank-soak-")
	if err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	defer os.RemoveAll(tmp)
	bin, err := fogproc.Build(ctx, ".", "./cmd/fogbank", tmp)
	if err != nil {
		return err
	}
	srv := &fogproc.Server{Bin: bin, DataDir: tmp + "/data", Stderr: devNull()}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	defer srv.Stop()
	res, err := soak.Run(ctx, srv, p)
	if err != nil {
		return err
	}
	verdicts, err := soak.Trends(res.Points)
	if err != nil {
		return fmt.Errorf("%w (sample more often with -every, or run longer with -duration)", err)
	}
	printSection(p, res, verdicts)
	return nil
}

func printSection(p soak.Plan, res soak.Result, verdicts []soak.Verdict) {
	fmt.Printf("%v run, sampled every %v after a %v warm-up; calls: %v.\n\n", p.Duration, p.Every, p.Warmup, res.Calls)
	fmt.Println(soak.SamplesTable(res.Points))
	fmt.Print(soak.VerdictTable(verdicts))
	fmt.Printf("\nCalls failed other than by a throttle or a lost version race: %d (target 0): %s.\n", res.Calls.Errors, verdict(res.Calls.Errors == 0))
	if res.Calls.FirstErr != nil {
		fmt.Printf("\nfirst error other than a throttle: %v\n", res.Calls.FirstErr)
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func devNull() *os.File {
	f, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	return f
}
