// Command multinode benchmarks GetItem and PutItem (1 KB items) at one
// concurrency (64 by default) on three deployments of the built fogbank
// binary, in the same run: one node on the embedded Pebble engine, one node
// on PostgreSQL, and two nodes sharing that PostgreSQL behind a round-robin
// client-side balancer. It prints each figure, its ratio to Pebble's, and
// the database round trips one call makes on PostgreSQL (counted by a TCP
// proxy in front of the database, in a separate run at concurrency 1).
//
//	eval "$(.ci/postgres.sh)"
//	go run ./bench/multinode -duration 3s
//
// The database is FOGBANK_TEST_POSTGRES (or -postgres); each run uses a
// fresh schema, dropped at the end.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/bench/internal/ddbload"
	"github.com/fogbank/fogbank/bench/internal/load"
	"github.com/fogbank/fogbank/internal/fogproc"
)

// flags are the command line.
type flags struct {
	postgres string
	duration time.Duration
	warmup   time.Duration
	conc     int
	size     int
	keys     int
}

func main() {
	var f flags
	flag.StringVar(&f.postgres, "postgres", os.Getenv("FOGBANK_TEST_POSTGRES"), "PostgreSQL connection string (default $FOGBANK_TEST_POSTGRES)")
	flag.DurationVar(&f.duration, "duration", 3*time.Second, "measured time per workload")
	flag.DurationVar(&f.warmup, "warmup", time.Second, "unmeasured warm-up per workload")
	flag.IntVar(&f.conc, "c", 64, "concurrency")
	flag.IntVar(&f.size, "size", 1024, "item size in bytes")
	flag.IntVar(&f.keys, "keys", 1000, "distinct items")
	flag.Parse()
	if f.postgres == "" {
		log.Fatal(`no database: set FOGBANK_TEST_POSTGRES (eval "$(.ci/postgres.sh)") or -postgres`)
	}
	if err := run(context.Background(), f); err != nil {
		log.Fatal(err)
	}
}

// deployment is one way of running Fogbank, reached through one client.
type deployment struct {
	name string
	db   *dynamodb.Client
}

