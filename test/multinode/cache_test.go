package multinode_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// startPair starts two in-process nodes on one fresh PostgreSQL schema.
func startPair(t *testing.T) (a, b *dynamodb.Client) {
	t.Helper()
	first := fogtest.Start(t, fogtest.WithPostgres())
	second := fogtest.Start(t, fogtest.WithStorageOf(first))
	return first.DynamoDB(noRetry), second.DynamoDB(noRetry)
}

func noRetry(o *dynamodb.Options) { o.RetryMaxAttempts = 1 }

// TestDeletedTableGoneOnOtherNode deletes and recreates a table through one
// node, with another key schema, after the other node has used it: the
// other node must neither serve the old table nor its key schema.
func TestDeletedTableGoneOnOtherNode(t *testing.T) {
	t.Parallel()
	a, b := startPair(t)
	createTable(t, a, "recreated")
	put(t, b, "recreated", "k", "old")
	if got := get(t, b, "recreated", "k"); got != "old" {
		t.Fatalf("node 2 reads %q, want old", got)
	}
	if _, err := a.DeleteTable(t.Context(), &dynamodb.DeleteTableInput{TableName: aws.String("recreated")}); err != nil {
		t.Fatalf("DeleteTable: %v", err)
	}
	_, err := b.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String("recreated"), Key: key("k"), ConsistentRead: aws.Bool(true)})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("node 2: GetItem on the deleted table = %v, want ResourceNotFoundException", err)
	}
	_, err = a.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String("recreated"),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeN}},
	})
	if err != nil {
		t.Fatalf("CreateTable again: %v", err)
	}
	newKey := map[string]types.AttributeValue{"id": &types.AttributeValueMemberN{Value: "1"}}
	if _, err := b.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String("recreated"), Item: newKey}); err != nil {
		t.Errorf("node 2: PutItem with the new key schema: %v", err)
	}
	_, err = b.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String("recreated"), Key: key("k")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationException" {
		t.Errorf("node 2: GetItem with the old key schema = %v, want ValidationException", err)
	}
}

// TestIndexAddedOnOtherNode adds a global secondary index through one node
// after the other has used the table: the other node's writes must
// maintain it.
func TestIndexAddedOnOtherNode(t *testing.T) {
	t.Parallel()
	a, b := startPair(t)
	createTable(t, a, "indexed")
	put(t, b, "indexed", "warm", "x")
	_, err := a.UpdateTable(t.Context(), &dynamodb.UpdateTableInput{
		TableName:            aws.String("indexed"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName:  aws.String("byG"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}}},
	})
	if err != nil {
		t.Fatalf("UpdateTable: %v", err)
	}
	waitIndexActive(t, a, "indexed", "byG")
	item := key("new")
	item["g"] = &types.AttributeValueMemberS{Value: "G"}
	if _, err := b.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String("indexed"), Item: item}); err != nil {
		t.Fatalf("node 2: PutItem: %v", err)
	}
	out, err := a.Query(t.Context(), &dynamodb.QueryInput{
		TableName:                 aws.String("indexed"),
		IndexName:                 aws.String("byG"),
		KeyConditionExpression:    aws.String("g = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": &types.AttributeValueMemberS{Value: "G"}},
	})
	if err != nil || out.Count != 1 {
		t.Errorf("node 1: Query on the index = %v, %v; want the item node 2 wrote", out, err)
	}
}

// waitIndexActive waits until the index of table is ACTIVE.
func waitIndexActive(t *testing.T, db *dynamodb.Client, table, index string) {
	t.Helper()
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(20 * time.Millisecond) {
		out, err := db.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
		if err != nil {
			t.Fatalf("DescribeTable: %v", err)
		}
		for _, gsi := range out.Table.GlobalSecondaryIndexes {
			if aws.ToString(gsi.IndexName) == index && gsi.IndexStatus == types.IndexStatusActive {
				return
			}
		}
	}
	t.Fatalf("index %s of %s not ACTIVE after 10s", index, table)
}
