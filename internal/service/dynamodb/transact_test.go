package dynamodb_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignoreTransact extends ignoreSDK to the transaction types.
var ignoreTransact = cmpopts.IgnoreUnexported(types.CancellationReason{}, types.ItemResponse{})

// num is an N attribute value.
func num(n int) types.AttributeValue { return &types.AttributeValueMemberN{Value: strconv.Itoa(n)} }

// str is an S attribute value.
func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

// putItem writes item to table "items", failing the test on error.
func putItem(t testing.TB, ddb *dynamodb.Client, item map[string]types.AttributeValue) {
	t.Helper()
	if _, err := ddb.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
}

// withAttr returns key(pk, sk) plus one more attribute.
func withAttr(pk, sk, name string, v types.AttributeValue) map[string]types.AttributeValue {
	it := key(pk, sk)
	it[name] = v
	return it
}

func TestSDKTransactWriteCancelled(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	putItem(t, ddb, withAttr("a", "1", "n", num(5)))
	putItem(t, ddb, withAttr("b", "1", "n", num(1)))
	_, err := ddb.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("items"), Item: withAttr("c", "1", "n", num(9))}},
		{Update: &types.Update{TableName: aws.String("items"), Key: key("a", "1"), UpdateExpression: aws.String("ADD n :one"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1)}}},
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String("items"), Key: key("b", "1"), ConditionExpression: aws.String("n > :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": num(3)}, ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
		{Delete: &types.Delete{TableName: aws.String("items"), Key: key("z", "1"), ConditionExpression: aws.String("attribute_exists(pk)")}},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("TransactWriteItems: err = %v, want TransactionCanceledException", err)
	}
	apiError(t, "TransactWriteItems", err, "TransactionCanceledException",
		"Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed, ConditionalCheckFailed]")
	want := []types.CancellationReason{
		{Code: aws.String("None")},
		{Code: aws.String("None")},
		{Code: aws.String("ConditionalCheckFailed"), Message: aws.String("The conditional request failed"), Item: withAttr("b", "1", "n", num(1))},
		{Code: aws.String("ConditionalCheckFailed"), Message: aws.String("The conditional request failed")},
	}
	if diff := cmp.Diff(want, tce.CancellationReasons, ignoreSDK, ignoreTransact); diff != "" {
		t.Errorf("CancellationReasons (-want +got):\n%s", diff)
	}
	got, err := ddb.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
		{Get: &types.Get{TableName: aws.String("items"), Key: key("a", "1")}},
		{Get: &types.Get{TableName: aws.String("items"), Key: key("c", "1")}},
		{Get: &types.Get{TableName: aws.String("items"), Key: key("b", "1"), ProjectionExpression: aws.String("#n"), ExpressionAttributeNames: map[string]string{"#n": "n"}}},
	}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatalf("TransactGetItems: %v", err)
	}
	wantItems := []types.ItemResponse{{Item: withAttr("a", "1", "n", num(5))}, {}, {Item: map[string]types.AttributeValue{"n": num(1)}}}
	if diff := cmp.Diff(wantItems, got.Responses, ignoreSDK, ignoreTransact); diff != "" {
		t.Errorf("nothing must be written; TransactGetItems (-want +got):\n%s", diff)
	}
	wantCap := []types.ConsumedCapacity{{TableName: aws.String("items"), CapacityUnits: aws.Float64(6)}}
	if diff := cmp.Diff(wantCap, got.ConsumedCapacity, ignoreSDK); diff != "" {
		t.Errorf("TransactGetItems capacity (-want +got):\n%s", diff)
	}
}

func TestSDKTransactWriteValidationError(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	_, err := ddb.TransactWriteItems(t.Context(), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("items"), Item: key("c", "1")}},
		{Update: &types.Update{TableName: aws.String("items"), Key: key("a", "1"), UpdateExpression: aws.String("SET n = m + :one"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1)}}},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("TransactWriteItems: err = %v, want TransactionCanceledException", err)
	}
	want := []types.CancellationReason{
		{Code: aws.String("None")},
		{Code: aws.String("ValidationError"), Message: aws.String("The provided expression refers to an attribute that does not exist in the item")},
	}
	if diff := cmp.Diff(want, tce.CancellationReasons, ignoreSDK, ignoreTransact); diff != "" {
		t.Errorf("CancellationReasons (-want +got):\n%s", diff)
	}
}

