// Package crash_test kills a fogbank server process with SIGKILL under
// concurrent write load, restarts it on the same data directory, and checks
// that every acknowledged write survived and that no item is corrupt.
package crash_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/fogbank/fogbank/internal/fogproc"
)

const (
	table   = "crash"
	workers = 16
	rounds  = 4
)

// ledger records what the server acknowledged.
type ledger struct {
	mu   sync.Mutex
	puts map[string]string // key -> payload acknowledged by PutItem
	// counters[w] is the number of acknowledged increments of worker w's
	// counter; pending[w] is 1 while an increment is in flight.
	counters [workers]int
	pending  [workers]int
}

func TestKillNineKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and crashes a server process")
	}
	ctx := t.Context()
	bin, err := fogproc.Build(ctx, "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := &fogproc.Server{Bin: bin, DataDir: t.TempDir(), Stderr: logFile(t)}
	led := &ledger{puts: map[string]string{}}
	for round := range rounds {
		if err := srv.Start(ctx); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		db := srv.DynamoDB()
		if round == 0 {
			createTable(t, db)
		}
		verify(t, db, led, round)
		writeUntilKilled(t, db, srv, led, round)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	verify(t, srv.DynamoDB(), led, rounds)
	srv.Stop()
}

func logFile(t *testing.T) *os.File {
	f, err := os.Create(t.TempDir() + "/server.log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func createTable(t *testing.T, db *dynamodb.Client) {
	_, err := db.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
}

// payload is derived from the key, so a corrupt or mixed-up item is detected.
func payload(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// writeUntilKilled runs PutItem and UpdateItem load and kills the server with
// SIGKILL after a random delay, while calls are in flight.
func writeUntilKilled(t *testing.T, db *dynamodb.Client, srv *fogproc.Server, led *ledger, round int) {
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for seq := 0; ctx.Err() == nil; seq++ {
				if seq%2 == 0 {
					put(ctx, db, led, fmt.Sprintf("r%d-w%d-%d", round, w, seq))
				} else {
					increment(ctx, db, led, w)
				}
			}
		})
	}
	time.Sleep(time.Duration(200+rand.IntN(600)) * time.Millisecond)
	if err := srv.Kill(); err != nil {
		t.Errorf("kill: %v", err)
	}
	cancel()
	wg.Wait()
}

func put(ctx context.Context, db *dynamodb.Client, led *ledger, key string) {
	_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
		"pk":      &types.AttributeValueMemberS{Value: key},
		"payload": &types.AttributeValueMemberS{Value: payload(key)},
	}})
	if err == nil {
		led.mu.Lock()
		led.puts[key] = payload(key)
		led.mu.Unlock()
	}
}

func increment(ctx context.Context, db *dynamodb.Client, led *ledger, w int) {
	led.mu.Lock()
	led.pending[w] = 1
	led.mu.Unlock()
	_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(table),
		Key:                       map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: counterKey(w)}},
		UpdateExpression:          aws.String("ADD n :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}},
	})
	led.mu.Lock()
	defer led.mu.Unlock()
	if err == nil {
		led.counters[w]++
		led.pending[w] = 0
	}
}

func counterKey(w int) string { return "counter-" + strconv.Itoa(w) }

// verify checks every acknowledged put and each counter. A counter may exceed
// its acknowledged increments by the one call that was in flight at the kill.
func verify(t *testing.T, db *dynamodb.Client, led *ledger, round int) {
	t.Helper()
	led.mu.Lock()
	defer led.mu.Unlock()
	for key, want := range led.puts {
		item := get(t, db, key)
		if got := str(item["payload"]); got != want {
			t.Fatalf("after crash %d: item %s payload = %q, want %q", round, key, got, want)
		}
	}
	for w := range workers {
		n := 0
		if item := get(t, db, counterKey(w)); item != nil {
			n, _ = strconv.Atoi(num(item["n"]))
		}
		if n < led.counters[w] || n > led.counters[w]+led.pending[w] {
			t.Fatalf("after crash %d: counter %d = %d, acknowledged %d (+%d in flight)", round, w, n, led.counters[w], led.pending[w])
		}
		led.counters[w], led.pending[w] = n, 0 // the in-flight call's fate is now known
	}
	t.Logf("start %d: %d acknowledged puts and %d counters intact", round, len(led.puts), workers)
}

func get(t *testing.T, db *dynamodb.Client, key string) map[string]types.AttributeValue {
	out, err := db.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: key}}})
	if err != nil {
		t.Fatalf("GetItem %s: %v", key, err)
	}
	return out.Item
}

func str(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return fmt.Sprintf("%#v", v)
}

func num(v types.AttributeValue) string {
	if n, ok := v.(*types.AttributeValueMemberN); ok {
		return n.Value
	}
	return ""
}
