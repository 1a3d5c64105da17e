package app_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/app"
	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/fogtest"
	"github.com/fogbank/fogbank/internal/logging"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// noRetry makes a client fail on the first error.
func noRetry(o *dynamodb.Options) { o.RetryMaxAttempts = 1 }

func withCredentials(id, secret string) func(*dynamodb.Options) {
	return func(o *dynamodb.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(id, secret, "")
	}
}

// skewedSigner signs every request as if it were sent at a fixed offset
// from the SDK's clock.
type skewedSigner struct {
	offset time.Duration
	signer *v4.Signer
}

func (s skewedSigner) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string,
	signingTime time.Time, optFns ...func(*v4.SignerOptions)) error {
	return s.signer.SignHTTP(ctx, creds, r, payloadHash, service, region, signingTime.Add(s.offset), optFns...)
}

func TestSDKAuthErrors(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	for _, tc := range []struct {
		name     string
		opts     func(*dynamodb.Options)
		wantCode string
		wantMsg  string // prefix
	}{
		{
			name:     "wrong secret",
			opts:     withCredentials(fogtest.AccessKeyID, "not-the-secret"),
			wantCode: "InvalidSignatureException",
			wantMsg:  "The request signature we calculated does not match the signature you provided.",
		},
		{
			name:     "unknown key",
			opts:     withCredentials("AKIANOSUCHKEY0000000", fogtest.SecretAccessKey),
			wantCode: "UnrecognizedClientException",
			wantMsg:  "The security token included in the request is invalid.",
		},
		{
			name: "skewed clock",
			opts: func(o *dynamodb.Options) {
				o.HTTPSignerV4 = skewedSigner{offset: -20 * time.Minute, signer: v4.NewSigner()}
			},
			wantCode: "InvalidSignatureException",
			wantMsg:  "Signature expired: ",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := srv.DynamoDB(noRetry, tc.opts).ListTables(t.Context(), &dynamodb.ListTablesInput{})
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("ListTables err = %v, want an API error", err)
			}
			if apiErr.ErrorCode() != tc.wantCode || !strings.HasPrefix(apiErr.ErrorMessage(), tc.wantMsg) {
				t.Errorf("ListTables err = %s: %q; want %s: %q...", apiErr.ErrorCode(), apiErr.ErrorMessage(), tc.wantCode, tc.wantMsg)
			}
		})
	}
}

func TestMissingAuthentication(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+"/", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}`
	if resp.StatusCode != http.StatusBadRequest || string(body) != want {
		t.Errorf("unsigned ListTables = %d %s, want 400 %s", resp.StatusCode, body, want)
	}
}

func TestDevAcceptsAnything(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t, fogtest.WithDev())
	for name, opt := range map[string]func(*dynamodb.Options){
		"unknown key": withCredentials("AKIAWHOEVER000000000", "anything"),
		"anonymous":   func(o *dynamodb.Options) { o.Credentials = aws.AnonymousCredentials{} },
		"expired": func(o *dynamodb.Options) {
			o.HTTPSignerV4 = skewedSigner{offset: -time.Hour, signer: v4.NewSigner()}
		},
	} {
		if _, err := srv.DynamoDB(noRetry, opt).ListTables(t.Context(), &dynamodb.ListTablesInput{}); err != nil {
			t.Errorf("%s: ListTables in dev mode: %v", name, err)
		}
	}
}

// TestResponseMetadata checks what the SDK reads from every response: the
// request id, an accurate Date, and the CRC32 the DynamoDB client verifies
// (a wrong one would fail the call).
func TestResponseMetadata(t *testing.T) {
	t.Parallel()
	out, err := fogtest.Start(t).DynamoDB().ListTables(t.Context(), &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	if id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata); !ok || id == "" {
		t.Errorf("request id = %q, %v; want one", id, ok)
	}
	raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response)
	if !ok {
		t.Fatal("no raw response in metadata")
	}
	if date, err := http.ParseTime(raw.Header.Get("Date")); err != nil || time.Since(date).Abs() > time.Minute {
		t.Errorf("Date = %q (%v), want the current time", raw.Header.Get("Date"), err)
	}
	if raw.Header.Get("X-Amz-Crc32") == "" {
		t.Error("no X-Amz-Crc32 header")
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t, fogtest.WithConfig(func(c *config.Config) { c.MaxRequestBody = 4 << 10 }))
	_, err := srv.DynamoDB(noRetry).PutItem(t.Context(), &dynamodb.PutItemInput{
		TableName: aws.String("t"),
		Item:      map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: strings.Repeat("x", 8<<10)}},
	})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "RequestEntityTooLargeException" {
		t.Fatalf("PutItem of 8KiB with a 4KiB limit: %v, want RequestEntityTooLargeException", err)
	}
	var respErr *smithyhttp.ResponseError
	if !errors.As(err, &respErr) || respErr.HTTPStatusCode() != http.StatusRequestEntityTooLarge {
		t.Errorf("PutItem over the limit: %v, want HTTP 413", err)
	}
}

// startApp runs the app on dir with the given environment, as `fogbank
// serve` would, and returns it with a function that closes it.
func startApp(t *testing.T, dir string, env map[string]string) (*app.App, func()) {
	t.Helper()
	env[config.EnvName("data-dir")] = dir
	env[config.EnvName("listen")] = "127.0.0.1:0"
	cfg, err := config.Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok }, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	a, err := app.New(ctx, cfg, app.WithLogger(logging.New(t.Output(), logging.FormatText, nil)), app.WithNotice(io.Discard))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	if err := a.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	closed := false
	closeApp := func() {
		if !closed {
			closed = true
			if err := a.Close(context.Background()); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
	}
	t.Cleanup(closeApp)
	return a, closeApp
}

