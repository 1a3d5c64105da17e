package dynamodb_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Query, Scan and batch errors as the SDK sees them: AWS's codes and messages.
func TestSDKReadErrors(t *testing.T) {
	t.Parallel()
	_, ddb := newTable(t)
	ctx := t.Context()
	pk := map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "a"}}
	for _, tc := range []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"query without the partition key", func() error {
			_, err := ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("items"),
				KeyConditionExpression:    aws.String("sk = :s"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberN{Value: "1"}}})
			return err
		}, "ValidationException", "Query condition missed key schema element: pk"},
		{"query on a missing index", func() error {
			_, err := ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("items"), IndexName: aws.String("nope"),
				KeyConditionExpression: aws.String("pk = :p"), ExpressionAttributeValues: pk})
			return err
		}, "ValidationException", "The table does not have the specified index: nope"},
		{"query filter on a key attribute", func() error {
			_, err := ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("items"),
				KeyConditionExpression: aws.String("pk = :p"), FilterExpression: aws.String("sk > :s"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":p": pk[":p"], ":s": &types.AttributeValueMemberN{Value: "1"}}})
			return err
		}, "ValidationException", "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{"scan segment out of range", func() error {
			_, err := ddb.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("items"), Segment: aws.Int32(3), TotalSegments: aws.Int32(3)})
			return err
		}, "ValidationException", "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3"},
		{"batch write with duplicate keys", func() error {
			put := types.WriteRequest{PutRequest: &types.PutRequest{Item: key("a", "1")}}
			_, err := ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
				RequestItems: map[string][]types.WriteRequest{"items": {put, put}}})
			return err
		}, "ValidationException", "Provided list of item keys contains duplicates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			apiError(t, tc.name, tc.call(), tc.code, tc.msg)
		})
	}
}