func TestSDKTransactWriteIdempotent(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	add := func(token string, by int) (*dynamodb.TransactWriteItemsOutput, error) {
		return ddb.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
			ClientRequestToken:     aws.String(token),
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
			TransactItems: []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String("items"), Key: key("a", "1"),
				UpdateExpression: aws.String("ADD n :by"), ExpressionAttributeValues: map[string]types.AttributeValue{":by": num(by)}}}},
		})
	}
	wantCap := []types.ConsumedCapacity{{TableName: aws.String("items"), CapacityUnits: aws.Float64(2)}}
	for i := range 3 {
		out, err := add("token-1", 1)
		if err != nil {
			t.Fatalf("TransactWriteItems #%d: %v", i, err)
		}
		if diff := cmp.Diff(wantCap, out.ConsumedCapacity, ignoreSDK); diff != "" {
			t.Errorf("TransactWriteItems #%d capacity (-want +got):\n%s", i, diff)
		}
	}
	_, err := add("token-1", 2)
	apiError(t, "TransactWriteItems", err, "IdempotentParameterMismatchException", "The request uses the same client token as a previous, but non-identical request.")
	if _, err := add("token-2", 1); err != nil {
		t.Fatalf("TransactWriteItems token-2: %v", err)
	}
	got, err := ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: key("a", "1")})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	if diff := cmp.Diff(withAttr("a", "1", "n", num(2)), got.Item, ignoreSDK); diff != "" {
		t.Errorf("the retries must apply once (-want +got):\n%s", diff)
	}
}

func TestSDKTransactValidation(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	put := func(pk string) types.TransactWriteItem {
		return types.TransactWriteItem{Put: &types.Put{TableName: aws.String("items"), Item: key(pk, "1")}}
	}
	many := make([]types.TransactWriteItem, 101)
	for i := range many {
		many[i] = put(strconv.Itoa(i))
	}
	for _, tc := range []struct {
		name  string
		items []types.TransactWriteItem
		token *string
		code  string
		msg   string
	}{
		{"same item twice", []types.TransactWriteItem{put("a"), {Delete: &types.Delete{TableName: aws.String("items"), Key: key("a", "1")}}},
			nil, "ValidationException", "Transaction request cannot include multiple operations on one item"},
		{"no action", []types.TransactWriteItem{{}}, nil, "ValidationException", "The action or operation requested is invalid. Verify that the action is typed correctly."},
		{"two actions", []types.TransactWriteItem{{Put: put("a").Put, Delete: &types.Delete{TableName: aws.String("items"), Key: key("b", "1")}}},
			nil, "ValidationException", "TransactItems can only contain one of Check, Put, Update or Delete"},
		{"wrong key", []types.TransactWriteItem{{Delete: &types.Delete{TableName: aws.String("items"), Key: map[string]types.AttributeValue{"pk": str("a")}}}},
			nil, "ValidationException", "The provided key element does not match the schema"},
		{"put missing key", []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String("items"), Item: map[string]types.AttributeValue{"pk": str("a")}}}},
			nil, "ValidationException", "The provided key element does not match the schema"},
		{"empty key", []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String("items"), Key: key("", "1"), UpdateExpression: aws.String("SET x = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": num(1)}}}},
			nil, "ValidationException", "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"key update", []types.TransactWriteItem{{Update: &types.Update{TableName: aws.String("items"), Key: key("a", "1"), UpdateExpression: aws.String("SET pk = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": str("b")}}}},
			nil, "ValidationException", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{"empty values", []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String("items"), Item: key("a", "1"), ConditionExpression: aws.String("attribute_not_exists(pk)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{}}}},
			nil, "ValidationException", "ExpressionAttributeValues must not be empty"},
		{"unknown table", []types.TransactWriteItem{put("a"), {Put: &types.Put{TableName: aws.String("nope"), Item: key("a", "1")}}},
			nil, "ResourceNotFoundException", "Requested resource not found"},
		{"long token", []types.TransactWriteItem{put("a")}, aws.String(fmt.Sprintf("%037d", 0)), "ValidationException",
			"1 validation error detected: Value '" + fmt.Sprintf("%037d", 0) + "' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"},
	} {
		_, err := ddb.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tc.items, ClientRequestToken: tc.token})
		apiError(t, tc.name, err, tc.code, tc.msg)
	}
	_, err := ddb.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: many})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationException" ||
		!strings.HasPrefix(ae.ErrorMessage(), "1 validation error detected: Value '[com.amazonaws.dynamodb.v20120810.TransactWriteItem@") ||
		!strings.HasSuffix(ae.ErrorMessage(), "]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100") {
		t.Errorf("101 actions: err = %v, want ValidationException for the length of transactItems", err)
	}
	_, err = ddb.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
		{Get: &types.Get{TableName: aws.String("items"), Key: key("a", "1")}},
		{Get: &types.Get{TableName: aws.String("items"), Key: key("a", "1")}},
	}})
	apiError(t, "TransactGetItems", err, "ValidationException", "Transaction request cannot include multiple operations on one item")
	_, err = ddb.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{{Get: &types.Get{TableName: aws.String("nope"), Key: key("a", "1")}}}})
	apiError(t, "TransactGetItems", err, "ResourceNotFoundException", "Requested resource not found")
}

