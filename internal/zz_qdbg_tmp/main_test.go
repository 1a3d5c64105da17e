package zzqdbg

import (
	"context"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/fogbank/fogbank/internal/fogtest"
)

func TestRepro(t *testing.T) {
	srv := fogtest.Start(t)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &tracedConn{Conn: c}, nil
	}
	db := srv.DynamoDB(func(o *dynamodb.Options) { o.Retryer = aws.NopRetryer{}; o.HTTPClient = &http.Client{Transport: tr} })
	var err error
	_, err = db.CreateTable(t.Context(), &dynamodb.CreateTableInput{TableName: aws.String("qqq"), BillingMode: types.BillingModePayPerRequest,
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN}}})
	if err != nil {
		t.Fatal(err)
	}
	for b := 0; b < 4; b++ {
		var reqs []types.WriteRequest
		for i := b * 25; i < b*25+25; i++ {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "p"}, "sk": &types.AttributeValueMemberN{Value: strconv.Itoa(i)}, "payload": &types.AttributeValueMemberS{Value: strings.Repeat("x", 160)}}}})
		}
		if _, err := db.BatchWriteItem(t.Context(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"qqq": reqs}}); err != nil {
			t.Fatal(err)
		}
	}
	errs := 0
	for i := 0; i < 2000; i++ {
		_, err := db.Query(t.Context(), &dynamodb.QueryInput{TableName: aws.String("qqq"), KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "p"}}, Limit: aws.Int32(100)})
		if err != nil {
			errs++
			if errs < 4 {
				fmt.Println(i, err)
			}
		}
	}
	fmt.Println("errors", errs)
}

var firstClose sync.Once

type tracedConn struct {
	net.Conn
	mu     sync.Mutex
	closed string
}

func (c *tracedConn) Close() error {
	c.mu.Lock()
	c.closed = string(debug.Stack())
	c.mu.Unlock()
	return c.Conn.Close()
}

func (c *tracedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if err != nil && strings.Contains(err.Error(), "closed network") {
		c.mu.Lock()
		st := c.closed
		c.mu.Unlock()
		firstClose.Do(func() { fmt.Println("CLOSED BY:\n" + st) })
	}
	return n, err
}
