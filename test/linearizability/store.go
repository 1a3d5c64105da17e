package linearizability

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ErrConditionFailed is what Store calls return when DynamoDB answers
// ConditionalCheckFailedException: the call definitely did nothing.
var ErrConditionFailed = errors.New("linearizability: condition check failed")

// Store is the item API under test, one method per Kind.
type Store interface {
	// Get reads key's item with ConsistentRead.
	Get(ctx context.Context, key string) (Item, error)
	// Put replaces key's item with a fresh one holding val.
	Put(ctx context.Context, key, val string) error
	// Update sets ver to expect+1 and val if key's version is expect (-1:
	// if it has no item), or returns ErrConditionFailed.
	Update(ctx context.Context, key string, expect int, val string) error
	// Increment adds 1 to an existing item's n and returns the new n, or
	// returns ErrConditionFailed when there is no item.
	Increment(ctx context.Context, key string) (int, error)
	// Delete deletes key's item and returns the old one.
	Delete(ctx context.Context, key string) (Item, error)
}

// SDK is the Store of a DynamoDB table with string partition key "pk",
// driven through aws-sdk-go-v2. Every write is atomic on the server.
type SDK struct {
	// DB is the client.
	DB *dynamodb.Client
	// Table is the table name.
	Table string
}

// CreateTable creates s.Table (partition key "pk", on demand).
func (s SDK) CreateTable(ctx context.Context) error {
	_, err := s.DB.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(s.Table),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
	})
	if err != nil {
		return fmt.Errorf("linearizability: create table: %w", err)
	}
	return nil
}

// Get implements Store.
func (s SDK) Get(ctx context.Context, key string) (Item, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Table, Key: keyOf(key), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return Item{}, classify(err)
	}
	return itemOf(out.Item)
}

// Put implements Store.
func (s SDK) Put(ctx context.Context, key, val string) error {
	return s.put(ctx, Item{Exists: true, Val: val}, key)
}

func (s SDK) put(ctx context.Context, it Item, key string) error {
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Table, Item: map[string]types.AttributeValue{
		"pk":  &types.AttributeValueMemberS{Value: key},
		"ver": number(it.Ver),
		"n":   number(it.N),
		"val": &types.AttributeValueMemberS{Value: it.Val},
	}})
	return classify(err)
}

// Update implements Store with a ConditionExpression, atomically.
func (s SDK) Update(ctx context.Context, key string, expect int, val string) error {
	cond, values := "attribute_not_exists(pk)", map[string]types.AttributeValue{}
	if expect >= 0 {
		cond, values[":expect"] = "ver = :expect", number(expect)
	}
	values[":next"], values[":val"] = number(expect+1), &types.AttributeValueMemberS{Value: val}
	_, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.Table, Key: keyOf(key),
		UpdateExpression:          aws.String("SET ver = :next, val = :val"),
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeValues: values,
	})
	return classify(err)
}

// Increment implements Store.
func (s SDK) Increment(ctx context.Context, key string) (int, error) {
	out, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.Table, Key: keyOf(key),
		UpdateExpression:          aws.String("ADD n :one"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": number(1)},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, classify(err)
	}
	return intAttr(out.Attributes, "n")
}

// Delete implements Store.
func (s SDK) Delete(ctx context.Context, key string) (Item, error) {
	out, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Table, Key: keyOf(key), ReturnValues: types.ReturnValueAllOld})
	if err != nil {
		return Item{}, classify(err)
	}
	return itemOf(out.Attributes)
}

// NonAtomic is a deliberately broken Store: its Update reads the item,
// checks the version on the client and then puts the new item without a
// condition, so two racing updates can both succeed. It exists to show that
// the checker rejects such histories.
type NonAtomic struct {
	SDK
}

// Update implements Store non-atomically.
func (s NonAtomic) Update(ctx context.Context, key string, expect int, val string) error {
	cur, err := s.Get(ctx, key)
	if err != nil {
		return err
	}
	if !versionMatches(cur, expect) {
		return ErrConditionFailed
	}
	return s.put(ctx, Item{Exists: true, Ver: expect + 1, N: cur.N, Val: val}, key)
}

func keyOf(key string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: key}}
}

func number(n int) types.AttributeValue { return &types.AttributeValueMemberN{Value: strconv.Itoa(n)} }

// classify maps ConditionalCheckFailedException to ErrConditionFailed.
func classify(err error) error {
	if ccf := (*types.ConditionalCheckFailedException)(nil); errors.As(err, &ccf) {
		return ErrConditionFailed
	}
	return err
}

// itemOf decodes an item of the workload's table; nil is no item.
func itemOf(av map[string]types.AttributeValue) (Item, error) {
	if av == nil {
		return Item{}, nil
	}
	ver, err := intAttr(av, "ver")
	if err != nil {
		return Item{}, err
	}
	n, err := intAttr(av, "n")
	if err != nil {
		return Item{}, err
	}
	val, ok := av["val"].(*types.AttributeValueMemberS)
	if !ok {
		return Item{}, fmt.Errorf("linearizability: item %v: val is not a string", av)
	}
	return Item{Exists: true, Ver: ver, N: n, Val: val.Value}, nil
}

// intAttr reads the number attribute name of av; absent is 0.
func intAttr(av map[string]types.AttributeValue, name string) (int, error) {
	v, ok := av[name]
	if !ok {
		return 0, nil
	}
	num, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("linearizability: attribute %s = %#v, want a number", name, v)
	}
	n, err := strconv.Atoi(num.Value)
	if err != nil {
		return 0, fmt.Errorf("linearizability: attribute %s: %w", name, err)
	}
	return n, nil
}
