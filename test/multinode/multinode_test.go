// Package multinode_test runs two fogbank server processes on one
// PostgreSQL schema and checks that they behave as one DynamoDB: tables,
// credentials and items written through one node are seen through the other
// at once, conditional writes through both never both succeed, and when one
// node dies with SIGKILL the other keeps serving every acknowledged write.
// Its in-process tests (cache_test.go) check that no per-node cache serves
// stale data.
//
// The tests need a PostgreSQL database (FOGBANK_TEST_POSTGRES; start one
// with eval "$(.ci/postgres.sh)"); without it they are skipped, except
// under CI=true, where they fail.
package multinode_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/fogbank/fogbank/internal/fogproc"
	"github.com/fogbank/fogbank/internal/storage/postgres/pgtest"
)

// cluster is two fogbank processes sharing one PostgreSQL schema.
type cluster struct {
	nodes [2]*fogproc.Server
	db    [2]*dynamodb.Client
}

// startCluster builds fogbank and starts two nodes on a fresh schema. The
// first node is given the fixed root credentials; the second starts without
// any and must find them in the shared storage.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	connString := pgtest.ConnString(t)
	schema := pgtest.NewSchema(t)
	bin, err := fogproc.Build(t.Context(), "../..", "./cmd/fogbank", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{}
	for i := range c.nodes {
		n := &fogproc.Server{
			Bin:     bin,
			DataDir: t.TempDir(),
			Stderr:  logFile(t, fmt.Sprintf("node%d.log", i+1)),
			Args:    []string{"--storage", connString, "--storage-schema", schema, "--log-format", "text"},
		}
		if i == 1 {
			n.Env = []string{"FOGBANK_ROOT_ACCESS_KEY_ID=", "FOGBANK_ROOT_SECRET_ACCESS_KEY="}
		}
		if err := n.Start(t.Context()); err != nil {
			t.Fatalf("start node %d: %v", i+1, err)
		}
		t.Cleanup(func() { _ = n.Kill() })
		c.nodes[i], c.db[i] = n, n.DynamoDB()
	}
	return c
}

// logFile creates a server log in the test's temporary directory, shown
// when the test fails.
func logFile(t *testing.T, name string) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close()
		if t.Failed() {
			if log, err := os.ReadFile(path); err == nil {
				t.Logf("%s:\n%s", name, tail(string(log), 4000))
			}
		}
	})
	return f
}

// tail returns the last n bytes of s.
func tail(s string, n int) string { return s[max(0, len(s)-n):] }

func TestTwoNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two server processes")
	}
	c := startCluster(t)
	t.Run("credentials", func(t *testing.T) { testCredentials(t, c) })
	t.Run("tables", func(t *testing.T) { testTables(t, c) })
	t.Run("read your writes", func(t *testing.T) { testReadYourWrites(t, c) })
	t.Run("conditional increments", func(t *testing.T) { testConditionalIncrements(t, c) })
	t.Run("ttl", func(t *testing.T) { testTTL(t, c) })
	t.Run("kill one node", func(t *testing.T) { testKillOneNode(t, c) })
}

// testCredentials checks that the second node, started without root
// credentials, serves the first node's root key from storage and wrote it to
// its own credentials file.
func testCredentials(t *testing.T, c *cluster) {
	creds, err := os.ReadFile(filepath.Join(c.nodes[1].DataDir, "credentials"))
	if err != nil || !strings.Contains(string(creds), fogproc.AccessKeyID) {
		t.Errorf("node 2 credentials file = %q, %v; want the root key %s from storage", creds, err, fogproc.AccessKeyID)
	}
	for i, db := range c.db {
		if _, err := db.ListTables(t.Context(), &dynamodb.ListTablesInput{}); err != nil {
			t.Errorf("node %d: ListTables with the root key: %v", i+1, err)
		}
	}
}

func testTables(t *testing.T, c *cluster) {
	createTable(t, c.db[0], "tables")
	out, err := c.db[1].DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String("tables")})
	if err != nil || out.Table.TableStatus != types.TableStatusActive {
		t.Fatalf("node 2: DescribeTable = %v, %v; want an ACTIVE table", out, err)
	}
	put(t, c.db[1], "tables", "k", "v")
	if got := get(t, c.db[0], "tables", "k"); got != "v" {
		t.Errorf("node 1 reads %q, want v", got)
	}
}