func TestSDKBatch(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	putItem(t, ddb, withAttr("old", "1", "n", num(1)))
	wout, err := ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"items": {
		{PutRequest: &types.PutRequest{Item: withAttr("a", "1", "n", num(1))}},
		{PutRequest: &types.PutRequest{Item: withAttr("a", "2", "n", num(2))}},
		{DeleteRequest: &types.DeleteRequest{Key: key("old", "1")}},
	}}})
	if err != nil {
		t.Fatalf("BatchWriteItem: %v", err)
	}
	if wout.UnprocessedItems == nil || len(wout.UnprocessedItems) != 0 {
		t.Errorf("UnprocessedItems = %v, want present and empty", wout.UnprocessedItems)
	}
	gout, err := ddb.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"items": {
		Keys: []map[string]types.AttributeValue{key("a", "1"), key("old", "1"), key("a", "2")}, ProjectionExpression: aws.String("n"),
	}}})
	if err != nil {
		t.Fatalf("BatchGetItem: %v", err)
	}
	want := map[string][]map[string]types.AttributeValue{"items": {{"n": num(1)}, {"n": num(2)}}}
	if diff := cmp.Diff(want, gout.Responses, ignoreSDK); diff != "" {
		t.Errorf("BatchGetItem (-want +got):\n%s", diff)
	}
	if gout.UnprocessedKeys == nil || len(gout.UnprocessedKeys) != 0 {
		t.Errorf("UnprocessedKeys = %v, want present and empty", gout.UnprocessedKeys)
	}
	_, err = ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"items": {
		{PutRequest: &types.PutRequest{Item: key("a", "1")}}, {DeleteRequest: &types.DeleteRequest{Key: key("a", "1")}},
	}}})
	apiError(t, "BatchWriteItem", err, "ValidationException", "Provided list of item keys contains duplicates")
	_, err = ddb.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"nope": {Keys: []map[string]types.AttributeValue{key("a", "1")}}}})
	apiError(t, "BatchGetItem", err, "ResourceNotFoundException", "Requested resource not found")
}

// TestSDKTransactionsSerializable runs random transfers between five
// accounts with TransactWriteItems (each conditional on the balance
// covering the amount) while readers sum the balances with
// TransactGetItems and single-item UpdateItem calls increment a counter on
// the same items: the total never changes, no balance goes negative and the
// counters are exact.
func TestSDKTransactionsSerializable(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	const accounts, initial, writers, transfers, bumps = 5, 100, 8, 15, 10
	for i := range accounts {
		putItem(t, ddb, withAttr("acct", strconv.Itoa(i), "balance", num(initial)))
	}
	gets := make([]types.TransactGetItem, accounts)
	for i := range gets {
		gets[i] = types.TransactGetItem{Get: &types.Get{TableName: aws.String("items"), Key: key("acct", strconv.Itoa(i))}}
	}
	errs := make(chan error, 64)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() { errs <- transferLoop(t, ddb, rand.New(rand.NewPCG(uint64(w), 1)), accounts, transfers) })
		wg.Go(func() { errs <- bumpLoop(t, ddb, w%accounts, bumps) })
	}
	for range 2 {
		wg.Go(func() { errs <- readTotals(t, ddb, gets, accounts*initial, 10) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got, err := ddb.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: gets})
	if err != nil {
		t.Fatalf("TransactGetItems: %v", err)
	}
	bumped := 0
	for _, r := range got.Responses {
		bumped += attrInt(r.Item["bumps"])
	}
	if bumped != writers*bumps {
		t.Errorf("sum of counters = %d, want %d", bumped, writers*bumps)
	}
}

