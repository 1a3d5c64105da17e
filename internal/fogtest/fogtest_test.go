package fogtest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/fogtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func createTable(t *testing.T, ddb *dynamodb.Client, name string) {
	t.Helper()
	_, err := ddb.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("CreateTable(%s): %v", name, err)
	}
}

func tableNames(t *testing.T, ddb *dynamodb.Client) []string {
	t.Helper()
	out, err := ddb.ListTables(t.Context(), &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	return out.TableNames
}

func TestStartServesSignedRequests(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") || srv.DataDir() == "" {
		t.Errorf("URL %q, DataDir %q; want a loopback URL and a data dir", srv.URL(), srv.DataDir())
	}
	if srv.Config().Dev {
		t.Error("Start runs in dev mode by default")
	}
	resp, err := srv.HTTPClient().Get(srv.URL() + "/_fogbank/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("health = %d, want 200", resp.StatusCode)
	}
	tableNames(t, srv.DynamoDB())
}

func TestRestartKeepsData(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	ddb := srv.DynamoDB()
	createTable(t, ddb, "kept")
	url := srv.URL()
	srv.Restart()
	if srv.URL() != url {
		t.Logf("restart moved the server from %s to %s", url, srv.URL())
		ddb = srv.DynamoDB()
	}
	if got := tableNames(t, ddb); !slices.Contains(got, "kept") {
		t.Errorf("tables after Restart = %v, want kept", got)
	}
}

func TestWithDataDirReopens(t *testing.T) {
	t.Parallel()
	first := fogtest.Start(t)
	createTable(t, first.DynamoDB(), "reopened")
	first.Close()
	second := fogtest.Start(t, fogtest.WithDataDir(first.DataDir()))
	if got := tableNames(t, second.DynamoDB()); !slices.Contains(got, "reopened") {
		t.Errorf("tables on the reopened data dir = %v, want reopened", got)
	}
}

func TestWithDev(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t, fogtest.WithDev())
	ddb := srv.DynamoDB(func(o *dynamodb.Options) { o.Credentials = aws.AnonymousCredentials{} })
	tableNames(t, ddb)
}

// TestWithStorageOf starts two nodes on one PostgreSQL schema: a table and
// an item written through one are read through the other at once.
func TestWithStorageOf(t *testing.T) {
	t.Parallel()
	first := fogtest.Start(t)
	second := fogtest.Start(t, fogtest.WithStorageOf(first))
	createTable(t, first.DynamoDB(), "shared")
	key := map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k"}}
	_, err := second.DynamoDB().PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String("shared"), Item: key})
	if err != nil {
		t.Fatalf("PutItem on the second node: %v", err)
	}
	out, err := first.DynamoDB().GetItem(t.Context(), &dynamodb.GetItemInput{
		TableName: aws.String("shared"), Key: key, ConsistentRead: aws.Bool(true),
	})
	if err != nil || out.Item == nil {
		t.Errorf("GetItem on the first node = %v, %v; want the item", out.Item, err)
	}
}
