// Command query benchmarks Fogbank's Query and Scan against the built
// fogbank binary: a Query of 100 items from one partition of a large item
// set, and a full, paginated Scan of a 10,000-item table. As a same-run
// baseline it measures GetItem of single items from the same table and
// server, and prints each read's items/s relative to GetItem's.
//
//	go run ./bench/query -duration 5s
//
// The default item set is 100,000 items in 1,000 partitions, which loads in
// seconds on two cores. The 1M-item set takes a few minutes to load:
//
//	go run ./bench/query -items 1000000 -partitions 1000
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/fogbank/fogbank/bench/internal/load"
	"github.com/fogbank/fogbank/internal/fogproc"
)

// config is the benchmark's flags.
type config struct {
	items, partitions, scanItems, page, size, loaders int
	conc                                              []int
	run                                               load.Config
}

func main() {
	var cfg config
	flag.IntVar(&cfg.items, "items", 100000, "items in the queried table")
	flag.IntVar(&cfg.partitions, "partitions", 1000, "partitions of the queried table")
	flag.IntVar(&cfg.scanItems, "scan-items", 10000, "items in the scanned table")
	flag.IntVar(&cfg.page, "page", 100, "items per Query (its Limit)")
	flag.IntVar(&cfg.size, "size", 200, "approximate item size in bytes")
	flag.IntVar(&cfg.loaders, "loaders", 32, "concurrent BatchWriteItem calls while loading")
	flag.DurationVar(&cfg.run.Duration, "duration", 5*time.Second, "measured time per workload")
	flag.DurationVar(&cfg.run.Warmup, "warmup", time.Second, "unmeasured warm-up per workload")
	conc := flag.String("c", "1,16", "comma-separated concurrency levels")
	flag.Parse()
	for _, c := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 {
			log.Fatalf("bad -c %q", c)
		}
		cfg.conc = append(cfg.conc, n)
	}
	if cfg.items%cfg.partitions != 0 || cfg.items/cfg.partitions < cfg.page {
		log.Fatalf("-items must be a multiple of -partitions with at least -page (%d) items per partition", cfg.page)
	}
	if err := run(context.Background(), cfg); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, cfg config) error {
	tmp, err := os.MkdirTemp("", "fogbank-bench-query-")
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
	defer devNull.Close()
	srv := &fogproc.Server{Bin: bin, DataDir: tmp + "/data", Stderr: devNull}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	defer srv.Stop()
	// aws-sdk-go-v2's transport now and then loses a response to "use of
	// closed network connection" after it has written the request
	// (aws/aws-sdk-go-v2#2737, seen against AWS too); the standard retryer
	// retries those, as the SDK's default client does.
	db := dynamodb.NewFromConfig(srv.AWSConfig(), func(o *dynamodb.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) { so.RateLimiter = ratelimit.None })
	})
	b := &bench{cfg: cfg, db: db, payload: strings.Repeat("x", max(0, cfg.size-40))}
	if err := b.loadTables(ctx); err != nil {
		return err
	}
	return b.measure(ctx)
}

// bench holds the loaded server and the workloads' parameters.
type bench struct {
	cfg     config
	db      *dynamodb.Client
	payload string
}

// Table names.
const (
	queryTable = "query"
	scanTable  = "scan"
)

// loadTables creates and fills the queried and the scanned table.
func (b *bench) loadTables(ctx context.Context) error {
	for _, t := range []struct {
		name  string
		items int
		parts int
	}{{queryTable, b.cfg.items, b.cfg.partitions}, {scanTable, b.cfg.scanItems, b.cfg.scanItems}} {
		if err := b.createTable(ctx, t.name); err != nil {
			return err
		}
		start := time.Now()
		if err := b.fill(ctx, t.name, t.items, t.parts); err != nil {
			return err
		}
		d := time.Since(start)
		fmt.Printf("loaded %s: %d items in %d partitions in %v (%.0f items/s, BatchWriteItem of 25 at c=%d)\n",
			t.name, t.items, t.parts, d.Round(time.Millisecond), float64(t.items)/d.Seconds(), b.cfg.loaders)
	}
	return nil
}

func (b *bench) createTable(ctx context.Context, name string) error {
	_, err := b.db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
	})
	if err != nil {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	return nil
}

// partitionKey is the partition key of partition p.
func partitionKey(p int) string { return fmt.Sprintf("part-%07d", p) }

// item returns item i of a table with parts partitions: partition i%parts,
// sort key i/parts.
func (b *bench) item(i, parts int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk":      &types.AttributeValueMemberS{Value: partitionKey(i % parts)},
		"sk":      &types.AttributeValueMemberN{Value: strconv.Itoa(i / parts)},
		"payload": &types.AttributeValueMemberS{Value: b.payload},
	}
}

