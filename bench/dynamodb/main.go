// Command dynamodb benchmarks Fogbank's GetItem and PutItem (1 KB items, at
// concurrency 1 and 64) against the built fogbank binary and, in the same run,
// against the ceiling server (bench/ceiling): a minimal net/http server that
// decodes and answers the same JSON. It prints each figure and the ratio of
// Fogbank's throughput to the ceiling's. With -peers (the default) it runs the
// same workload against dynalite (installed with npm on first use, see
// bench/internal/peer) and prints Fogbank's ratio to it too; the peer is
// skipped, with a note, when it cannot be installed or started.
//
//	go run ./bench/dynamodb -duration 5s
//
//fogbank:report -duration 2s -warmup 500ms
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/fogbank/fogbank/bench/internal/ddbload"
	"github.com/fogbank/fogbank/bench/internal/load"
	"github.com/fogbank/fogbank/bench/internal/peer"
	"github.com/fogbank/fogbank/internal/fogproc"
)

// targets are the goals: Fogbank's share of the ceiling at c=64.
var targets = map[string]float64{"GetItem": 0.40, "PutItem": 0.20}

func main() {
	var (
		duration = flag.Duration("duration", 5*time.Second, "measured time per workload")
		warmup   = flag.Duration("warmup", time.Second, "unmeasured warm-up per workload")
		conc     = flag.String("c", "1,64", "comma-separated concurrency levels")
		size     = flag.Int("size", 1024, "item size in bytes")
		keys     = flag.Int("keys", 1000, "distinct items read by GetItem")
		peers    = flag.Bool("peers", true, "also run the workload against dynalite")
	)
	flag.Parse()
	ctx := context.Background()
	if err := run(ctx, *duration, *warmup, *conc, *size, *keys, *peers); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, duration, warmup time.Duration, conc string, size, keys int, peers bool) error {
	tmp, err := os.MkdirTemp("", "fogbank-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fogBin, err := fogproc.Build(ctx, ".", "./cmd/fogbank", tmp)
	if err != nil {
		return err
	}
	ceilBin, err := fogproc.Build(ctx, ".", "./bench/ceiling", tmp)
	if err != nil {
		return err
	}
	fog := &fogproc.Server{Bin: fogBin, DataDir: tmp + "/data", Stderr: devNull()}
	if err := fog.Start(ctx); err != nil {
		return err
	}
	defer fog.Stop()
	ceil, stop, err := startCeiling(ceilBin)
	if err != nil {
		return err
	}
	defer stop()

	w := ddbload.Workload{Table: "bench", Size: size, Keys: keys, Load: load.Config{Duration: duration, Warmup: warmup}}
	fogDB, ceilDB := fog.DynamoDB(), dynamodb.NewFromConfig(fogproc.ClientConfig(ceil))
	if err := w.CreateTable(ctx, fogDB); err != nil {
		return err
	}
	for _, db := range []*dynamodb.Client{fogDB, ceilDB} {
		if err := w.Preload(ctx, db); err != nil {
			return err
		}
	}
	peerDB, peerSrv := startPeer(ctx, w, peers)
	if peerSrv != nil {
		defer peerSrv.Stop()
	}
	fmt.Print("| op | c | fogbank | ceiling | ratio | target |")
	if peerDB != nil {
		fmt.Print(" dynalite | fogbank / dynalite |")
	}
	fmt.Print("\n|---|---|---|---|---|---|")
	if peerDB != nil {
		fmt.Print("---|---|")
	}
	fmt.Println()
	var peerErrors int64
	for _, op := range []string{"GetItem", "PutItem"} {
		for _, c := range strings.Split(conc, ",") {
			n, err := strconv.Atoi(c)
			if err != nil {
				return fmt.Errorf("bad -c %q: %w", c, err)
			}
			w.Load.Concurrency = n
			f, err := w.Run(ctx, fogDB, op)
			if err != nil {
				return err
			}
			cl, err := w.Run(ctx, ceilDB, op)
			if err != nil {
				return err
			}
			fmt.Printf("| %s | %d | %s | %s | %.2f | %s |", op, n, f.Cell(), cl.Cell(), f.Throughput()/cl.Throughput(), target(op, n, f, cl))
			if peerDB != nil {
				p, err := w.Run(ctx, peerDB, op)
				if err != nil {
					return err
				}
				fmt.Printf(" %s | %s |", p.Cell(), peerRatio(f, p))
				peerErrors += p.Errors
			}
			fmt.Println()
		}
	}
	if peerErrors > 0 {
		fmt.Printf("\ndynalite failed; the end of its log:\n\n```text\n%s\n```\n", peerSrv.LogTail(20))
	}
	return nil
}

func target(op string, c int, f, cl load.Result) string {
	if c != 64 {
		return ""
	}
	ratio := f.Throughput() / cl.Throughput()
	verdict := "met"
	if ratio < targets[op] {
		verdict = "NOT met"
	}
	return fmt.Sprintf(">= %.2f: %s", targets[op], verdict)
}

// peerRatio is Fogbank's throughput over the peer's, unless the peer's
// run had errors, which make its throughput meaningless.
func peerRatio(f, p load.Result) string {
	if p.Errors > 0 {
		return "n/a (errors)"
	}
	return fmt.Sprintf("%.2f", f.Throughput()/p.Throughput())
}

// startPeer starts dynalite with w's table preloaded when wanted, or prints
// why it is skipped and returns nils.
func startPeer(ctx context.Context, w ddbload.Workload, wanted bool) (*dynamodb.Client, *peer.Server) {
	if !wanted {
		return nil, nil
	}
	srv, err := peer.Start(ctx, peer.Dynalite)
	if err == nil {
		db := dynamodb.NewFromConfig(peer.ClientConfig(srv.URL))
		if err = w.CreateTable(ctx, db); err == nil {
			err = w.Preload(ctx, db)
		}
		if err == nil {
			return db, srv
		}
		srv.Stop()
	}
	fmt.Printf("dynalite skipped: %v\n\n", err)
	return nil, nil
}

func devNull() *os.File {
	f, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	return f
}

// startCeiling runs the ceiling server and returns its endpoint URL.
func startCeiling(bin string) (string, func(), error) {
	cmd := exec.Command(bin)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return "", nil, fmt.Errorf("ceiling: read address: %w", err)
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait() }
	return "http://" + strings.TrimSpace(addr), stop, nil
}
