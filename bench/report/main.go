// Command report runs Fogbank's benchmarks, each with its same-run baseline,
// and rewrites docs/perf.md: the machine, the commit, a summary of targets
// met, and one section per benchmark with its figures, its ratios to its
// baseline and whether it meets the target its issue set.
//
//	go run ./bench/report                      # everything, about 5 minutes on 2 cores
//	go run ./bench/report -only dynamodb,startup -out /tmp/perf.md
//
// Run it from the module root on a quiet machine; with a PostgreSQL test
// database (eval "$(.ci/postgres.sh)") the PostgreSQL figures are measured
// too. The benchmarks are every
// main package under bench/ except the tools (ceiling, loadgen, report),
// plus the storage engines' go test benchmarks. A benchmark program prints
// its figures as markdown on stdout (a table, or a section starting with a
// "## " heading; plain text is fenced). A line
//
//	//fogbank:report -duration 2s
//
// before its package clause gives the arguments of a short run, so that
// the whole report stays within its time budget (-budget, 14 minutes by
// default). A program that fails, or runs out of time, gets a section
// saying so, with its last line of standard error.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"
)

func main() {
	var (
		out    = flag.String("out", "docs/perf.md", "file to write")
		only   = flag.String("only", "", "comma-separated benchmark names to run (default all)")
		budget = flag.Duration("budget", 14*time.Minute, "total time for all benchmarks")
	)
	flag.Parse()
	if err := run(context.Background(), *out, *only, *budget); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out, only string, budget time.Duration) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("report: run from the module root: %w", err)
	}
	machine := describeMachine(ctx)
	jobs, err := selectJobs(only)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "fogbank-report-")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.RemoveAll(tmp)
	deadline := time.Now().Add(budget)
	var outcomes []outcome
	for _, j := range jobs {
		log.Printf("report: running %s", j.name)
		o := j.run(ctx, tmp, deadline)
		log.Printf("report: %s took %v: %s", j.name, o.took.Round(time.Second), o.status())
		outcomes = append(outcomes, o)
	}
	doc := render(machine, outcomes)
	if err := os.WriteFile(out, []byte(doc), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	log.Printf("report: wrote %s", out)
	return nil
}

// selectJobs returns every benchmark, or those named in only.
func selectJobs(only string) ([]job, error) {
	all, err := discover("bench")
	if err != nil {
		return nil, err
	}
	if only == "" {
		return all, nil
	}
	byName := map[string]job{}
	for _, j := range all {
		byName[j.name] = j
	}
	var picked []job
	for name := range strings.SplitSeq(only, ",") {
		j, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("report: no benchmark %q", name)
		}
		picked = append(picked, j)
	}
	return picked, nil
}
