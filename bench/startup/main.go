// Command startup measures how fast `fogbank serve` is ready on an empty data
// directory (process start to the first 200 from its health endpoint) and how
// much memory it holds when idle (VmRSS after a pause), over several trials.
//
//	go run ./bench/startup -n 10
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"time"

	"github.com/fogbank/fogbank/internal/fogproc"
)

func main() {
	trials := flag.Int("n", 10, "number of cold starts")
	idle := flag.Duration("idle", 2*time.Second, "pause before reading RSS")
	flag.Parse()
	if err := run(context.Background(), *trials, *idle); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, trials int, idle time.Duration) error {
	tmp, err := os.MkdirTemp("", "fogbank-startup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := fogproc.Build(ctx, ".", "./cmd/fogbank", tmp)
	if err != nil {
		return err
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	var ready []time.Duration
	var rss []int
	for i := range trials {
		srv := &fogproc.Server{Bin: bin, DataDir: fmt.Sprintf("%s/data-%d", tmp, i), Stderr: devNull}
		start := time.Now()
		if err := srv.Start(ctx); err != nil {
			return err
		}
		ready = append(ready, time.Since(start))
		time.Sleep(idle)
		rssBytes, err := fogproc.RSS(srv.Pid())
		srv.Stop()
		if err != nil {
			return err
		}
		rss = append(rss, int(rssBytes>>10))
	}
	slices.Sort(ready)
	slices.Sort(rss)
	fmt.Printf("ready on an empty data dir: median %v, max %v (target < 50ms)\n",
		ready[len(ready)/2].Round(100*time.Microsecond), ready[len(ready)-1].Round(100*time.Microsecond))
	fmt.Printf("idle RSS: median %.1f MiB, max %.1f MiB (target < 30 MiB)\n",
		float64(rss[len(rss)/2])/1024, float64(rss[len(rss)-1])/1024)
	return nil
}
