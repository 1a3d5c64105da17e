package lambda_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/fogbank/fogbank/internal/fogtest"
)

// functionCredentials creates the function "creds", which returns its
// credentials, and returns those of its first environment.
func functionCredentials(t *testing.T, c *lambda.Client) (key, secret, token string) {
	t.Helper()
	needPython(t)
	create(t, c, &lambda.CreateFunctionInput{FunctionName: aws.String("creds"), Runtime: types.RuntimePython312,
		Handler: aws.String("creds.handler"), Code: &types.FunctionCode{ZipFile: dirZip(t, "testdata/credentials")}})
	res, _ := invoke(t, c, "creds", `{}`)
	key, _ = res.Payload["AWS_ACCESS_KEY_ID"].(string)
	secret, _ = res.Payload["AWS_SECRET_ACCESS_KEY"].(string)
	token, _ = res.Payload["AWS_SESSION_TOKEN"].(string)
	if !strings.HasPrefix(key, "ASIA") || key == fogtest.AccessKeyID || secret == "" || token == "" {
		t.Fatalf("function credentials: key %q, secret of %d chars, token of %d chars; want a session", key, len(secret), len(token))
	}
	return key, secret, token
}

// needPython skips the test without python3 (outside CI).
func needPython(t *testing.T) {
	t.Helper()
	if err := exec.Command("python3", "-c", "pass").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 is required: %v", err)
		}
		t.Skipf("python3 not available: %v", err)
	}
}

// Every node sharing the storage accepts the credentials of a function
// that ran on another.
func TestFunctionCredentialsOnAnotherNode(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	other := fogtest.Start(t, fogtest.WithStorageOf(srv)) // skipped without shared storage
	key, secret, token := functionCredentials(t, c)
	ddb := other.DynamoDB(func(o *dynamodb.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(key, secret, token)
	})
	if _, err := ddb.ListTables(t.Context(), &dynamodb.ListTablesInput{}); err != nil {
		t.Errorf("ListTables on another node with the session: %v", err)
	}
}

// Functions run with temporary credentials of their role: an "ASIA" key
// that the front door accepts only with its session token.
func TestFunctionCredentials(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	key, secret, token := functionCredentials(t, c)

	// A second environment (a concurrent one, or after an update) gets a
	// session of its own.
	if _, err := c.UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("creds"), Description: aws.String("new environment")}); err != nil {
		t.Fatal(err)
	}
	if res, _ := invoke(t, c, "creds", `{}`); res.Payload["AWS_ACCESS_KEY_ID"] == key {
		t.Errorf("a new environment reused the session key %s", key)
	}

	ddb := func(token string) *dynamodb.Client {
		return srv.DynamoDB(func(o *dynamodb.Options) {
			o.Credentials = credentials.NewStaticCredentialsProvider(key, secret, token)
			o.RetryMaxAttempts = 1
		})
	}
	if _, err := ddb(token).ListTables(t.Context(), &dynamodb.ListTablesInput{}); err != nil {
		t.Errorf("ListTables with the session: %v", err)
	}
	_, err := ddb("").ListTables(t.Context(), &dynamodb.ListTablesInput{})
	if got := apiErrorCode(err); got != "UnrecognizedClientException: The security token included in the request is invalid." {
		t.Errorf("ListTables with the session key but no token: %s", got)
	}
	_, err = c.GetFunction(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String("creds")}, func(o *lambda.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(key, secret, token+"x")
	})
	if got := apiErrorCode(err); got != "UnrecognizedClientException: The security token included in the request is invalid." {
		t.Errorf("GetFunction with a wrong token: %s", got)
	}
}