// testReadYourWrites writes through one node and reads through the other
// at once, many times in both directions.
func testReadYourWrites(t *testing.T, c *cluster) {
	createTable(t, c.db[0], "ryw")
	for i := range 100 {
		from, to := c.db[i%2], c.db[1-i%2]
		want := strconv.Itoa(i)
		put(t, from, "ryw", "k", want)
		if got := get(t, to, "ryw", "k"); got != want {
			t.Fatalf("write %d: read %q through the other node, want %q", i, got, want)
		}
	}
}

// testConditionalIncrements increments one counter from workers on both
// nodes with a version condition, retrying on ConditionalCheckFailed. The
// counter must end at the number of successful responses, and each success
// must have set a different value.
func testConditionalIncrements(t *testing.T, c *cluster) {
	const workers = 16
	createTable(t, c.db[0], "counter")
	put(t, c.db[0], "counter", "k", "0")
	// Workers stop starting calls after 3 s, but every call runs to its
	// answer: a call cut short by the client could still have committed.
	ctx := t.Context()
	deadline := time.Now().Add(3 * time.Second)
	var mu sync.Mutex
	set := map[int]int{} // value -> successful responses that set it
	var failed, other atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		db := c.db[w%2]
		wg.Go(func() {
			for time.Now().Before(deadline) {
				v, err := increment(ctx, db)
				switch {
				case err == nil:
					mu.Lock()
					set[v]++
					mu.Unlock()
				case isConditionalCheckFailed(err):
					failed.Add(1)
				default:
					other.Add(1)
					t.Errorf("increment: %v", err)
				}
			}
		})
	}
	wg.Wait()
	final, err := strconv.Atoi(get(t, c.db[1], "counter", "k"))
	if err != nil {
		t.Fatal(err)
	}
	successes := 0
	for v, n := range set {
		successes += n
		if n != 1 || v < 1 || v > final {
			t.Errorf("value %d was set by %d successful increments; want exactly one, within 1..%d", v, n, final)
		}
	}
	t.Logf("%d successful increments, %d conditional check failures, %d other errors, counter %d",
		successes, failed.Load(), other.Load(), final)
	if successes == 0 || final != successes {
		t.Errorf("counter = %d after %d successful increments; want them equal and positive", final, successes)
	}
}

// increment reads the counter and sets it one higher if nobody changed it
// meanwhile, returning the value set.
func increment(ctx context.Context, db *dynamodb.Client) (int, error) {
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("counter"), Key: key("k"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(out.Item["v"].(*types.AttributeValueMemberN).Value)
	if err != nil {
		return 0, err
	}
	_, err = db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String("counter"),
		Key:                 key("k"),
		UpdateExpression:    aws.String("SET v = :next"),
		ConditionExpression: aws.String("v = :seen"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":seen": &types.AttributeValueMemberN{Value: strconv.Itoa(v)},
			":next": &types.AttributeValueMemberN{Value: strconv.Itoa(v + 1)},
		},
	})
	return v + 1, err
}

func isConditionalCheckFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// testTTL enables TTL through one node and writes an expired item through
// the other: the sweeper, running on whichever node holds its lease,
// deletes it.
func testTTL(t *testing.T, c *cluster) {
	createTable(t, c.db[0], "ttl")
	_, err := c.db[0].UpdateTimeToLive(t.Context(), &dynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String("ttl"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)},
	})
	if err != nil {
		t.Fatalf("UpdateTimeToLive: %v", err)
	}
	putExpired(t, c.db[1], "ttl", "old")
	waitGone(t, c.db[0], "ttl", "old", 15*time.Second)
}

// putExpired writes an item whose TTL passed a minute ago.
func putExpired(t *testing.T, db *dynamodb.Client, table, k string) {
	t.Helper()
	item := key(k)
	item["exp"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(time.Now().Add(-time.Minute).Unix(), 10)}
	if _, err := db.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
}

