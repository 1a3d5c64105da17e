package dynamodb_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// ignoreSDK ignores the SDK's unexported no-serde markers in comparisons.
var ignoreSDK = cmpopts.IgnoreUnexported(
	types.AttributeValueMemberS{}, types.AttributeValueMemberN{}, types.AttributeValueMemberB{},
	types.AttributeValueMemberBOOL{}, types.AttributeValueMemberSS{}, types.AttributeValueMemberL{},
	types.AttributeValueMemberM{}, types.ConsumedCapacity{}, types.Capacity{},
)

// newTable starts a server and creates table "items" (pk S, sk N).
func newTable(t testing.TB) (*fogtest.Server, *dynamodb.Client) {
	t.Helper()
	srv := fogtest.Start(t)
	ddb := srv.DynamoDB()
	_, err := ddb.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName: aws.String("items"),
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	return srv, ddb
}

// key returns the key of item (pk, sk).
func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}, "sk": &types.AttributeValueMemberN{Value: sk}}
}

// apiError asserts err is an AWS API error with this code and message.
func apiError(t *testing.T, op string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%s: err = %v, want %s", op, err, code)
	}
	if ae.ErrorCode() != code || ae.ErrorMessage() != msg {
		t.Errorf("%s: error = %s: %q, want %s: %q", op, ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func TestSDKItemLifecycle(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	item := key("a", "12345678901234567890123456789012345678")
	item["v"] = &types.AttributeValueMemberS{Value: "hello"}
	put, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	wantCap := &types.ConsumedCapacity{TableName: aws.String("items"), CapacityUnits: aws.Float64(1)}
	if diff := cmp.Diff(wantCap, put.ConsumedCapacity, ignoreSDK); diff != "" {
		t.Errorf("PutItem capacity (-want +got):\n%s", diff)
	}
	got, err := ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: key("a", "12345678901234567890123456789012345678")})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	if diff := cmp.Diff(item, got.Item, ignoreSDK); diff != "" {
		t.Errorf("GetItem (-want +got):\n%s", diff)
	}
	upd, err := ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String("items"), Key: key("b", "1"),
		UpdateExpression:          aws.String("ADD n :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": &types.AttributeValueMemberN{Value: "1"}},
		ReturnValues:              types.ReturnValueAllNew,
	})
	if err != nil {
		t.Fatalf("UpdateItem: %v", err)
	}
	want := key("b", "1")
	want["n"] = &types.AttributeValueMemberN{Value: "1"}
	if diff := cmp.Diff(want, upd.Attributes, ignoreSDK); diff != "" {
		t.Errorf("UpdateItem (-want +got):\n%s", diff)
	}
	_, err = ddb.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String("items"), Key: key("b", "1"),
		ConditionExpression:                 aws.String("n > :v"),
		ExpressionAttributeValues:           map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: "5"}},
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("DeleteItem: err = %v, want ConditionalCheckFailedException", err)
	}
	if diff := cmp.Diff(want, ccf.Item, ignoreSDK); diff != "" {
		t.Errorf("ConditionalCheckFailedException.Item (-want +got):\n%s", diff)
	}
	desc, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("items")})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	if aws.ToInt64(desc.Table.ItemCount) != 2 || desc.Table.TableStatus != types.TableStatusActive {
		t.Errorf("DescribeTable: ItemCount %d status %s, want 2 ACTIVE", aws.ToInt64(desc.Table.ItemCount), desc.Table.TableStatus)
	}
}

func TestSDKErrors(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	for _, tc := range []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"unknown table", func() error {
			_, err := ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("nope"), Key: key("a", "1")})
			return err
		}, "ResourceNotFoundException", "Requested resource not found"},
		{"describe unknown table", func() error {
			_, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "Requested resource not found: Table: nope not found"},
		{"short table name", func() error {
			_, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("x")})
			return err
		}, "ValidationException", "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"key mismatch", func() error {
			_, err := ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}})
			return err
		}, "ValidationException", "The provided key element does not match the schema"},
		{"missing key", func() error {
			_, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "a"}}})
			return err
		}, "ValidationException", "One or more parameter values were invalid: Missing the key sk in the item"},
		{"item too large", func() error {
			item := key("a", "1")
			item["v"] = &types.AttributeValueMemberS{Value: strings.Repeat("x", 400*1024)}
			_, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item})
			return err
		}, "ValidationException", "Item size has exceeded the maximum allowed size"},
		{"duplicate table", func() error {
			_, err := ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
				TableName:            aws.String("items"),
				KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
				AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
				BillingMode:          types.BillingModePayPerRequest,
			})
			return err
		}, "ResourceInUseException", "Table already exists: items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			apiError(t, tc.name, tc.call(), tc.code, tc.msg)
		})
	}
}

func TestSDKRestart(t *testing.T) {
	t.Parallel()
	srv, ddb := newTable(t)
	item := key("a", "1")
	if _, err := ddb.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	srv.Restart()
	got, err := srv.DynamoDB().GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String("items"), Key: key("a", "1"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetItem after restart: %v", err)
	}
	if diff := cmp.Diff(item, got.Item, ignoreSDK); diff != "" {
		t.Errorf("GetItem after restart (-want +got):\n%s", diff)
	}
}

func BenchmarkPutItem(b *testing.B) {
	srv := fogtest.Start(b)
	ddb := srv.DynamoDB()
	createBenchTable(b, ddb)
	item := key("a", "1")
	item["v"] = &types.AttributeValueMemberS{Value: strings.Repeat("x", 100)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ddb.PutItem(b.Context(), &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item}); err != nil {
			b.Fatalf("PutItem: %v", err)
		}
	}
}

func BenchmarkGetItem(b *testing.B) {
	srv := fogtest.Start(b)
	ddb := srv.DynamoDB()
	createBenchTable(b, ddb)
	if _, err := ddb.PutItem(b.Context(), &dynamodb.PutItemInput{TableName: aws.String("items"), Item: key("a", "1")}); err != nil {
		b.Fatalf("PutItem: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ddb.GetItem(b.Context(), &dynamodb.GetItemInput{TableName: aws.String("items"), Key: key("a", "1")}); err != nil {
			b.Fatalf("GetItem: %v", err)
		}
	}
}

// createBenchTable creates table "items" for the benchmarks.
func createBenchTable(b *testing.B, ddb *dynamodb.Client) {
	b.Helper()
	_, err := ddb.CreateTable(b.Context(), &dynamodb.CreateTableInput{
		TableName: aws.String("items"),
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		b.Fatalf("CreateTable: %v", err)
	}
}
