package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/fogbank/fogbank/bench/internal/load"
)

func printIntro() {
	fmt.Print("## S3 objects (issue 7)\n\n")
	fmt.Print("PutObject and GetObject through the aws-sdk-go-v2 S3 client (path-style, SigV4 with the payload\n" +
		"hash, the SDK's default CRC32 checksums) on `fogbank serve` (object bytes sealed with AES-256-GCM,\n" +
		"SSE-S3, always on; fsynced and renamed before the PUT is acknowledged). Baseline in the same run,\n" +
		"on the same disk: raw file I/O from the benchmark process (put: write a temporary file, fsync,\n" +
		"rename; get: read the file, from the page cache), and `net/http`: the same files served by Go's\n" +
		"`http.FileServer` (sendfile) on a loopback port and read with a plain net/http client, the floor of\n" +
		"any HTTP object server on this machine. Peer: [s3rver](https://github.com/jamhall/s3rver)\n" +
		"(Node.js, files without fsync), same client. Rates in MiB/s of object bytes; \"fogbank / x\" above 1\n" +
		"means Fogbank is faster.\n\n")
}

func printHeader(targets []target) {
	fmt.Print("| op | size | c |")
	sep := "|---|---|---|"
	for i, t := range targets {
		fmt.Printf(" %s |", t.name)
		sep += "---|"
		if i > 0 {
			fmt.Printf(" fogbank / %s |", t.name)
			sep += "---|"
		}
	}
	fmt.Println(" target |")
	fmt.Println(sep + "---|")
}

// printRow prints one workload's results, results[0] being Fogbank's.
func printRow(w workload, targets []target, results []load.Result) {
	fmt.Printf("| %s | %s | %d |", w.op, sizeName(w.size), w.cfg.Concurrency)
	for i, r := range results {
		fmt.Printf(" %s |", cell(r, w.size))
		if i > 0 {
			fmt.Printf(" %s |", ratio(results[0], r))
		}
	}
	fmt.Printf(" %s |\n", verdict(w, results))
}

// verdict is the target verdict for the 1 MiB GET rows: Fogbank's rate against the
// file read rate (results[1]).
func verdict(w workload, results []load.Result) string {
	if w.op != "GET" || w.size != 1<<20 {
		return ""
	}
	v := "met"
	if results[0].Throughput() < getTarget*results[1].Throughput() {
		v = "NOT met"
	}
	return fmt.Sprintf(">= %.2f of file: %s", getTarget, v)
}

// cell renders a result as MiB/s, ops/s and latencies.
func cell(r load.Result, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%.1f MiB/s, %.0f ops/s, p50 %v, p99 %v", r.Throughput()*float64(size)/(1<<20), r.Throughput(),
		roundLatency(r.Percentile(0.50)), roundLatency(r.Percentile(0.99)))
	if r.Errors > 0 {
		fmt.Fprintf(&b, ", %d errors (first: %v)", r.Errors, r.FirstErr)
	}
	return b.String()
}

// ratio is a's throughput over b's, unless either run had errors.
func ratio(a, b load.Result) string {
	if a.Errors > 0 || b.Errors > 0 || b.Throughput() == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", a.Throughput()/b.Throughput())
}

func sizeName(size int) string {
	if size >= 1<<20 {
		return fmt.Sprintf("%d MiB", size>>20)
	}
	return fmt.Sprintf("%d KiB", size>>10)
}

// roundLatency keeps about three significant digits.
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
