package s3_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/fogbank/fogbank/internal/fogtest"
)

const (
	queueARN    = "arn:aws:sqs:" + fogtest.Region + ":000000000000:uploads"
	topicARN    = "arn:aws:sns:" + fogtest.Region + ":000000000000:changes"
	functionARN = "arn:aws:lambda:" + fogtest.Region + ":000000000000:function:thumbnail"
)

func keyFilter(rules ...string) *types.NotificationConfigurationFilter {
	f := &types.S3KeyFilter{}
	for i := 0; i < len(rules); i += 2 {
		f.FilterRules = append(f.FilterRules, types.FilterRule{Name: types.FilterRuleName(rules[i]), Value: aws.String(rules[i+1])})
	}
	return &types.NotificationConfigurationFilter{Key: f}
}

func putNotification(t *testing.T, c *s3.Client, bucket string, cfg *types.NotificationConfiguration) error {
	t.Helper()
	_, err := c.PutBucketNotificationConfiguration(t.Context(), &s3.PutBucketNotificationConfigurationInput{
		Bucket: aws.String(bucket), NotificationConfiguration: cfg})
	return err
}

func TestBucketNotificationConfiguration(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	ctx, b := t.Context(), aws.String("notify-config")
	mustCreate(t, c, *b)

	got, err := c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b})
	if err != nil || len(got.QueueConfigurations)+len(got.TopicConfigurations)+len(got.LambdaFunctionConfigurations) != 0 {
		t.Fatalf("GetBucketNotificationConfiguration before any = %+v, %v; want empty", got, err)
	}
	err = putNotification(t, c, *b, &types.NotificationConfiguration{
		QueueConfigurations: []types.QueueConfiguration{{QueueArn: aws.String(queueARN),
			Events: []types.Event{"s3:ObjectCreated:*"}, Filter: keyFilter("prefix", "uploads/", "suffix", ".jpg")}},
		TopicConfigurations: []types.TopicConfiguration{{Id: aws.String("removals"), TopicArn: aws.String(topicARN),
			Events: []types.Event{"s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"}}},
		LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{Id: aws.String("thumbs"),
			LambdaFunctionArn: aws.String(functionARN), Events: []types.Event{"s3:ObjectCreated:Put"}, Filter: keyFilter("prefix", "images/")}},
		EventBridgeConfiguration: &types.EventBridgeConfiguration{},
	})
	if err != nil {
		t.Fatalf("PutBucketNotificationConfiguration: %v", err)
	}
	got, err = c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b})
	if err != nil {
		t.Fatalf("GetBucketNotificationConfiguration: %v", err)
	}
	if len(got.QueueConfigurations) != 1 || len(got.TopicConfigurations) != 1 || len(got.LambdaFunctionConfigurations) != 1 ||
		got.EventBridgeConfiguration == nil {
		t.Fatalf("configuration = %+v, want one of each", got)
	}
	q := got.QueueConfigurations[0]
	if aws.ToString(q.Id) == "" || aws.ToString(q.QueueArn) != queueARN || len(q.Events) != 1 || q.Events[0] != "s3:ObjectCreated:*" {
		t.Errorf("queue configuration = %+v, want a generated Id and the queue's events", q)
	}
	if rules := q.Filter.Key.FilterRules; len(rules) != 2 || rules[0].Name != "Prefix" || aws.ToString(rules[0].Value) != "uploads/" || rules[1].Name != "Suffix" {
		t.Errorf("queue filter = %+v, want Prefix uploads/ and Suffix .jpg", rules)
	}
	if f := got.LambdaFunctionConfigurations[0]; aws.ToString(f.Id) != "thumbs" || aws.ToString(f.LambdaFunctionArn) != functionARN {
		t.Errorf("function configuration = %+v", f)
	}
	if tc := got.TopicConfigurations[0]; aws.ToString(tc.Id) != "removals" || len(tc.Events) != 2 {
		t.Errorf("topic configuration = %+v", tc)
	}

	if err := putNotification(t, c, *b, &types.NotificationConfiguration{}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration(empty): %v", err)
	}
	got, err = c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: b})
	if err != nil || len(got.QueueConfigurations)+len(got.TopicConfigurations)+len(got.LambdaFunctionConfigurations) != 0 || got.EventBridgeConfiguration != nil {
		t.Errorf("configuration after an empty put = %+v, %v; want empty", got, err)
	}
	_, err = c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("no-such-bucket-here")})
	wantCode(t, "GetBucketNotificationConfiguration on a missing bucket", err, "NoSuchBucket")
}

func TestBucketNotificationValidation(t *testing.T) {
	t.Parallel()
	c := fogtest.Start(t).S3()
	mustCreate(t, c, "notify-invalid")
	fn := func(events []types.Event, filter *types.NotificationConfigurationFilter) types.LambdaFunctionConfiguration {
		return types.LambdaFunctionConfiguration{LambdaFunctionArn: aws.String(functionARN), Events: events, Filter: filter}
	}
	created := []types.Event{"s3:ObjectCreated:*"}
	for _, tc := range []struct {
		name string
		cfg  types.NotificationConfiguration
		msg  string
	}{
		{"unknown event", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			fn([]types.Event{"s3:ObjectChanged"}, nil)}}, "The event is not supported for notifications"},
		{"overlapping events", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			fn(created, nil), fn([]types.Event{"s3:ObjectCreated:Put"}, nil)}},
			"Configurations overlap. Configurations on the same bucket cannot share a common event type."},
		{"overlapping filters", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			fn(created, keyFilter("prefix", "a/")), fn(created, keyFilter("prefix", "a/b/"))}},
			"Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type."},
		{"bad rule name", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			fn(created, keyFilter("middle", "x"))}}, "filter rule name must be either prefix or suffix"},
		{"two prefixes", types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{
			fn(created, keyFilter("prefix", "a", "prefix", "b"))}}, "Cannot specify more than one prefix rule in a filter."},
		{"queue ARN of another region", types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{
			QueueArn: aws.String("arn:aws:sqs:mars-north-1:000000000000:q"), Events: created}}},
			"Unable to validate the following destination configurations"},
		{"topic ARN for a queue", types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{
			QueueArn: aws.String(topicARN), Events: created}}}, "Unable to validate the following destination configurations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := putNotification(t, c, "notify-invalid", &tc.cfg)
			wantCode(t, "PutBucketNotificationConfiguration", err, "InvalidArgument")
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want message %q", err, tc.msg)
			}
		})
	}
}
