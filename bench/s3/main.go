// Command s3 benchmarks Fogbank's PutObject and GetObject of 4 KiB and 1 MiB
// objects at concurrency 1 and 16, and of 64 MiB objects at concurrency 1,
// on the built fogbank binary through the aws-sdk-go-v2 S3 client
// (path-style, the SDK's default checksums); Fogbank seals every object
// with AES-256-GCM (SSE-S3), so its GETs decrypt rather than sendfile.
// Its same-run baseline is raw
// file I/O on the same disk: a put writes a temporary file, fsyncs it and
// renames it into place; a get reads the file back. With -peers (the
// default) it runs the same workload against s3rver (installed with npm on
// first use, see bench/internal/peer), skipped with a note when it cannot
// be installed or started.
//
//	go run ./bench/s3 -duration 5s
//
//fogbank:report -duration 2s -warmup 300ms -big-ops 3
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/fogbank/fogbank/bench/internal/load"
	"github.com/fogbank/fogbank/bench/internal/peer"
	"github.com/fogbank/fogbank/internal/fogproc"
)

// getTarget is the goal: Fogbank's 1 MiB GET rate as a share of
// the raw file read rate.
const getTarget = 0.50

const (
	bucket  = "bench"
	getKeys = 16 // distinct objects read per size
	putKeys = 4  // distinct objects each worker overwrites
	bigSize = 64 << 20
)

// settings are the command-line flags.
type settings struct {
	duration, warmup time.Duration
	conc             []int
	bigOps           int
	peers            bool
}

func main() {
	var (
		s    settings
		conc string
	)
	flag.DurationVar(&s.duration, "duration", 5*time.Second, "measured time per workload")
	flag.DurationVar(&s.warmup, "warmup", time.Second, "unmeasured warm-up per workload")
	flag.StringVar(&conc, "c", "1,16", "comma-separated concurrency levels for 4 KiB and 1 MiB objects")
	flag.IntVar(&s.bigOps, "big-ops", 5, "64 MiB puts and gets measured at c=1 (0 skips them)")
	flag.BoolVar(&s.peers, "peers", true, "also run the workload against s3rver")
	flag.Parse()
	for c := range strings.SplitSeq(conc, ",") {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 {
			log.Fatalf("bad -c %q", c)
		}
		s.conc = append(s.conc, n)
	}
	if err := run(context.Background(), s); err != nil {
		log.Fatal(err)
	}
}

// target is one store under test.
type target struct {
	name string
	st   store
}

func run(ctx context.Context, s settings) error {
	tmp, err := os.MkdirTemp("", "fogbank-bench-s3-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fogBin, err := fogproc.Build(ctx, ".", "./cmd/fogbank", tmp)
	if err != nil {
		return err
	}
	fog := &fogproc.Server{Bin: fogBin, DataDir: filepath.Join(tmp, "data"), Stderr: devNull()}
	if err := fog.Start(ctx); err != nil {
		return err
	}
	defer fog.Stop()
	fogStore, err := newS3Store(ctx, fog.AWSConfig())
	if err != nil {
		return fmt.Errorf("fogbank: %w", err)
	}
	files := filepath.Join(tmp, "files")
	if err := os.Mkdir(files, 0o755); err != nil {
		return err
	}
	fileSt := &fileStore{dir: files}
	httpDir := filepath.Join(tmp, "http")
	if err := os.Mkdir(httpDir, 0o755); err != nil {
		return err
	}
	httpSt, err := newHTTPFileStore(ctx, &fileStore{dir: httpDir})
	if err != nil {
		return err
	}
	targets := []target{{"fogbank", fogStore}, {"file", fileSt}, {"net/http", httpSt}}
	printIntro()
	if peerStore, srv := startPeer(ctx, s.peers); srv != nil {
		defer srv.Stop()
		targets = append(targets, target{"s3rver", peerStore})
	}
	return runAll(ctx, s, targets)
}

// newS3Store creates the benchmark's bucket at cfg's endpoint.
func newS3Store(ctx context.Context, cfg aws.Config) (s3Store, error) {
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return s3Store{}, fmt.Errorf("create bucket: %w", err)
	}
	return s3Store{client: client, bucket: bucket}, nil
}

