package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// followInterval is how often `fogbank logs -f` polls for new events.
const followInterval = time.Second

// logs runs `fogbank logs [-f] <function>`: it prints the function's log
// events (group /aws/lambda/<function>) in time order, and with -f keeps
// polling for new ones until interrupted.
func logs(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: fogbank logs [flags] <function>")
		fs.PrintDefaults()
	}
	var cf clientFlags
	cf.add(fs, e)
	follow := fs.Bool("f", false, "follow: keep printing new events")
	since := fs.Duration("since", time.Hour, "print events from this long ago")
	args, exit, ok := parseInterleaved(fs, args)
	if !ok {
		return exit
	}
	if len(args) != 1 {
		fs.Usage()
		return exitUsage
	}
	cfg, err := cf.awsConfig(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "fogbank logs: %v\n", err)
		return exitFailure
	}
	t := &tailer{client: cloudwatchlogs.NewFromConfig(cfg), group: "/aws/lambda/" + args[0],
		from: time.Now().Add(-*since).UnixMilli(), seen: map[string]bool{}}
	for {
		if err := t.poll(ctx, e); err != nil {
			if ctx.Err() != nil {
				return exitOK
			}
			fmt.Fprintf(e.stderr, "fogbank logs: %v\n", err)
			return exitFailure
		}
		if !*follow {
			return exitOK
		}
		select {
		case <-ctx.Done():
			return exitOK
		case <-time.After(followInterval):
		}
	}
}

// tailer prints the events of a group once each.
type tailer struct {
	client *cloudwatchlogs.Client
	group  string
	// from is the timestamp of the newest event printed; seen holds the
	// ids of the events printed with that timestamp.
	from int64
	seen map[string]bool
}

// poll prints the events from t.from on that were not printed yet.
func (t *tailer) poll(ctx context.Context, e env) error {
	in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(t.group), StartTime: aws.Int64(t.from)}
	for {
		out, err := t.client.FilterLogEvents(ctx, in)
		if err != nil {
			return err
		}
		for _, ev := range out.Events {
			t.print(e, ev.Timestamp, aws.ToString(ev.EventId), aws.ToString(ev.Message))
		}
		if in.NextToken = out.NextToken; in.NextToken == nil {
			return nil
		}
	}
}

func (t *tailer) print(e env, timestamp *int64, id, msg string) {
	ts := aws.ToInt64(timestamp)
	if t.seen[id] || ts < t.from {
		return
	}
	if ts > t.from {
		t.from, t.seen = ts, map[string]bool{}
	}
	t.seen[id] = true
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(e.stdout, msg)
}
