package dynamodb_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// sv and nv build attribute values.
func sv(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func nv(v int) types.AttributeValue    { return &types.AttributeValueMemberN{Value: strconv.Itoa(v)} }

// newIndexedTable creates "idx" (pk S, sk N) with GSI byG (g S, KEYS_ONLY
// plus x) and LSI byL (pk, l N, KEYS_ONLY).
func newIndexedTable(t *testing.T) *dynamodb.Client {
	t.Helper()
	_, ddb := newTable(t)
	_, err := ddb.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName: aws.String("idx"),
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
			{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: aws.String("l"), AttributeType: types.ScalarAttributeTypeN},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: aws.String("byG"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"x"}}}},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{{IndexName: aws.String("byL"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("l"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	return ddb
}

// put writes item to table.
func put(t testing.TB, ddb *dynamodb.Client, table string, item map[string]types.AttributeValue) {
	t.Helper()
	if _, err := ddb.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
}

// sks returns the sk numbers of items, in order.
func sks(items []map[string]types.AttributeValue) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it["sk"].(*types.AttributeValueMemberN).Value
	}
	return out
}

// queryIndex queries index for hash attribute name = v.
func queryIndex(t *testing.T, ddb *dynamodb.Client, index, name string, v types.AttributeValue) *dynamodb.QueryOutput {
	t.Helper()
	out, err := ddb.Query(t.Context(), &dynamodb.QueryInput{TableName: aws.String("idx"), IndexName: aws.String(index),
		KeyConditionExpression: aws.String("#k = :v"), ExpressionAttributeNames: map[string]string{"#k": name},
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": v}})
	if err != nil {
		t.Fatalf("Query %s: %v", index, err)
	}
	return out
}

func TestSDKSecondaryIndexes(t *testing.T) {
	t.Parallel()
	ddb := newIndexedTable(t)
	ctx := t.Context()
	put(t, ddb, "idx", map[string]types.AttributeValue{"pk": sv("a"), "sk": nv(1), "g": sv("red"), "l": nv(30), "x": sv("x1"), "y": sv("y1")})
	put(t, ddb, "idx", map[string]types.AttributeValue{"pk": sv("a"), "sk": nv(2), "g": sv("red"), "l": nv(10)})
	put(t, ddb, "idx", map[string]types.AttributeValue{"pk": sv("a"), "sk": nv(3)}) // in neither index
	put(t, ddb, "idx", map[string]types.AttributeValue{"pk": sv("b"), "sk": nv(4), "g": sv("blue")})

	got := queryIndex(t, ddb, "byG", "g", sv("red"))
	want := []map[string]types.AttributeValue{{"pk": sv("a"), "sk": nv(1), "g": sv("red"), "x": sv("x1")}, {"pk": sv("a"), "sk": nv(2), "g": sv("red")}}
	if diff := cmp.Diff(want, got.Items, ignoreSDK); diff != "" {
		t.Errorf("GSI items (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"2", "1"}, sks(queryIndex(t, ddb, "byL", "pk", sv("a")).Items)); diff != "" {
		t.Errorf("LSI order (-want +got):\n%s", diff)
	}
	// Moving an item to another index key and deleting one.
	if _, err := ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("idx"), Key: map[string]types.AttributeValue{"pk": sv("a"), "sk": nv(1)},
		UpdateExpression: aws.String("SET g = :g"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": sv("blue")}}); err != nil {
		t.Fatalf("UpdateItem: %v", err)
	}
	if _, err := ddb.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("idx"), Key: map[string]types.AttributeValue{"pk": sv("a"), "sk": nv(2)}}); err != nil {
		t.Fatalf("DeleteItem: %v", err)
	}
	if got := queryIndex(t, ddb, "byG", "g", sv("red")).Count; got != 0 {
		t.Errorf("red after move and delete: Count = %d, want 0", got)
	}
	if diff := cmp.Diff([]string{"1", "4"}, slices.Sorted(slices.Values(sks(queryIndex(t, ddb, "byG", "g", sv("blue")).Items)))); diff != "" {
		t.Errorf("blue after move (-want +got):\n%s", diff)
	}
	// ALL_ATTRIBUTES on the KEYS_ONLY LSI reads the table item.
	lsi, err := ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("idx"), IndexName: aws.String("byL"), Select: types.SelectAllAttributes,
		KeyConditionExpression: aws.String("pk = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": sv("a")}})
	if err != nil {
		t.Fatalf("Query LSI: %v", err)
	}
	if len(lsi.Items) != 1 || lsi.Items[0]["y"] == nil {
		t.Errorf("LSI ALL_ATTRIBUTES items = %v, want the full item 1", lsi.Items)
	}
	_, err = ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("idx"), IndexName: aws.String("byG"), Select: types.SelectAllAttributes,
		KeyConditionExpression: aws.String("g = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": sv("red")}})
	apiError(t, "Query", err, "ValidationException", "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byG because its projection type is not ALL")
	_, err = ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("idx"), Item: map[string]types.AttributeValue{"pk": sv("a"), "sk": nv(9), "g": nv(1)}})
	apiError(t, "PutItem", err, "ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG")
	desc, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("idx")})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	if g, l := desc.Table.GlobalSecondaryIndexes[0].ItemCount, desc.Table.LocalSecondaryIndexes[0].ItemCount; *g != 2 || *l != 1 {
		t.Errorf("index ItemCount = %d, %d, want 2, 1", *g, *l)
	}
}

