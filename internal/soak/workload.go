// Package soak is the school-offers soak shared by test/soak and bench/soak:
// a workload of many readers of small items (GetItem) and some writers
// (conditional UpdateItem with a version check), paced at a steady rate
// against a fogbank server process while its RSS, goroutine count, open
// files and the calls' p99 latency are sampled, and a trend check that the
// mean of the last third of the samples does not rise above the first
// third's beyond a tolerance.
package soak

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
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

// Plan is how long a soak runs and how often it samples.
type Plan struct {
	// Warmup is the unsampled time at the start.
	Warmup time.Duration
	// Duration is the whole run, warm-up included.
	Duration time.Duration
	// Every is the sampling interval.
	Every time.Duration
}

// ShortPlan is the CI run: 60 s, sampled every 2 s after a 5 s warm-up.
func ShortPlan() Plan {
	return Plan{Warmup: 5 * time.Second, Duration: 60 * time.Second, Every: 2 * time.Second}
}

// FullPlan is the run by hand lasting d, sampled every 10 s after a 30 s
// warm-up.
func FullPlan(d time.Duration) Plan {
	return Plan{Warmup: 30 * time.Second, Duration: d, Every: 10 * time.Second}
}

// Result is what a soak measured.
type Result struct {
	// Points are the samples, in time order.
	Points []Point
	// Calls counts the calls' outcomes.
	Calls Counts
}

// Run creates the offers table on srv, runs the workload on it and samples
// srv as p says. It returns early, with the samples so far, when ctx ends.
func Run(ctx context.Context, srv *fogproc.Server, p Plan) (Result, error) {
	db := srv.DynamoDB()
	if err := createTable(ctx, db); err != nil {
		return Result{}, err
	}
	stats := &callStats{}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for range readers {
		wg.Go(func() { paced(runCtx, readsPerSec, func() { stats.record(read(runCtx, db)) }) })
	}
	for i := range writers {
		wg.Go(func() { paced(runCtx, writesPerSec, func() { stats.record(write(runCtx, db, i)) }) })
	}
	points, err := sample(ctx, srv, stats, p)
	stop()
	wg.Wait()
	return Result{Points: points, Calls: stats.counts()}, err
}

func createTable(ctx context.Context, db *dynamodb.Client) error {
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
	})
	if err != nil {
		return fmt.Errorf("soak: create table: %w", err)
	}
	for i := range items {
		item := map[string]types.AttributeValue{
			"pk":     &types.AttributeValueMemberS{Value: offerKey(i)},
			"ver":    &types.AttributeValueMemberN{Value: "0"},
			"school": &types.AttributeValueMemberS{Value: fmt.Sprintf("School %d", i%37)},
			"status": &types.AttributeValueMemberS{Value: "offered"},
		}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			return fmt.Errorf("soak: preload: %w", err)
		}
	}
	return nil
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
func read(ctx context.Context, db *dynamodb.Client) outcome {
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
		return outcome{time.Since(start), fmt.Errorf("soak: offer %s has no version: %v", key, got.Item)}
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
