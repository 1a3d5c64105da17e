package dynamodb_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
)

// paginatedItems is the size of the paginator tests' table.
const paginatedItems = 10000

// paginatedPayload makes each item about 300 bytes, so that the 10,000
// items span several 1 MB pages even without a Limit.
var paginatedPayload = strings.Repeat("p", 280)

// TestSDKPaginators walks a 10,000-item partition with the SDK's own
// paginators and checks that every item is seen exactly once, in sort-key
// order for Query.
func TestSDKPaginators(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 10,000 items")
	}
	t.Parallel()
	_, ddb := newTable(t)
	writePaginated(t, ddb)
	ascending := make([]int, paginatedItems)
	for i := range ascending {
		ascending[i] = i
	}
	descending := slices.Clone(ascending)
	slices.Reverse(descending)

	for _, tc := range []struct {
		name    string
		forward bool
		limit   int32 // 0: pages end at 1 MB
		want    []int
	}{
		{"forward", true, 0, ascending},
		{"backward", false, 0, descending},
		{"forward limit 1000", true, 1000, ascending},
		{"backward limit 777", false, 777, descending},
		{"forward small limit", true, 97, ascending},
	} {
		t.Run("Query "+tc.name, func(t *testing.T) {
			in := &dynamodb.QueryInput{
				TableName:                 aws.String("items"),
				KeyConditionExpression:    aws.String("pk = :p"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "p"}},
				ScanIndexForward:          aws.Bool(tc.forward),
			}
			if tc.limit > 0 {
				in.Limit = aws.Int32(tc.limit)
			}
			got, pages := queryAll(t, ddb, in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sort keys seen (-want +got):\n%s", diff)
			}
			checkPageCount(t, pages, tc.limit)
		})
	}
	for _, tc := range []struct {
		name     string
		limit    int32
		segments int32
	}{
		{"whole table", 0, 1},
		{"limit 500", 500, 1},
		{"3 segments", 0, 3},
	} {
		t.Run("Scan "+tc.name, func(t *testing.T) {
			var got []int
			for seg := range tc.segments {
				in := &dynamodb.ScanInput{TableName: aws.String("items")}
				if tc.limit > 0 {
					in.Limit = aws.Int32(tc.limit)
				}
				if tc.segments > 1 {
					in.Segment, in.TotalSegments = aws.Int32(seg), aws.Int32(tc.segments)
				}
				got = append(got, scanAll(t, ddb, in)...)
			}
			slices.Sort(got)
			if diff := cmp.Diff(ascending, got); diff != "" {
				t.Errorf("sort keys seen, sorted (-want +got):\n%s", diff)
			}
		})
	}
}

// writePaginated fills partition "p" of table "items" with sort keys
// 0..paginatedItems-1, 25 items per BatchWriteItem, from 4 writers.
func writePaginated(t *testing.T, ddb *dynamodb.Client) {
	t.Helper()
	const batch, writers = 25, 4
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			var err error
			for start := w * batch; start < paginatedItems && err == nil; start += writers * batch {
				err = writeBatch(t.Context(), ddb, start, min(start+batch, paginatedItems))
			}
			errs <- err
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatalf("BatchWriteItem: %v", err)
		}
	}
}

// writeBatch puts the items with sort keys from..to-1 in one BatchWriteItem.
func writeBatch(ctx context.Context, ddb *dynamodb.Client, from, to int) error {
	reqs := make([]types.WriteRequest, 0, to-from)
	for i := from; i < to; i++ {
		item := key("p", strconv.Itoa(i))
		item["payload"] = &types.AttributeValueMemberS{Value: paginatedPayload}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	out, err := ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"items": reqs}})
	if err == nil && len(out.UnprocessedItems) > 0 {
		err = fmt.Errorf("unprocessed items: %d tables", len(out.UnprocessedItems))
	}
	return err
}

// queryAll runs a QueryPaginator to its end and returns the sort keys seen
// and the number of pages.
func queryAll(t *testing.T, ddb *dynamodb.Client, in *dynamodb.QueryInput) ([]int, int) {
	t.Helper()
	var got []int
	pages := 0
	for p := dynamodb.NewQueryPaginator(ddb, in); p.HasMorePages(); pages++ {
		out, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatalf("Query page %d: %v", pages, err)
		}
		if int(out.Count) != len(out.Items) || out.ScannedCount != out.Count {
			t.Fatalf("Query page %d: Count %d, ScannedCount %d, %d items", pages, out.Count, out.ScannedCount, len(out.Items))
		}
		got = append(got, sortKeys(t, out.Items)...)
	}
	return got, pages
}

// scanAll runs a ScanPaginator to its end and returns the sort keys seen.
func scanAll(t *testing.T, ddb *dynamodb.Client, in *dynamodb.ScanInput) []int {
	t.Helper()
	var got []int
	for p := dynamodb.NewScanPaginator(ddb, in); p.HasMorePages(); {
		out, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatalf("Scan: %v", err)
		}
		if in.Limit != nil && out.ScannedCount > *in.Limit {
			t.Fatalf("Scan page of %d items with Limit %d", out.ScannedCount, *in.Limit)
		}
		got = append(got, sortKeys(t, out.Items)...)
	}
	return got
}

// sortKeys returns the numeric sort keys of items.
func sortKeys(t *testing.T, items []map[string]types.AttributeValue) []int {
	t.Helper()
	out := make([]int, len(items))
	for i, it := range items {
		sk, ok := it["sk"].(*types.AttributeValueMemberN)
		if !ok {
			t.Fatalf("item without a numeric sk: %v", it)
		}
		n, err := strconv.Atoi(sk.Value)
		if err != nil {
			t.Fatalf("sk %q: %v", sk.Value, err)
		}
		out[i] = n
	}
	return out
}

// checkPageCount checks the number of Query pages: with a Limit, one per
// Limit items (plus a last, empty page when the Limit divides the total,
// as DynamoDB cannot know it has reached the end); without, the 1 MB page
// limit splits the ~3 MB partition into a few pages.
func checkPageCount(t *testing.T, pages int, limit int32) {
	t.Helper()
	if limit == 0 {
		if pages < 3 || pages > 5 {
			t.Errorf("%d pages without a Limit, want 3 to 5 pages of at most 1 MB", pages)
		}
		return
	}
	want := (paginatedItems + int(limit)) / int(limit)
	if pages != want {
		t.Errorf("%d pages with Limit %d, want %d", pages, limit, want)
	}
}