// waitIndex polls DescribeTable until the index has status (or is gone,
// for status "").
func waitIndex(t *testing.T, ddb *dynamodb.Client, table, index string, status types.IndexStatus) *types.TableDescription {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := ddb.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
		if err != nil {
			t.Fatalf("DescribeTable: %v", err)
		}
		i := slices.IndexFunc(out.Table.GlobalSecondaryIndexes, func(g types.GlobalSecondaryIndexDescription) bool { return *g.IndexName == index })
		if (i < 0 && status == "") || (i >= 0 && out.Table.GlobalSecondaryIndexes[i].IndexStatus == status) {
			return out.Table
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("index %s never reached %q", index, status)
	return nil
}

func TestSDKCreateAndDeleteGSI(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	const items = 700 // several backfill batches
	for i := range items {
		item := key("p"+strconv.Itoa(i%7), strconv.Itoa(i))
		if i%2 == 0 {
			item["color"] = sv([]string{"red", "blue"}[i%4/2])
		}
		put(t, ddb, "items", item)
	}
	create := &dynamodb.UpdateTableInput{TableName: aws.String("items"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("color"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{IndexName: aws.String("byColor"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("color"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}}}}
	out, err := ddb.UpdateTable(ctx, create)
	if err != nil {
		t.Fatalf("UpdateTable create: %v", err)
	}
	if st := out.TableDescription.GlobalSecondaryIndexes[0].IndexStatus; st != types.IndexStatusCreating {
		t.Errorf("IndexStatus = %s, want CREATING", st)
	}
	_, err = ddb.UpdateTable(ctx, create)
	if err == nil || !strings.Contains(err.Error(), "already exists") && !strings.Contains(err.Error(), "Subscriber limit exceeded") {
		t.Errorf("second create: err = %v, want already exists", err)
	}
	put(t, ddb, "items", map[string]types.AttributeValue{"pk": sv("late"), "sk": nv(100000), "color": sv("red")})
	desc := waitIndex(t, ddb, "items", "byColor", types.IndexStatusActive)
	if got := *desc.GlobalSecondaryIndexes[0].ItemCount; got != items/2+1 {
		t.Errorf("ItemCount = %d, want %d", got, items/2+1)
	}
	var seen []string
	p := dynamodb.NewQueryPaginator(ddb, &dynamodb.QueryInput{TableName: aws.String("items"), IndexName: aws.String("byColor"), Limit: aws.Int32(100),
		KeyConditionExpression: aws.String("color = :c"), ExpressionAttributeValues: map[string]types.AttributeValue{":c": sv("red")}})
	for p.HasMorePages() {
		pg, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("Query page: %v", err)
		}
		seen = append(seen, sks(pg.Items)...)
	}
	if len(seen) != items/4+1 || !slices.IsSortedFunc(seen, func(a, b string) int { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return x - y }) {
		t.Errorf("red entries: %d in order %v, want %d sorted", len(seen), slices.IsSorted(seen), items/4+1)
	}
	if _, err := ddb.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("items"),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("byColor")}}}}); err != nil {
		t.Fatalf("UpdateTable delete: %v", err)
	}
	desc = waitIndex(t, ddb, "items", "byColor", "")
	if len(desc.AttributeDefinitions) != 2 {
		t.Errorf("AttributeDefinitions after delete = %d, want 2", len(desc.AttributeDefinitions))
	}
}

