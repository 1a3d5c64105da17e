// Package ddbload is the DynamoDB workload shared by Fogbank's load generator
// and benchmarks: a table keyed by "pk", items of a chosen size, and GetItem or
// PutItem calls spread over a fixed set of keys.
package ddbload

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/fogbank/fogbank/bench/internal/load"
)

// Workload is the shape of one benchmark: table, item size and key count.
type Workload struct {
	// Table is the table name.
	Table string
	// Size is the approximate item size in bytes.
	Size int
	// Keys is the number of distinct items.
	Keys int
	// Load bounds each run.
	Load load.Config
}

// CreateTable creates w.Table with a string partition key "pk", on demand.
func (w Workload) CreateTable(ctx context.Context, db *dynamodb.Client) error {
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(w.Table),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
	})
	if err != nil {
		return fmt.Errorf("create table %s: %w", w.Table, err)
	}
	return nil
}

// Item returns the item stored under key: about w.Size bytes.
func (w Workload) Item(key string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk":      &types.AttributeValueMemberS{Value: key},
		"n":       &types.AttributeValueMemberN{Value: "42"},
		"payload": &types.AttributeValueMemberS{Value: strings.Repeat("x", max(0, w.Size-len(key)-20))},
	}
}

// Preload puts every one of the w.Keys items once.
func (w Workload) Preload(ctx context.Context, db *dynamodb.Client) error {
	for i := range w.Keys {
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(w.Table), Item: w.Item(Key(i))}); err != nil {
			return fmt.Errorf("preload: %w", err)
		}
	}
	return nil
}

// Key is the i-th item's partition key.
func Key(i int) string { return fmt.Sprintf("item-%06d", i) }

// Run drives op ("GetItem" or "PutItem") against db under w.Load.
func (w Workload) Run(ctx context.Context, db *dynamodb.Client, op string) (load.Result, error) {
	call, err := w.op(db, op)
	if err != nil {
		return load.Result{}, err
	}
	return load.Run(ctx, w.Load, call), nil
}

func (w Workload) op(db *dynamodb.Client, op string) (load.Op, error) {
	table := aws.String(w.Table)
	pick := func(worker int, seq int64) string { return Key(int((int64(worker)*7919 + seq) % int64(w.Keys))) }
	switch op {
	case "GetItem":
		return func(ctx context.Context, worker int, seq int64) error {
			key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pick(worker, seq)}}
			_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: key})
			return err
		}, nil
	case "PutItem":
		return func(ctx context.Context, worker int, seq int64) error {
			_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: table, Item: w.Item(pick(worker, seq))})
			return err
		}, nil
	}
	return nil, fmt.Errorf("unknown operation %q (want GetItem or PutItem)", op)
}