// transferLoop runs n random transfers, tolerating only cancellations for
// an insufficient balance.
func transferLoop(t *testing.T, ddb *dynamodb.Client, rng *rand.Rand, accounts, n int) error {
	for range n {
		from, to := rng.IntN(accounts), rng.IntN(accounts-1)
		if to >= from {
			to++
		}
		amount := map[string]types.AttributeValue{":amt": num(1 + rng.IntN(60))}
		_, err := ddb.TransactWriteItems(t.Context(), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{TableName: aws.String("items"), Key: key("acct", strconv.Itoa(from)), UpdateExpression: aws.String("SET balance = balance - :amt"),
				ConditionExpression: aws.String("balance >= :amt"), ExpressionAttributeValues: amount}},
			{Update: &types.Update{TableName: aws.String("items"), Key: key("acct", strconv.Itoa(to)), UpdateExpression: aws.String("SET balance = balance + :amt"),
				ExpressionAttributeValues: amount}},
		}})
		var tce *types.TransactionCanceledException
		if err != nil && !errors.As(err, &tce) {
			return fmt.Errorf("transfer: %w", err)
		}
	}
	return nil
}

// bumpLoop increments account i's counter n times with UpdateItem.
func bumpLoop(t *testing.T, ddb *dynamodb.Client, i, n int) error {
	for range n {
		_, err := ddb.UpdateItem(t.Context(), &dynamodb.UpdateItemInput{TableName: aws.String("items"), Key: key("acct", strconv.Itoa(i)),
			UpdateExpression: aws.String("ADD bumps :one"), ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1)}})
		if err != nil {
			return fmt.Errorf("bump: %w", err)
		}
	}
	return nil
}

// readTotals reads all balances n times, checking the invariants.
func readTotals(t *testing.T, ddb *dynamodb.Client, gets []types.TransactGetItem, want, n int) error {
	for range n {
		out, err := ddb.TransactGetItems(t.Context(), &dynamodb.TransactGetItemsInput{TransactItems: gets})
		if err != nil {
			return fmt.Errorf("read totals: %w", err)
		}
		total := 0
		for i, r := range out.Responses {
			b := attrInt(r.Item["balance"])
			if b < 0 {
				return fmt.Errorf("account %d balance %d < 0", i, b)
			}
			total += b
		}
		if total != want {
			return fmt.Errorf("total = %d, want %d", total, want)
		}
	}
	return nil
}

// attrInt returns an N attribute's integer value, 0 when absent.
func attrInt(v types.AttributeValue) int {
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return 0
	}
	i, _ := strconv.Atoi(n.Value)
	return i
}

// BenchmarkTransactWrite measures a 10-item TransactWriteItems through the SDK.
func BenchmarkTransactWrite(b *testing.B) {
	_, ddb := newTable(b)
	items := make([]types.TransactWriteItem, 10)
	for i := range items {
		items[i] = types.TransactWriteItem{Update: &types.Update{TableName: aws.String("items"), Key: key("bench", strconv.Itoa(i)),
			UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1)}}}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ddb.TransactWriteItems(b.Context(), &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
			b.Fatalf("TransactWriteItems: %v", err)
		}
	}
}

// BenchmarkBatchWrite measures a 25-item BatchWriteItem through the SDK.
func BenchmarkBatchWrite(b *testing.B) {
	_, ddb := newTable(b)
	reqs := make([]types.WriteRequest, 25)
	for i := range reqs {
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: withAttr("bench", strconv.Itoa(i), "v", str("value"))}}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ddb.BatchWriteItem(b.Context(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"items": reqs}}); err != nil {
			b.Fatalf("BatchWriteItem: %v", err)
		}
	}
}
