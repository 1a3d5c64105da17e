package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"
)

// followInterval is how often `fogbank logs -f` polls for new events.
const followInterval = time.Second

// logs runs `fogbank logs [-f] <function>`: it prints the function's log
// events (group /aws/lambda/<function>) in time order, and with -f keeps
// polling for new ones until interrupted, waiting for the group to appear
// when the function has not logged yet.
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
	cl, err := cf.newClient(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "fogbank logs: %v\n", err)
		return exitFailure
	}
	t := &tailer{client: cl, group: "/aws/lambda/" + args[0],
		from: time.Now().Add(-*since).UnixMilli(), seen: map[string]bool{}}
	for {
		if err := t.poll(ctx, e); err != nil && !(*follow && isNotFound(err)) {
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
	client *client
	group  string
	// from is the timestamp of the newest event printed; seen holds the
	// ids of the events printed with that timestamp.
	from int64
	seen map[string]bool
}

// filterLogEvents is the part of FilterLogEvents the tailer uses.
type filterLogEvents struct {
	LogGroupName string `json:"logGroupName"`
	StartTime    int64  `json:"startTime"`
	NextToken    string `json:"nextToken,omitempty"`
}

// filteredEvents is the part of the FilterLogEvents answer the tailer uses.
type filteredEvents struct {
	Events []struct {
		Timestamp int64  `json:"timestamp"`
		EventID   string `json:"eventId"`
		Message   string `json:"message"`
	} `json:"events"`
	NextToken string `json:"nextToken"`
}

// poll prints the events from t.from on that were not printed yet.
func (t *tailer) poll(ctx context.Context, e env) error {
	in := filterLogEvents{LogGroupName: t.group, StartTime: t.from}
	for {
		var out filteredEvents
		if err := t.client.jsonCall(ctx, "logs", "Logs_20140328.FilterLogEvents", in, &out); err != nil {
			return err
		}
		for _, ev := range out.Events {
			t.print(e, ev.Timestamp, ev.EventID, ev.Message)
		}
		if in.NextToken = out.NextToken; in.NextToken == "" {
			return nil
		}
	}
}

func (t *tailer) print(e env, ts int64, id, msg string) {
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

// isNotFound reports whether err is a ResourceNotFoundException answer, such
// as that for a log group that does not exist yet.
func isNotFound(err error) bool {
	var apiErr *apiError
	return errors.As(err, &apiErr) && apiErr.code == "ResourceNotFoundException"
}
