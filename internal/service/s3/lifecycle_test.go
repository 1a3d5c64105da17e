package s3_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fogbank/fogbank/internal/config"
	"github.com/fogbank/fogbank/internal/fogtest"
)

func putLifecycle(t *testing.T, c *s3.Client, bucket string, rules ...types.LifecycleRule) error {
	t.Helper()
	_, err := c.PutBucketLifecycleConfiguration(t.Context(), &s3.PutBucketLifecycleConfigurationInput{
		Bucket: aws.String(bucket), LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: rules}})
	return err
}

func TestBucketLifecycleConfiguration(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b := t.Context(), aws.String("lifecycle-config")
	mustCreate(t, c, *b)

	_, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	wantCode(t, "GetBucketLifecycleConfiguration before any", err, "NoSuchLifecycleConfiguration")
	rules := []types.LifecycleRule{
		{ID: aws.String("logs"), Status: types.ExpirationStatusEnabled,
			Filter:      &types.LifecycleRuleFilter{Prefix: aws.String("logs/")},
			Expiration:  &types.LifecycleExpiration{Days: aws.Int32(30)},
			Transitions: []types.Transition{{Days: aws.Int32(10), StorageClass: types.TransitionStorageClassGlacier}}},
		{ID: aws.String("tmp"), Status: types.ExpirationStatusDisabled,
			Filter: &types.LifecycleRuleFilter{And: &types.LifecycleRuleAndOperator{Prefix: aws.String("tmp/"),
				Tags: []types.Tag{{Key: aws.String("class"), Value: aws.String("scratch")}}, ObjectSizeGreaterThan: aws.Int64(1024)}},
			Expiration:                  &types.LifecycleExpiration{Date: aws.Time(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))},
			NoncurrentVersionExpiration: &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(7), NewerNoncurrentVersions: aws.Int32(2)}},
		{Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{},
			AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(3)},
			Expiration:                     &types.LifecycleExpiration{ExpiredObjectDeleteMarker: aws.Bool(true)}},
	}
	if err := putLifecycle(t, c, *b, rules...); err != nil {
		t.Fatalf("PutBucketLifecycleConfiguration: %v", err)
	}
	got, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	if err != nil {
		t.Fatalf("GetBucketLifecycleConfiguration: %v", err)
	}
	if id := aws.ToString(got.Rules[2].ID); id == "" {
		t.Errorf("rule without an ID came back without one")
	}
	rules[2].ID = got.Rules[2].ID
	if diff := cmp.Diff(rules, got.Rules, cmpopts.IgnoreUnexported(types.LifecycleRule{}, types.LifecycleRuleFilter{},
		types.LifecycleRuleAndOperator{}, types.Tag{}, types.LifecycleExpiration{}, types.Transition{},
		types.NoncurrentVersionExpiration{}, types.AbortIncompleteMultipartUpload{})); diff != "" {
		t.Errorf("rules (-put +got):\n%s", diff)
	}

	if _, err := c.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: b}); err != nil {
		t.Fatalf("DeleteBucketLifecycle: %v", err)
	}
	_, err = c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	wantCode(t, "GetBucketLifecycleConfiguration after delete", err, "NoSuchLifecycleConfiguration")
	err = putLifecycle(t, c, "no-such-bucket-here", rules[0])
	wantCode(t, "PutBucketLifecycleConfiguration on a missing bucket", err, "NoSuchBucket")
}

