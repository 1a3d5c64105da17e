// Package soak_test runs the school-offers workload against a fogbank server
// process for a long time and checks that nothing leaks: many readers of
// small items (GetItem) and some writers (conditional UpdateItem with a
// version check), paced at a steady rate, while the server's RSS, goroutine
// count, open files and the calls' p99 latency are sampled. The mean of the
// last third of the samples must not rise above the first third's beyond a
// tolerance, and no call may fail with anything but a throttle or a lost
// version race.
//
// The short run (45 s, sampled every 2 s) is part of go test ./... and is
// skipped with -short; the full run is
//
//	FOGBANK_SOAK=10m go test ./test/soak -timeout 15m -v
//
// (sampled every 10 s).
package soak_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/fogbank/fogbank/internal/fogproc"
)

// The workload's shape and pace.
const (
	table        = "offers"
	items        = 500 // offers readers look at
	hotItems     = 50  // offers writers update
	readers      = 16
	writers      = 4
	readsPerSec  = 60 // per reader
	writesPerSec = 20 // per writer
)

// plan is how long the soak runs and how often it samples.
type plan struct {
	warmup, duration, every time.Duration
}

// soakPlan reads FOGBANK_SOAK: a duration selects the full run.
func soakPlan(t *testing.T) plan {
	v := os.Getenv("FOGBANK_SOAK")
	if v == "" {
		return plan{warmup: 5 * time.Second, duration: 45 * time.Second, every: 2 * time.Second}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("FOGBANK_SOAK=%q: want a duration such as 10m", v)
	}
	return plan{warmup: 30 * time.Second, duration: d, every: 10 * time.Second}
}

func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server process under load for 45 s or more")
	}
	p := soakPlan(t)
	ctx := t.Context()
	srv := startServer(t)
	db := srv.DynamoDB()
	createTable(t, db)

	stats := &callStats{}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() { paced(runCtx, readsPerSec, func() { stats.record(read(runCtx, db, i)) }) })
	}
	for i := range writers {
		wg.Go(func() { paced(runCtx, writesPerSec, func() { stats.record(write(runCtx, db, i)) }) })
	}
	samples := sample(ctx, t, srv, stats, p)
	stop()
	wg.Wait()

	logSamples(t, samples)
	if stats.errors > 0 {
		t.Errorf("%d calls failed with an error other than a throttle (first: %v)", stats.errors, stats.firstErr)
	}
	t.Logf("calls: %d ok, %d throttled, %d lost version races, %d errors", stats.ok, stats.throttled, stats.races, stats.errors)
	checkTrends(t, samples)
}

func startServer(t *testing.T) *fogproc.Server {
	t.Helper()
	bin, err := fogproc.Build(t.Context(), "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	logs, err := os.Create(t.TempDir() + "/server.log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logs.Close() })
	srv := &fogproc.Server{Bin: bin, DataDir: t.TempDir(), Stderr: logs}
	if err := srv.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Errorf("stop server: %v", err)
		}
	})
	return srv
}

func createTable(t *testing.T, db *dynamodb.Client) {
	t.Helper()
	_, err := db.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range items {
		item := map[string]types.AttributeValue{
			"pk":     &types.AttributeValueMemberS{Value: offerKey(i)},
			"ver":    &types.AttributeValueMemberN{Value: "0"},
			"school": &types.AttributeValueMemberS{Value: fmt.Sprintf("School %d", i%37)},
			"status": &types.AttributeValueMemberS{Value: "offered"},
		}
		if _, err := db.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
}

func offerKey(i int) string { return fmt.Sprintf("offer-%05d", i) }

// paced calls fn rate times a second until ctx ends.
func paced(ctx context.Context, rate int, fn func()) {
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fn()
		}
	}
}

// outcome is one call's result.
type outcome struct {
	latency time.Duration
	err     error
}

// read is a family looking at an offer.
func read(ctx context.Context, db *dynamodb.Client, reader int) outcome {
	key := offerKey(rand.IntN(items))
	start := time.Now()
	_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: keyOf(key)})
	return outcome{time.Since(start), err}
}

// write is a family accepting an offer: a consistent read of its version,
// then an UpdateItem conditional on that version.
func write(ctx context.Context, db *dynamodb.Client, writer int) outcome {
	key := offerKey(rand.IntN(hotItems))
	start := time.Now()
	got, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: keyOf(key), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return outcome{time.Since(start), err}
	}
	ver, ok := got.Item["ver"].(*types.AttributeValueMemberN)
	if !ok {
		return outcome{time.Since(start), fmt.Errorf("offer %s has no version: %v", key, got.Item)}
	}
	n, _ := strconv.Atoi(ver.Value)
	_, err = db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(table),
		Key:                      keyOf(key),
		UpdateExpression:         aws.String("SET ver = :next, #s = :accepted, accepted_by = :writer"),
		ConditionExpression:      aws.String("ver = :ver"),
		ExpressionAttributeNames: map[string]string{"#s": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":ver":      ver,
			":next":     &types.AttributeValueMemberN{Value: strconv.Itoa(n + 1)},
			":accepted": &types.AttributeValueMemberS{Value: "accepted"},
			":writer":   &types.AttributeValueMemberN{Value: strconv.Itoa(writer)},
		},
	})
	return outcome{time.Since(start), err}
}

func keyOf(key string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: key}}
}

// callStats counts outcomes and collects the latencies of the current
// sampling interval.
type callStats struct {
	mu                           sync.Mutex
	ok, throttled, races, errors int64
	firstErr                     error
	latencies                    []time.Duration
}

func (s *callStats) record(o outcome) {
	var throttle *types.ThrottlingException
	var race *types.ConditionalCheckFailedException
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case o.err == nil:
		s.ok++
		s.latencies = append(s.latencies, o.latency)
	case errors.As(o.err, &race):
		s.races++
		s.latencies = append(s.latencies, o.latency)
	case errors.As(o.err, &throttle):
		s.throttled++
	case errors.Is(o.err, context.Canceled): // cut short by the end of the run
	default:
		s.errors++
		if s.firstErr == nil {
			s.firstErr = o.err
		}
	}
}

// p99 returns the p99 latency since the last call and starts a new interval.
func (s *callStats) p99() time.Duration {
	s.mu.Lock()
	lat := s.latencies
	s.latencies = nil
	s.mu.Unlock()
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	return lat[(len(lat)-1)*99/100]
}
