// Command website benchmarks Fogbank's bucket website endpoint: anonymous
// GETs of a small HTML page (served from the endpoint's in-memory cache
// after the first request) at concurrency 64 on the built fogbank binary,
// host-style (Host: bench.s3-website.localhost). Its same-run baseline is
// a plain net/http file server (http.FileServer) of the same file on the
// same machine. It prints each figure and the ratio of Fogbank's
// throughput to the file server's, uncompressed (as the file server
// answers) and with Accept-Encoding: br (Fogbank's cached brotli variant).
//
//	go run ./bench/website -duration 5s
//
//fogbank:report -duration 2s -warmup 500ms
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/fogbank/fogbank/bench/internal/load"
	"github.com/fogbank/fogbank/internal/fogproc"
)

const (
	bucket = "bench"
	key    = "index.html"
)

// page is the served file: 8 KiB or so of HTML.
var page = "<!doctype html><html><head><title>bench</title></head><body>\n" +
	strings.Repeat("<p>A small page a static site serves again and again.</p>\n", 140) + "</body></html>\n"

func main() {
	var cfg load.Config
	flag.DurationVar(&cfg.Duration, "duration", 5*time.Second, "measured time per workload")
	flag.DurationVar(&cfg.Warmup, "warmup", time.Second, "unmeasured warm-up per workload")
	flag.IntVar(&cfg.Concurrency, "c", 64, "concurrent clients")
	flag.Parse()
	if err := run(context.Background(), cfg); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, cfg load.Config) error {
	tmp, err := os.MkdirTemp("", "fogbank-bench-website-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := fogproc.Build(ctx, ".", "./cmd/fogbank", tmp)
	if err != nil {
		return err
	}
	fog := &fogproc.Server{Bin: bin, DataDir: filepath.Join(tmp, "data"), Stderr: devNull()}
	if err := fog.Start(ctx); err != nil {
		return err
	}
	defer fog.Stop()
	if err := publish(ctx, fog); err != nil {
		return fmt.Errorf("fogbank: %w", err)
	}
	files, stop, err := startFileServer(filepath.Join(tmp, "files"))
	if err != nil {
		return err
	}
	defer stop()
	_, port, _ := net.SplitHostPort(fog.Addr)
	client := newClient(cfg.Concurrency)
	fogURL, fogHost := fog.URL()+"/"+key, bucket+".s3-website.localhost:"+port
	rows := []struct {
		name string
		res  load.Result
	}{
		{"fogbank website", load.Run(ctx, cfg, get(client, fogURL, fogHost, ""))},
		{"fogbank website, br", load.Run(ctx, cfg, get(client, fogURL, fogHost, "br"))},
		{"net/http FileServer", load.Run(ctx, cfg, get(client, files+"/"+key, "", ""))},
	}
	base := rows[len(rows)-1].res.Throughput()
	fmt.Printf("GET of a %d-byte HTML page at c=%d, %s measured per row.\n\n", len(page), cfg.Concurrency, cfg.Duration)
	fmt.Println("| target | req/s, p50/p99/p999 | / FileServer |")
	fmt.Println("|---|---|---|")
	for _, r := range rows {
		if r.res.Errors > 0 {
			return fmt.Errorf("%s: %d errors, first: %w", r.name, r.res.Errors, r.res.FirstErr)
		}
		fmt.Printf("| %s | %s | %.2f |\n", r.name, r.res.Cell(), r.res.Throughput()/base)
	}
	return nil
}

// publish uploads the page to a bucket configured as a website.
func publish(ctx context.Context, fog *fogproc.Server) error {
	c := s3.NewFromConfig(fog.AWSConfig(), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return err
	}
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: strings.NewReader(page), ContentType: aws.String("text/html")})
	if err != nil {
		return err
	}
	_, err = c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String(bucket), WebsiteConfiguration: &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String(key)},
	}})
	return err
}

// startFileServer serves dir, holding the page, with http.FileServer on a
// free port; it returns the server's URL and a function stopping it.
func startFileServer(dir string) (string, func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, key), []byte(page), 0o644); err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// newClient returns an HTTP client keeping a connection per worker alive
// and leaving Accept-Encoding as each request sets it.
func newClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, DisableCompression: true, IdleConnTimeout: time.Minute,
	}}
}

// get returns a load operation fetching url (with Host header host when
// not "") and checking for a 200.
func get(client *http.Client, url, host, encoding string) load.Op {
	return func(ctx context.Context, _ int, _ int64) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if host != "" {
			req.Host = host
		}
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	}
}

func devNull() *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		log.Fatal(err)
	}
	return f
}