// startPeer starts s3rver with the benchmark's bucket when wanted, or
// prints why it is skipped and returns nils.
func startPeer(ctx context.Context, wanted bool) (store, *peer.Server) {
	if !wanted {
		return nil, nil
	}
	srv, err := peer.Start(ctx, peer.S3rver)
	if err == nil {
		cfg := peer.ClientConfig(srv.URL)
		cfg.Credentials = credentials.NewStaticCredentialsProvider(peer.S3rverKey, peer.S3rverKey, "")
		var st s3Store
		if st, err = newS3Store(ctx, cfg); err == nil {
			return st, srv
		}
		err = fmt.Errorf("%w\n\n```text\n%s\n```", err, srv.LogTail(20))
		srv.Stop()
	}
	fmt.Printf("s3rver skipped: %v\n\n", err)
	return nil, nil
}

// workload is one cell of the table: an operation on objects of one size
// at one concurrency.
type workload struct {
	op   string // "PUT" or "GET"
	size int
	cfg  load.Config
}

// runAll measures every workload on every target and prints a row each.
func runAll(ctx context.Context, s settings, targets []target) error {
	printHeader(targets)
	for _, size := range []int{4 << 10, 1 << 20, bigSize} {
		if size == bigSize && s.bigOps == 0 {
			continue
		}
		body := make([]byte, size)
		for i := range body {
			body[i] = byte(i*7 + i>>8)
		}
		if err := preload(ctx, targets, size, body); err != nil {
			return err
		}
		for _, cfg := range configs(s, size) {
			for _, op := range []string{"PUT", "GET"} {
				w := workload{op: op, size: size, cfg: cfg}
				results := make([]load.Result, len(targets))
				for i, t := range targets {
					results[i] = load.Run(ctx, cfg, w.call(t.st, body))
				}
				printRow(w, targets, results)
			}
		}
	}
	return nil
}

// configs returns the load configurations for objects of size: every
// concurrency for small ones, a few calls at c=1 for 64 MiB.
func configs(s settings, size int) []load.Config {
	if size == bigSize {
		return []load.Config{{Concurrency: 1, Duration: max(10*s.duration, time.Minute), MaxOps: int64(s.bigOps)}}
	}
	var out []load.Config
	for _, c := range s.conc {
		out = append(out, load.Config{Concurrency: c, Duration: s.duration, Warmup: s.warmup})
	}
	return out
}

// preload puts the objects the GET workloads read.
func preload(ctx context.Context, targets []target, size int, body []byte) error {
	for _, t := range targets {
		for i := range keysFor(size) {
			if err := t.st.put(ctx, getKey(size, i), body); err != nil {
				return fmt.Errorf("%s: preload: %w", t.name, err)
			}
		}
	}
	return nil
}

func keysFor(size int) int {
	if size == bigSize {
		return 1
	}
	return getKeys
}

func getKey(size, i int) string { return fmt.Sprintf("get-%d-%d", size, i) }

// call returns the load operation of w on st.
func (w workload) call(st store, body []byte) load.Op {
	if w.op == "PUT" {
		return func(ctx context.Context, worker int, seq int64) error {
			return st.put(ctx, fmt.Sprintf("put-%d-%d-%d", w.size, worker, seq%putKeys), body)
		}
	}
	keys := keysFor(w.size)
	return func(ctx context.Context, worker int, seq int64) error {
		n, err := st.get(ctx, getKey(w.size, (worker*5+int(seq))%keys))
		return checkLen(n, err, w.size)
	}
}

func devNull() *os.File {
	f, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	return f
}