// sharedConfigClient builds a DynamoDB client the way a user would: from
// the generated shared-credentials file.
func sharedConfigClient(t *testing.T, a *app.App) *dynamodb.Client {
	t.Helper()
	cfg, err := awsconfig.LoadDefaultConfig(t.Context(),
		awsconfig.WithSharedCredentialsFiles([]string{a.CredentialsFile()}),
		awsconfig.WithSharedConfigFiles([]string{}),
		awsconfig.WithSharedConfigProfile("default"),
		awsconfig.WithRegion("us-east-1"),
		awsconfig.WithBaseEndpoint("http://"+a.Addr()),
		awsconfig.WithRetryMaxAttempts(1),
	)
	if err != nil {
		t.Fatalf("LoadDefaultConfig: %v", err)
	}
	return dynamodb.NewFromConfig(cfg)
}

// clearAWSEnv keeps the developer's AWS environment out of the SDK's
// default config chain.
func clearAWSEnv(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		t.Setenv(k, "")
	}
}

func TestGeneratedCredentialsPersist(t *testing.T) {
	clearAWSEnv(t) // no t.Parallel: Setenv
	dir := t.TempDir()
	first, closeFirst := startApp(t, dir, map[string]string{})
	if _, err := sharedConfigClient(t, first).ListTables(t.Context(), &dynamodb.ListTablesInput{}); err != nil {
		t.Fatalf("ListTables with the generated credentials file: %v", err)
	}
	info, err := os.Stat(first.CredentialsFile())
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v, %v; want mode 0600", info, err)
	}
	fileBefore, _ := os.ReadFile(first.CredentialsFile())
	keyBefore := first.RootAccessKeyID()
	closeFirst()

	second, _ := startApp(t, dir, map[string]string{})
	fileAfter, _ := os.ReadFile(second.CredentialsFile())
	if second.RootAccessKeyID() != keyBefore || string(fileAfter) != string(fileBefore) {
		t.Errorf("root key changed across restart: %s -> %s", keyBefore, second.RootAccessKeyID())
	}
	if _, err := sharedConfigClient(t, second).ListTables(t.Context(), &dynamodb.ListTablesInput{}); err != nil {
		t.Errorf("ListTables after restart: %v", err)
	}
}

func TestRootKeysFromEnv(t *testing.T) {
	t.Parallel()
	const id, secret = "AKIAFROMENVIRONMENT0", "secret/from/the/environment/000000000000"
	a, _ := startApp(t, t.TempDir(), map[string]string{
		"FOGBANK_ROOT_ACCESS_KEY_ID":     id,
		"FOGBANK_ROOT_SECRET_ACCESS_KEY": secret,
	})
	client := dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://" + a.Addr()),
		Credentials:  credentials.NewStaticCredentialsProvider(id, secret, ""),
	})
	if _, err := client.ListTables(t.Context(), &dynamodb.ListTablesInput{}); err != nil {
		t.Errorf("ListTables with the environment's root key: %v", err)
	}
	if got := a.RootAccessKeyID(); got != id {
		t.Errorf("RootAccessKeyID = %s, want %s", got, id)
	}
}

func TestNewRejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.Region = ""
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	if _, err := app.New(t.Context(), cfg); err == nil {
		t.Fatal("app.New with an empty region succeeded")
	}
	if _, err := os.Stat(cfg.DataDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an invalid config created the data dir: %v", err)
	}
}
