package logs_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/fogtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newClient(t *testing.T) *cloudwatchlogs.Client {
	t.Helper()
	return fogtest.Start(t).Logs(func(o *cloudwatchlogs.Options) { o.RetryMaxAttempts = 1 })
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// put writes messages at consecutive milliseconds from base.
func put(t *testing.T, c *cloudwatchlogs.Client, group, stream string, base int64, msgs ...string) {
	t.Helper()
	var events []types.InputLogEvent
	for i, m := range msgs {
		events = append(events, types.InputLogEvent{Timestamp: aws.Int64(base + int64(i)), Message: aws.String(m)})
	}
	if _, err := c.PutLogEvents(t.Context(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group),
		LogStreamName: aws.String(stream), LogEvents: events}); err != nil {
		t.Fatal(err)
	}
}

func messages[E any](events []E, msg func(E) *string) []string {
	out := []string{}
	for _, e := range events {
		out = append(out, aws.ToString(msg(e)))
	}
	return out
}

func TestGroupsAndStreams(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	for _, g := range []string{"/aws/lambda/a", "/aws/lambda/b", "/other"} {
		if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/other")})
	if got := errorCode(err); got != "ResourceAlreadyExistsException: The specified log group already exists" {
		t.Errorf("duplicate group: %s", got)
	}
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/nope"), LogStreamName: aws.String("s")})
	if got := errorCode(err); got != "ResourceNotFoundException: The specified log group does not exist." {
		t.Errorf("stream in missing group: %s", got)
	}

	// Paging with a prefix.
	var names []string
	var token *string
	for {
		out, err := c.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/"), Limit: aws.Int32(1), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, messages(out.LogGroups, func(g types.LogGroup) *string { return g.LogGroupName })...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	if diff := cmp.Diff([]string{"/aws/lambda/a", "/aws/lambda/b"}, names); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}

	for _, s := range []string{"s1", "s2", "s3"} {
		if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("/other"), LogStreamName: aws.String(s)}); err != nil {
			t.Fatal(err)
		}
	}
	put(t, c, "/other", "s1", time.Now().UnixMilli()-3000, "old")
	put(t, c, "/other", "s3", time.Now().UnixMilli()-2000, "middle")
	put(t, c, "/other", "s2", time.Now().UnixMilli()-1000, "new")
	streamNames := func(in *cloudwatchlogs.DescribeLogStreamsInput) []string {
		var got []string
		for {
			out, err := c.DescribeLogStreams(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, messages(out.LogStreams, func(s types.LogStream) *string { return s.LogStreamName })...)
			if in.NextToken = out.NextToken; in.NextToken == nil {
				return got
			}
		}
	}
	if diff := cmp.Diff([]string{"s2", "s3", "s1"}, streamNames(&cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("/other"),
		OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true), Limit: aws.Int32(2)})); diff != "" {
		t.Errorf("streams by last event time (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"s1", "s2", "s3"}, streamNames(&cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("/other"),
		LogStreamNamePrefix: aws.String("s"), Limit: aws.Int32(1)})); diff != "" {
		t.Errorf("streams by name (-want +got):\n%s", diff)
	}
}