func TestSDKParallelScan(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	const items = 300
	for i := range items {
		put(t, ddb, "items", key("p"+strconv.Itoa(i), strconv.Itoa(i%3)))
	}
	for _, total := range []int32{1, 3, 7} {
		seen := map[string]int{}
		for seg := range total {
			p := dynamodb.NewScanPaginator(ddb, &dynamodb.ScanInput{TableName: aws.String("items"), Segment: aws.Int32(seg), TotalSegments: aws.Int32(total), Limit: aws.Int32(17)})
			for p.HasMorePages() {
				pg, err := p.NextPage(t.Context())
				if err != nil {
					t.Fatalf("Scan: %v", err)
				}
				for _, it := range pg.Items {
					seen[it["pk"].(*types.AttributeValueMemberS).Value]++
				}
			}
		}
		if len(seen) != items {
			t.Errorf("%d segments: saw %d items, want %d", total, len(seen), items)
		}
		for k, c := range seen {
			if c != 1 {
				t.Errorf("%d segments: item %s seen %d times", total, k, c)
			}
		}
	}
}

func TestSDKQueryPagesByteLimit(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	big := strings.Repeat("x", 350*1024)
	const items = 8
	for i := range items {
		item := key("a", strconv.Itoa(i))
		item["big"] = sv(big)
		put(t, ddb, "items", item)
	}
	for _, forward := range []bool{true, false} {
		var got []string
		pages := 0
		p := dynamodb.NewQueryPaginator(ddb, &dynamodb.QueryInput{TableName: aws.String("items"), ScanIndexForward: aws.Bool(forward), ProjectionExpression: aws.String("sk"),
			KeyConditionExpression: aws.String("pk = :p"), ExpressionAttributeValues: map[string]types.AttributeValue{":p": sv("a")}})
		for p.HasMorePages() {
			pg, err := p.NextPage(t.Context())
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			pages++
			got = append(got, sks(pg.Items)...)
		}
		want := []string{"0", "1", "2", "3", "4", "5", "6", "7"}
		if !forward {
			slices.Reverse(want)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("forward=%v items (-want +got):\n%s", forward, diff)
		}
		if pages < 3 {
			t.Errorf("forward=%v: %d pages, want at least 3 (1 MB each)", forward, pages)
		}
	}
}

func BenchmarkQuery(b *testing.B) {
	srv := fogtest.Start(b)
	ddb := srv.DynamoDB()
	createBenchTable(b, ddb)
	for i := range 100 {
		item := map[string]types.AttributeValue{"pk": sv("p"), "sk": nv(i), "v": sv(strings.Repeat("v", 100))}
		if _, err := ddb.PutItem(b.Context(), &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item}); err != nil {
			b.Fatalf("PutItem: %v", err)
		}
	}
	in := &dynamodb.QueryInput{TableName: aws.String("items"), KeyConditionExpression: aws.String("pk = :p"), ExpressionAttributeValues: map[string]types.AttributeValue{":p": sv("p")}}
	for b.Loop() {
		out, err := ddb.Query(b.Context(), in)
		if err != nil || out.Count != 100 {
			b.Fatalf("Query: %v, Count %d", err, out.Count)
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "items/s")
}
