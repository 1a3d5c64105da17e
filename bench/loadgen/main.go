// Command loadgen drives a DynamoDB-compatible endpoint (Fogbank, or anything
// else) with GetItem or PutItem calls from a fixed number of concurrent
// workers for a bounded time, and prints throughput and p50/p99/p999 latency.
// Credentials come from the usual AWS environment or shared credentials file.
//
//	AWS_SHARED_CREDENTIALS_FILE=.fogbank/credentials \
//	  go run ./bench/loadgen -endpoint http://127.0.0.1:4566 -op GetItem -c 64 -duration 10s
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/fogbank/fogbank/bench/internal/ddbload"
	"github.com/fogbank/fogbank/bench/internal/load"
)

func main() {
	var (
		endpoint = flag.String("endpoint", "http://127.0.0.1:4566", "endpoint URL")
		region   = flag.String("region", "us-east-1", "region to sign for")
		table    = flag.String("table", "loadgen", "table to use (created when -create)")
		create   = flag.Bool("create", true, "create the table and preload the items first")
		op       = flag.String("op", "GetItem", "GetItem or PutItem")
		conc     = flag.Int("c", 64, "concurrent workers")
		duration = flag.Duration("duration", 10*time.Second, "measured time (at most 10m)")
		maxOps   = flag.Int64("n", 0, "stop after this many calls (0: no cap)")
		size     = flag.Int("size", 1024, "item size in bytes")
		keys     = flag.Int("keys", 1000, "distinct items")
	)
	flag.Parse()
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(*region), config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }))
	if err != nil {
		log.Fatal(err)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = *conc
	cfg.HTTPClient = &http.Client{Transport: transport}
	db := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = endpoint })
	w := ddbload.Workload{Table: *table, Size: *size, Keys: *keys,
		Load: load.Config{Concurrency: *conc, Duration: min(*duration, 10*time.Minute), Warmup: time.Second, MaxOps: *maxOps}}
	if *create {
		if err := w.CreateTable(ctx, db); err != nil {
			log.Fatal(err)
		}
		if err := w.Preload(ctx, db); err != nil {
			log.Fatal(err)
		}
	}
	res, err := w.Run(ctx, db, *op)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s c=%d size=%d: %s\n", *op, *conc, *size, res)
}