func TestBucketLifecycleValidation(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	mustCreate(t, c, "lifecycle-invalid")
	all := &types.LifecycleRuleFilter{}
	expire := &types.LifecycleExpiration{Days: aws.Int32(1)}
	tagged := &types.LifecycleRuleFilter{Tag: &types.Tag{Key: aws.String("k"), Value: aws.String("v")}}
	for _, tc := range []struct {
		name      string
		rules     []types.LifecycleRule
		code, msg string
	}{
		{"bad status", []types.LifecycleRule{{Status: "On", Filter: all, Expiration: expire}}, "MalformedXML", ""},
		{"no filter", []types.LifecycleRule{{Status: "Enabled", Expiration: expire}}, "MalformedXML", ""},
		{"two conditions", []types.LifecycleRule{{Status: "Enabled", Expiration: expire,
			Filter: &types.LifecycleRuleFilter{Prefix: aws.String("a"), Tag: tagged.Tag}}}, "MalformedXML", ""},
		{"no action", []types.LifecycleRule{{Status: "Enabled", Filter: all}}, "InvalidRequest", "At least one action needs to be specified in a rule"},
		{"zero days", []types.LifecycleRule{{Status: "Enabled", Filter: all, Expiration: &types.LifecycleExpiration{Days: aws.Int32(0)}}},
			"InvalidArgument", "'Days' for Expiration action must be a positive integer"},
		{"date not midnight", []types.LifecycleRule{{Status: "Enabled", Filter: all,
			Expiration: &types.LifecycleExpiration{Date: aws.Time(time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC))}}},
			"InvalidArgument", "'Date' must be at midnight GMT"},
		{"duplicate ids", []types.LifecycleRule{{ID: aws.String("x"), Status: "Enabled", Filter: all, Expiration: expire},
			{ID: aws.String("x"), Status: "Enabled", Filter: all, Expiration: expire}},
			"InvalidArgument", "Rule ID must be unique. Found same ID for more than one rule"},
		{"id too long", []types.LifecycleRule{{ID: aws.String(strings.Repeat("x", 256)), Status: "Enabled", Filter: all, Expiration: expire}},
			"InvalidArgument", "ID length should not exceed allowed limit of 255"},
		{"marker with tags", []types.LifecycleRule{{Status: "Enabled", Filter: tagged,
			Expiration: &types.LifecycleExpiration{ExpiredObjectDeleteMarker: aws.Bool(true)}}},
			"InvalidRequest", "ExpiredObjectDeleteMarker cannot be specified with Tags."},
		{"abort with tags", []types.LifecycleRule{{Status: "Enabled", Filter: tagged,
			AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(1)}}},
			"InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Tags."},
		{"sizes reversed", []types.LifecycleRule{{Status: "Enabled", Expiration: expire, Filter: &types.LifecycleRuleFilter{
			And: &types.LifecycleRuleAndOperator{ObjectSizeGreaterThan: aws.Int64(10), ObjectSizeLessThan: aws.Int64(5)}}}},
			"InvalidRequest", "'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'."},
		{"zero noncurrent days", []types.LifecycleRule{{Status: "Enabled", Filter: all,
			NoncurrentVersionExpiration: &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(0)}}},
			"InvalidArgument", "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := putLifecycle(t, c, "lifecycle-invalid", tc.rules...)
			wantCode(t, "PutBucketLifecycleConfiguration", err, tc.code)
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want message %q", err, tc.msg)
			}
		})
	}
}

// TestLifecycleWorkerExpires runs the whole server with one-second days:
// its lifecycle worker, under its lease, expires an object a day after it
// was written.
func TestLifecycleWorkerExpires(t *testing.T) {
	t.Parallel()
	srv := fogtest.Start(t, fogtest.WithConfig(func(cfg *config.Config) {
		cfg.S3LifecycleDay = config.Duration(time.Second)
		cfg.S3LifecycleInterval = config.Duration(100 * time.Millisecond)
	}))
	c := srv.S3()
	ctx, b := t.Context(), "lifecycle-worker"
	mustCreate(t, c, b)
	mustPut(t, c, b, "tmp/scratch", "bytes")
	mustPut(t, c, b, "keep/data", "bytes")
	err := putLifecycle(t, c, b, types.LifecycleRule{Status: types.ExpirationStatusEnabled,
		Filter: &types.LifecycleRuleFilter{Prefix: aws.String("tmp/")}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}})
	if err != nil {
		t.Fatalf("PutBucketLifecycleConfiguration: %v", err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("tmp/scratch")})
		if errorCode(err) == "NotFound" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tmp/scratch still there 30s after it expired (HeadObject: %v)", err)
		}
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b), Key: aws.String("keep/data")}); err != nil {
		t.Errorf("HeadObject(keep/data) = %v, want it kept", err)
	}
}