// waitGone waits until item k of table is gone.
func waitGone(t *testing.T, db *dynamodb.Client, table, k string, timeout time.Duration) {
	t.Helper()
	start := time.Now()
	for time.Since(start) < timeout {
		out, err := db.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key(k), ConsistentRead: aws.Bool(true)})
		if err != nil {
			t.Fatalf("GetItem: %v", err)
		}
		if out.Item == nil {
			t.Logf("expired item deleted after %v", time.Since(start).Round(100*time.Millisecond))
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("expired item %s still present after %v", k, timeout)
}

// testKillOneNode writes through both nodes, kills the first with SIGKILL
// mid-load (its workers then fail over to the second), and checks that the
// second never failed and that every acknowledged write is present. The
// TTL sweeper's lease then moves to the second node.
func testKillOneNode(t *testing.T, c *cluster) {
	const workers = 16
	createTable(t, c.db[0], "kill")
	var mu sync.Mutex
	var acked []string
	var survivorErrors, failovers atomic.Int64
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			node := w % 2
			for seq := 0; ctx.Err() == nil; seq++ {
				k := fmt.Sprintf("w%d-%d", w, seq)
				_, err := c.db[node].PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("kill"), Item: keyValue(k, k)})
				switch {
				case err == nil:
					mu.Lock()
					acked = append(acked, k)
					mu.Unlock()
				case ctx.Err() != nil:
				case node == 0:
					node = 1 // the first node is gone: fail over
					failovers.Add(1)
				default:
					survivorErrors.Add(1)
					t.Errorf("node 2: PutItem: %v", err)
				}
			}
		})
	}
	time.Sleep(700 * time.Millisecond)
	if err := c.nodes[0].Kill(); err != nil {
		t.Errorf("kill node 1: %v", err)
	}
	time.Sleep(700 * time.Millisecond)
	cancel()
	wg.Wait()
	t.Logf("%d acknowledged writes, %d workers failed over, %d errors on node 2", len(acked), failovers.Load(), survivorErrors.Load())
	verifyPresent(t, c.db[1], "kill", acked)
	// Node 1 held the sweeper's lease (it started first); node 2 takes it
	// once it expires (lease.DefaultTTL).
	putExpired(t, c.db[1], "ttl", "after-kill")
	waitGone(t, c.db[1], "ttl", "after-kill", 30*time.Second)
}

// verifyPresent reads every key through db, in parallel.
func verifyPresent(t *testing.T, db *dynamodb.Client, table string, keys []string) {
	t.Helper()
	var missing atomic.Int64
	var wg sync.WaitGroup
	const readers = 16
	for r := range readers {
		wg.Go(func() {
			for i := r; i < len(keys); i += readers {
				if got := get(t, db, table, keys[i]); got != keys[i] {
					missing.Add(1)
					t.Errorf("acknowledged write %s: read %q", keys[i], got)
				}
			}
		})
	}
	wg.Wait()
	if n := missing.Load(); n > 0 {
		t.Errorf("%d of %d acknowledged writes missing", n, len(keys))
	}
}

func createTable(t *testing.T, db *dynamodb.Client, name string) {
	t.Helper()
	_, err := db.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
	})
	if err != nil {
		t.Fatalf("CreateTable(%s): %v", name, err)
	}
}

func key(k string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: k}}
}

// keyValue returns an item with key k and a numeric-or-string value v: a
// number when v parses as one, so that the counter can be incremented.
func keyValue(k, v string) map[string]types.AttributeValue {
	item := key(k)
	if _, err := strconv.Atoi(v); err == nil {
		item["v"] = &types.AttributeValueMemberN{Value: v}
	} else {
		item["v"] = &types.AttributeValueMemberS{Value: v}
	}
	return item
}

func put(t *testing.T, db *dynamodb.Client, table, k, v string) {
	t.Helper()
	if _, err := db.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: keyValue(k, v)}); err != nil {
		t.Fatalf("PutItem(%s): %v", table, err)
	}
}

// get reads item k of table with ConsistentRead and returns its value, ""
// when it is missing.
func get(t *testing.T, db *dynamodb.Client, table, k string) string {
	t.Helper()
	out, err := db.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key(k), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Errorf("GetItem(%s, %s): %v", table, k, err)
		return ""
	}
	switch v := out.Item["v"].(type) {
	case *types.AttributeValueMemberS:
		return v.Value
	case *types.AttributeValueMemberN:
		return v.Value
	}
	return ""
}