// fill writes items 0..n-1 with BatchWriteItem, b.cfg.loaders at a time.
func (b *bench) fill(ctx context.Context, table string, n, parts int) error {
	const batch = 25
	next := make(chan int)
	var wg sync.WaitGroup
	errs := make([]error, b.cfg.loaders)
	for w := range b.cfg.loaders {
		wg.Go(func() {
			for start := range next {
				if errs[w] == nil {
					errs[w] = b.writeBatch(ctx, table, start, min(start+batch, n), parts)
				}
			}
		})
	}
	for start := 0; start < n; start += batch {
		next <- start
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// writeBatch writes items from..to-1, retrying unprocessed ones.
func (b *bench) writeBatch(ctx context.Context, table string, from, to, parts int) error {
	reqs := make([]types.WriteRequest, 0, to-from)
	for i := from; i < to; i++ {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: b.item(i, parts)}})
	}
	pending := map[string][]types.WriteRequest{table: reqs}
	for len(pending) > 0 {
		out, err := b.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			return fmt.Errorf("load %s: %w", table, err)
		}
		pending = out.UnprocessedItems
	}
	return nil
}

// workload is one measured read: its op and the items each op returns.
type workload struct {
	name  string
	perOp int
	op    load.Op
}

// measure runs every workload at every concurrency and prints a table.
func (b *bench) measure(ctx context.Context) error {
	fmt.Printf("\n| workload | c | ops/s | items/s | p50 | p99 | items/s vs GetItem |\n|---|---|---|---|---|---|---|\n")
	for _, c := range b.cfg.conc {
		var baseline float64
		for _, w := range b.workloads() {
			cfg := b.cfg.run
			cfg.Concurrency = c
			res := load.Run(ctx, cfg, w.op)
			if res.Errors > 0 {
				return fmt.Errorf("%s at c=%d: %d errors, first: %w", w.name, c, res.Errors, res.FirstErr)
			}
			items := res.Throughput() * float64(w.perOp)
			if baseline == 0 {
				baseline = items
			}
			fmt.Printf("| %s | %d | %.0f | %.0f | %v | %v | %.2f |\n", w.name, c, res.Throughput(), items,
				res.Percentile(0.50).Round(time.Microsecond), res.Percentile(0.99).Round(time.Microsecond), items/baseline)
		}
	}
	return nil
}

// workloads returns GetItem (the baseline, first), Query and Scan.
func (b *bench) workloads() []workload {
	return []workload{
		{name: "GetItem (1 item)", perOp: 1, op: b.getItem},
		{name: fmt.Sprintf("Query (%d items of a %d-item partition)", b.cfg.page, b.cfg.items/b.cfg.partitions), perOp: b.cfg.page, op: b.query},
		{name: fmt.Sprintf("Scan (%d items, all pages)", b.cfg.scanItems), perOp: b.cfg.scanItems, op: b.scan},
	}
}

// rng returns a random source for one worker's call.
func rng(worker int, seq int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(worker), uint64(seq)))
}

func (b *bench) getItem(ctx context.Context, worker int, seq int64) error {
	i := rng(worker, seq).IntN(b.cfg.items)
	it := b.item(i, b.cfg.partitions)
	out, err := b.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(queryTable),
		Key: map[string]types.AttributeValue{"pk": it["pk"], "sk": it["sk"]}})
	if err == nil && out.Item == nil {
		err = fmt.Errorf("GetItem: item %d missing", i)
	}
	return err
}

// query reads b.cfg.page items of a random partition from a random sort key.
func (b *bench) query(ctx context.Context, worker int, seq int64) error {
	r := rng(worker, seq)
	perPart := b.cfg.items / b.cfg.partitions
	from := r.IntN(perPart - b.cfg.page + 1)
	out, err := b.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(queryTable),
		KeyConditionExpression: aws.String("pk = :p AND sk >= :from"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":p":    &types.AttributeValueMemberS{Value: partitionKey(r.IntN(b.cfg.partitions))},
			":from": &types.AttributeValueMemberN{Value: strconv.Itoa(from)},
		},
		Limit: aws.Int32(int32(b.cfg.page)),
	})
	if err == nil && len(out.Items) != b.cfg.page {
		err = fmt.Errorf("Query: %d items, want %d", len(out.Items), b.cfg.page)
	}
	return err
}

// scan reads the whole scanned table, page after page.
func (b *bench) scan(ctx context.Context, _ int, _ int64) error {
	n := 0
	for p := dynamodb.NewScanPaginator(b.db, &dynamodb.ScanInput{TableName: aws.String(scanTable)}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		n += len(out.Items)
	}
	if n != b.cfg.scanItems {
		return fmt.Errorf("Scan: %d items, want %d", n, b.cfg.scanItems)
	}
	return nil
}