func run(ctx context.Context, f flags) error {
	tmp, err := os.MkdirTemp("", "fogbank-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := fogproc.Build(ctx, ".", "./cmd/fogbank", tmp)
	if err != nil {
		return err
	}
	schema := "bench_" + strings.ToLower(rand.Text()[:10])
	defer dropSchema(f.postgres, schema)
	prox, storage, err := proxied(f.postgres)
	if err != nil {
		return err
	}
	defer prox.Close()
	pgArgs := []string{"--storage", storage, "--storage-schema", schema}
	nodes := []*fogproc.Server{
		{Bin: bin, DataDir: tmp + "/pebble", Stderr: devNull()},
		{Bin: bin, DataDir: tmp + "/pg1", Stderr: devNull(), Args: pgArgs},
		{Bin: bin, DataDir: tmp + "/pg2", Stderr: devNull(), Args: pgArgs},
	}
	for _, n := range nodes {
		if err := n.Start(ctx); err != nil {
			return err
		}
		defer n.Stop()
	}
	deployments := []deployment{
		{"pebble, 1 node", nodes[0].DynamoDB()},
		{"postgres, 1 node", nodes[1].DynamoDB()},
		{"postgres, 2 nodes", balanced(nodes[1].URL(), nodes[2].URL())},
	}
	w := ddbload.Workload{Table: "bench", Size: f.size, Keys: f.keys, Load: load.Config{Duration: f.duration, Warmup: f.warmup}}
	for _, d := range deployments[:2] { // the two nodes share the second's table
		if err := w.CreateTable(ctx, d.db); err != nil {
			return err
		}
		if err := w.Preload(ctx, d.db); err != nil {
			return err
		}
	}
	trips, err := roundTrips(ctx, w, deployments[1].db, prox)
	if err != nil {
		return err
	}
	return measure(ctx, w, f.conc, deployments, trips)
}

// measure runs each operation on each deployment and prints the table.
func measure(ctx context.Context, w ddbload.Workload, conc int, deployments []deployment, trips map[string]float64) error {
	w.Load.Concurrency = conc
	fmt.Printf("| op | c | deployment | result | vs pebble | DB round trips/op |\n|---|---|---|---|---|---|\n")
	for _, op := range []string{"GetItem", "PutItem"} {
		var base float64
		for i, d := range deployments {
			r, err := w.Run(ctx, d.db, op)
			if err != nil {
				return err
			}
			if i == 0 {
				base = r.Throughput()
			}
			rt := ""
			if i > 0 {
				rt = fmt.Sprintf("%.2f", trips[op])
			}
			fmt.Printf("| %s | %d | %s | %s | %.2f | %s |\n", op, conc, d.name, r, r.Throughput()/base, rt)
		}
	}
	fmt.Print(roundTripNote)
	return nil
}

// roundTripNote says where the round trips go and why two nodes cannot
// beat one on this machine.
const roundTripNote = `
Where the time goes: a GetItem is one round trip on the request's path (table metadata and the
item prefetched in one statement) plus the read-only transaction's ROLLBACK, sent after the
answer; a PutItem is one read round trip and one write+COMMIT round trip. On a 2-core machine
two nodes cannot beat one: both nodes, PostgreSQL and the load generator share the same cores.
`

// roundTrips counts the database round trips per call of each operation on
// one PostgreSQL node, one call at a time for a second. The count includes
// the ROLLBACK that ends a read-only transaction after the answer (off the
// request's path) and the node's own background work (a lease renewal and
// TTL sweeps: a few per second).
func roundTrips(ctx context.Context, w ddbload.Workload, db *dynamodb.Client, prox *proxy) (map[string]float64, error) {
	w.Load = load.Config{Concurrency: 1, Duration: time.Second}
	trips := map[string]float64{}
	for _, op := range []string{"GetItem", "PutItem"} {
		before := prox.flights.Load()
		r, err := w.Run(ctx, db, op)
		if err != nil {
			return nil, err
		}
		if r.Ops == 0 {
			return nil, fmt.Errorf("%s: no calls completed: %v", op, r.FirstErr)
		}
		time.Sleep(50 * time.Millisecond) // let the last background ROLLBACK go
		trips[op] = float64(prox.flights.Load()-before) / float64(r.Ops)
	}
	return trips, nil
}

// proxied starts a counting proxy to the database connString names and
// returns it with a connection string that goes through it.
func proxied(connString string) (*proxy, string, error) {
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		return nil, "", fmt.Errorf("parse connection string: %w", err)
	}
	p, err := startProxy(net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port)))
	if err != nil {
		return nil, "", err
	}
	host, port, _ := net.SplitHostPort(p.Addr())
	via := fmt.Sprintf("host=%s port=%s user=%s dbname=%s sslmode=disable", host, port, cfg.User, cfg.Database)
	if cfg.Password != "" {
		via += " password='" + strings.ReplaceAll(cfg.Password, "'", `\'`) + "'"
	}
	return p, via, nil
}

// balanced returns a client that sends its calls to the endpoints in turn,
// as a round-robin load balancer would. Requests are signed for the first
// endpoint's host; only the connection goes elsewhere.
func balanced(endpoints ...string) *dynamodb.Client {
	cfg := fogproc.ClientConfig(endpoints[0])
	transport := cfg.HTTPClient.(*http.Client).Transport
	hosts := make([]string, len(endpoints))
	for i, e := range endpoints {
		hosts[i] = strings.TrimPrefix(e, "http://")
	}
	var next atomic.Uint64
	cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(req *http.Request) (*http.Response, error) {
		req = req.Clone(req.Context())
		if req.Host == "" {
			req.Host = req.URL.Host // the signed Host header
		}
		req.URL.Host = hosts[next.Add(1)%uint64(len(hosts))]
		return transport.RoundTrip(req)
	})}
	return dynamodb.NewFromConfig(cfg)
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f.
func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// dropSchema drops the benchmark's schema.
func dropSchema(connString, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		log.Printf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		log.Printf("drop schema %s: %v", schema, err)
	}
}

func devNull() *os.File {
	f, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	return f
}
