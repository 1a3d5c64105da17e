package lambda

import (
	"bytes"
	"context"
	"time"
)

// LogEvent is one line of a function's log.
type LogEvent struct {
	// Timestamp is when the line was written (as near as Fogbank knows).
	Timestamp time.Time
	// Message is the line, with its trailing newline as Lambda keeps it.
	Message string
}

// LogSink stores function logs; the CloudWatch Logs service implements it
// (wired by package app). Append creates the group and stream when needed.
type LogSink interface {
	Append(ctx context.Context, group, stream string, events []LogEvent) error
}

// logBatch is the log of one invocation on its way to the sink.
type logBatch struct {
	group, stream string
	events        []LogEvent
}

// logQueueLen bounds the batches waiting for the sink; invocations wait
// for room beyond it.
const logQueueLen = 1024

// logWriteTimeout bounds one write to the sink.
const logWriteTimeout = 30 * time.Second

// shipLogs hands one invocation's log to the shipper goroutine; without a
// sink it does nothing.
func (s *Service) shipLogs(inv *invocation, stream string, start, end time.Time) {
	if s.opts.LogSink == nil || inv.log.Len() == 0 {
		return
	}
	s.logQueue <- logBatch{group: inv.version.Config.LoggingConfig.LogGroup, stream: stream,
		events: logEvents(inv.log.Bytes(), start, end)}
}

// logEvents splits an invocation's log into events: the START line at
// start, the rest at end.
func logEvents(log []byte, start, end time.Time) []LogEvent {
	var events []LogEvent
	for len(log) > 0 {
		line := log
		if i := bytes.IndexByte(log, '\n'); i >= 0 {
			line = log[:i+1]
		}
		log = log[len(line):]
		at := end
		if len(events) == 0 {
			at = start
		}
		events = append(events, LogEvent{Timestamp: at, Message: string(line)})
	}
	return events
}

// runLogShipper writes queued batches to the sink until the queue is
// closed.
func (s *Service) runLogShipper() {
	defer close(s.logsDone)
	for b := range s.logQueue {
		ctx, cancel := context.WithTimeout(context.Background(), logWriteTimeout)
		if err := s.opts.LogSink.Append(ctx, b.group, b.stream, b.events); err != nil {
			s.logger.Warn("function logs lost", "group", b.group, "stream", b.stream, "err", err)
		}
		cancel()
	}
}
