package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/server"
)

// tinyLimits admit two requests per service and queue one for 50 ms.
var tinyLimits = server.Limits{MaxInFlight: 2, MaxQueue: 1, QueueTimeout: 50 * time.Millisecond}

// blocker is an operation body that signals its start and waits for release.
type blocker struct {
	started chan struct{}
	release chan struct{}
}

func newBlocker() *blocker {
	return &blocker{started: make(chan struct{}, 16), release: make(chan struct{})}
}

func (b *blocker) block() {
	b.started <- struct{}{}
	<-b.release
}

// fakeDynamoDB is an awsJson service that DynamoDB's SDK client talks to:
// GetItem blocks until released and answers an empty item.
func fakeDynamoDB(b *blocker) server.JSONService {
	return server.JSONService{SigningName: "dynamodb", API: awsjson.Service{
		TargetPrefix:   "DynamoDB_20120810",
		ContentType:    "application/x-amz-json-1.0",
		ErrorNamespace: "com.amazonaws.dynamodb.v20120810",
		Ops: map[string]awsjson.Op{
			"GetItem": awsjson.Operation(func(context.Context, *struct{}) (*struct{}, error) {
				b.block()
				return &struct{}{}, nil
			}),
		},
	}}
}

// sdkConfig is a client config for f with retries off, so that throttles
// reach the test.
func sdkConfig(f *fixture) aws.Config {
	return aws.Config{
		Region:       testRegion,
		Credentials:  credentials.NewStaticCredentialsProvider(testKeyID, testSecret, ""),
		BaseEndpoint: aws.String(f.url),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// saturate starts two calls that hold the service's slots and waits until
// both run; the returned func releases them and returns their errors.
func saturate(t *testing.T, b *blocker, call func() error) func() []error {
	t.Helper()
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = call() })
	}
	for range errs {
		<-b.started
	}
	return func() []error {
		close(b.release)
		wg.Wait()
		return errs
	}
}

// excess makes n calls at once while the slots are held and returns their
// error codes.
func excess(n int, call func() error) []string {
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() { codes[i] = errorCode(call()) })
	}
	wg.Wait()
	return codes
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		return err.Error()
	}
	return "ok"
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestAdmissionShedsDynamoDBWithThrottlingException(t *testing.T) {
	t.Parallel()
	b := newBlocker()
	f := start(t, func(o *server.Options) {
		o.Limits = tinyLimits
		o.JSONServices = append(o.JSONServices, fakeDynamoDB(b))
	})
	db := dynamodb.NewFromConfig(sdkConfig(f))
	getItem := func() error {
		_, err := db.GetItem(t.Context(), &dynamodb.GetItemInput{
			TableName: aws.String("t"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k"}},
		})
		return err
	}
	finish := saturate(t, b, getItem)
	if diff := cmp.Diff(repeat("ThrottlingException", 4), excess(4, getItem)); diff != "" {
		t.Errorf("excess calls (-want +got):\n%s", diff)
	}
	var throttle *types.ThrottlingException
	if err := getItem(); !errors.As(err, &throttle) || throttle.ErrorMessage() != "Rate exceeded" {
		t.Errorf("excess GetItem error = %v, want a types.ThrottlingException \"Rate exceeded\"", err)
	}
	assertHealthy(t, f)
	for i, err := range finish() {
		if err != nil {
			t.Errorf("admitted call %d: %v", i, err)
		}
	}
	if err := getItem(); err != nil {
		t.Errorf("GetItem after the load: %v", err)
	}
	assertShed(t, f, "dynamodb", 5)
}

func TestAdmissionShedsS3WithSlowDown(t *testing.T) {
	t.Parallel()
	b := newBlocker()
	f := start(t, func(o *server.Options) {
		o.Limits = tinyLimits
		o.S3 = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { b.block() })
	})
	client := s3.NewFromConfig(sdkConfig(f), func(o *s3.Options) { o.UsePathStyle = true })
	headBucket := func() error {
		_, err := client.HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String("bucket")})
		return err
	}
	finish := saturate(t, b, headBucket)
	getObject := func() error {
		_, err := client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String("key")})
		return err
	}
	if diff := cmp.Diff(repeat("SlowDown", 3), excess(3, getObject)); diff != "" {
		t.Errorf("excess calls (-want +got):\n%s", diff)
	}
	for i, err := range finish() {
		if err != nil {
			t.Errorf("admitted call %d: %v", i, err)
		}
	}
	assertShed(t, f, "s3", 3)
}

// assertHealthy checks that the health and runtime endpoints answer while
// every slot is taken.
func assertHealthy(t *testing.T, f *fixture) {
	t.Helper()
	for _, path := range []string{server.HealthPath, server.RuntimePath} {
		resp, err := http.Get(f.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s under overload: %d, want 200", path, resp.StatusCode)
		}
	}
}

// assertShed checks the runtime endpoint's count of service's shed requests.
func assertShed(t *testing.T, f *fixture, service string, want int64) {
	t.Helper()
	resp, err := http.Get(f.url + server.RuntimePath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stats server.RuntimeStats
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		t.Fatal(err)
	}
	if got := stats.Admission[service]; got != (server.GateStats{Shed: want}) {
		t.Errorf("runtime stats of %s = %+v, want %d shed and nothing in flight", service, got, want)
	}
	if stats.Goroutines <= 0 {
		t.Errorf("runtime stats: %d goroutines", stats.Goroutines)
	}
}