func TestGetLogEventsTokens(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	g, s := aws.String("g"), aws.String("s")
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: g}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: g, LogStreamName: s}); err != nil {
		t.Fatal(err)
	}
	base := time.Now().UnixMilli() - 10000
	put(t, c, "g", "s", base, "e0", "e1", "e2", "e3", "e4")
	_, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: g, LogStreamName: s, LogEvents: []types.InputLogEvent{
		{Timestamp: aws.Int64(base + 5), Message: aws.String("x")}, {Timestamp: aws.Int64(base), Message: aws.String("y")}}})
	if got := errorCode(err); got != "InvalidParameterException: Log events in a single PutLogEvents request must be in chronological order." {
		t.Errorf("unordered batch: %s", got)
	}
	msg := func(e types.OutputLogEvent) *string { return e.Message }
	get := func(in *cloudwatchlogs.GetLogEventsInput) *cloudwatchlogs.GetLogEventsOutput {
		t.Helper()
		in.LogGroupName, in.LogStreamName, in.Limit = g, s, aws.Int32(2)
		out, err := c.GetLogEvents(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// The tail, then backwards to the head, then forwards past the end.
	tail := get(&cloudwatchlogs.GetLogEventsInput{})
	back := get(&cloudwatchlogs.GetLogEventsInput{NextToken: tail.NextBackwardToken})
	head := get(&cloudwatchlogs.GetLogEventsInput{NextToken: back.NextBackwardToken})
	done := get(&cloudwatchlogs.GetLogEventsInput{NextToken: head.NextBackwardToken})
	fromHead := get(&cloudwatchlogs.GetLogEventsInput{StartFromHead: aws.Bool(true)})
	next := get(&cloudwatchlogs.GetLogEventsInput{NextToken: tail.NextForwardToken})
	got := [][]string{messages(tail.Events, msg), messages(back.Events, msg), messages(head.Events, msg),
		messages(done.Events, msg), messages(fromHead.Events, msg), messages(next.Events, msg)}
	want := [][]string{{"e3", "e4"}, {"e1", "e2"}, {"e0"}, {}, {"e0", "e1"}, {}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	if aws.ToString(done.NextBackwardToken) != aws.ToString(head.NextBackwardToken) ||
		aws.ToString(next.NextForwardToken) != aws.ToString(tail.NextForwardToken) {
		t.Error("at the end, the token given is not returned")
	}
	put(t, c, "g", "s", base+100, "e5")
	if got := messages(get(&cloudwatchlogs.GetLogEventsInput{NextToken: next.NextForwardToken}).Events, msg); !cmp.Equal(got, []string{"e5"}) {
		t.Errorf("follow = %v, want [e5]", got)
	}
	_, err = c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: g, LogStreamName: aws.String("nope")})
	if got := errorCode(err); got != "ResourceNotFoundException: The specified log stream does not exist." {
		t.Errorf("missing stream: %s", got)
	}
}

func TestFilterLogEvents(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := t.Context()
	g := aws.String("g")
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: g}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"a", "b"} {
		if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: g, LogStreamName: aws.String(s)}); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Now().UnixMilli() - 10000
	put(t, c, "g", "a", base, "ERROR disk full", "INFO ok", "WARN slow disk")
	put(t, c, "g", "b", base, "ERROR net down", "ERROR Exiting now", "INFO disk fine")
	filter := func(in *cloudwatchlogs.FilterLogEventsInput) []string {
		t.Helper()
		in.LogGroupName = g
		got := []string{}
		for {
			out, err := c.FilterLogEvents(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range out.Events {
				got = append(got, aws.ToString(e.LogStreamName)+":"+aws.ToString(e.Message))
			}
			if in.NextToken = out.NextToken; in.NextToken == nil {
				return got
			}
		}
	}
	tests := []struct {
		name string
		in   cloudwatchlogs.FilterLogEventsInput
		want []string
	}{
		{"all, merged by time, paged", cloudwatchlogs.FilterLogEventsInput{Limit: aws.Int32(2)},
			[]string{"a:ERROR disk full", "b:ERROR net down", "a:INFO ok", "b:ERROR Exiting now", "a:WARN slow disk", "b:INFO disk fine"}},
		{"terms", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR disk")}, []string{"a:ERROR disk full"}},
		{"phrase", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String(`"slow disk"`)}, []string{"a:WARN slow disk"}},
		{"alternatives", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("?WARN ?net")}, []string{"b:ERROR net down", "a:WARN slow disk"}},
		{"exclusion", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("ERROR -Exiting"), LogStreamNames: []string{"b"}}, []string{"b:ERROR net down"}},
		{"time window", cloudwatchlogs.FilterLogEventsInput{StartTime: aws.Int64(base + 1), EndTime: aws.Int64(base + 2)}, []string{"a:INFO ok", "b:ERROR Exiting now"}},
		{"case-sensitive", cloudwatchlogs.FilterLogEventsInput{FilterPattern: aws.String("error")}, []string{}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, filter(&tc.in)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	_, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("nope")})
	if got := errorCode(err); got != "ResourceNotFoundException: The specified log group does not exist." {
		t.Errorf("missing group: %s", got)
	}
}
