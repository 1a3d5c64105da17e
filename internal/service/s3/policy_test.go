package s3_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/fogbank/fogbank/internal/fogtest"
)

const publicPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
    "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::policy-bucket/*"]}]
}`

const privatePolicy = `{"Version": "2012-10-17", "Statement": {"Effect": "Deny",
  "Principal": {"AWS": ["arn:aws:iam::000000000000:user/alice"]}, "Action": "s3:*",
  "Resource": ["arn:aws:s3:::policy-bucket", "arn:aws:s3:::policy-bucket/*"]}}`

func TestBucketPolicy(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b := t.Context(), aws.String("policy-bucket")
	mustCreate(t, c, *b)

	_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	wantCode(t, "GetBucketPolicy before any", err, "NoSuchBucketPolicy")
	_, err = c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
	wantCode(t, "GetBucketPolicyStatus before any", err, "NoSuchBucketPolicy")

	for _, tc := range []struct {
		policy string
		public bool
	}{{publicPolicy, true}, {privatePolicy, false}} {
		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(tc.policy)}); err != nil {
			t.Fatalf("PutBucketPolicy: %v", err)
		}
		got, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
		if err != nil || aws.ToString(got.Policy) != tc.policy {
			t.Errorf("GetBucketPolicy = %q, %v; want the policy put", aws.ToString(got.Policy), err)
		}
		status, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
		if err != nil || aws.ToBool(status.PolicyStatus.IsPublic) != tc.public {
			t.Errorf("GetBucketPolicyStatus = %+v, %v; want IsPublic %v", status, err, tc.public)
		}
	}
	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b}); err != nil {
		t.Fatalf("DeleteBucketPolicy: %v", err)
	}
	_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	wantCode(t, "GetBucketPolicy after delete", err, "NoSuchBucketPolicy")
}

func TestBucketPolicyValidation(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	b := aws.String("policy-bucket")
	mustCreate(t, c, *b)
	statement := func(fields string) string {
		return `{"Version":"2012-10-17","Statement":[{` + fields + `}]}`
	}
	const (
		effect    = `"Effect":"Allow",`
		principal = `"Principal":"*",`
		action    = `"Action":"s3:GetObject",`
		resource  = `"Resource":"arn:aws:s3:::policy-bucket/*"`
	)
	for _, tc := range []struct{ name, policy, msg string }{
		{"not an object", `["Statement"]`, "Policies must be valid JSON and the first byte must be '{'"},
		{"bad JSON", `{"Statement": [}`, "This policy contains invalid Json"},
		{"bad version", `{"Version":"2020-01-01","Statement":[]}`, "The policy must contain a valid version string"},
		{"no statement", `{"Version":"2012-10-17"}`, "Missing required field Statement"},
		{"empty statement", `{"Version":"2012-10-17","Statement":[]}`, "Could not parse the policy: Statement is empty!"},
		{"no effect", statement(principal + action + resource), "Missing required field Effect"},
		{"bad effect", statement(`"Effect":"Maybe",` + principal + action + resource), "Invalid effect: Maybe"},
		{"no principal", statement(effect + action + resource), "Missing required field Principal"},
		{"bad principal", statement(effect + `"Principal":{"Robot":"*"},` + action + resource), "Invalid principal in policy"},
		{"no action", statement(effect + principal + resource), "Missing required field Action"},
		{"foreign action", statement(effect + principal + `"Action":"ec2:RunInstances",` + resource), "Policy has invalid action"},
		{"no resource", statement(effect + principal + `"Action":"s3:GetObject"`), "Missing required field Resource"},
		{"other bucket", statement(effect + principal + action + `"Resource":"arn:aws:s3:::other-bucket/*"`), "Policy has invalid resource"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.PutBucketPolicy(t.Context(), &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(tc.policy)})
			wantCode(t, "PutBucketPolicy", err, "MalformedPolicy")
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want message %q", err, tc.msg)
			}
		})
	}
}

func TestPublicAccessBlock(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b := t.Context(), aws.String("access-block")
	mustCreate(t, c, *b)
	_, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	wantCode(t, "GetPublicAccessBlock before any", err, "NoSuchPublicAccessBlockConfiguration")
	block := &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(false),
		BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(false)}
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b, PublicAccessBlockConfiguration: block}); err != nil {
		t.Fatalf("PutPublicAccessBlock: %v", err)
	}
	got, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	if err != nil {
		t.Fatalf("GetPublicAccessBlock: %v", err)
	}
	if g := got.PublicAccessBlockConfiguration; !aws.ToBool(g.BlockPublicAcls) || aws.ToBool(g.IgnorePublicAcls) ||
		!aws.ToBool(g.BlockPublicPolicy) || aws.ToBool(g.RestrictPublicBuckets) {
		t.Errorf("GetPublicAccessBlock = %+v, want what was put", g)
	}
	if _, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: b}); err != nil {
		t.Fatalf("DeletePublicAccessBlock: %v", err)
	}
	_, err = c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b})
	wantCode(t, "GetPublicAccessBlock after delete", err, "NoSuchPublicAccessBlockConfiguration")
}
