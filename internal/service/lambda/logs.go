package lambda

import (
	"bytes"
	"time"

	"github.com/fogbank/fogbank/internal/logship"
	"github.com/fogbank/fogbank/internal/sandbox"
)

// LogEvent is one line of a function's log: its Timestamp is when the
// line was written (as near as Fogbank knows), its Message the line with
// its trailing newline as Lambda keeps it.
type LogEvent = logship.Event

// LogSink stores function logs; the CloudWatch Logs service implements it
// (wired by package app). Append creates the group and stream when needed.
type LogSink = logship.Sink

// logMark says that the lines of an invocation's log from byte offset on
// were written at time at.
type logMark struct {
	offset int
	at     time.Time
}

// appendRuntimeLog appends the lines the runtime wrote to inv's log, each
// marked with the time it was written; what is appended after them is
// marked with the time of this call.
func (inv *invocation) appendRuntimeLog(lines []sandbox.Line) {
	for _, l := range lines {
		inv.logMarks = append(inv.logMarks, logMark{offset: inv.log.Len(), at: l.Time})
		inv.log.Write(l.Text)
		if !bytes.HasSuffix(l.Text, []byte("\n")) {
			inv.log.WriteByte('\n')
		}
	}
	inv.logMarks = append(inv.logMarks, logMark{offset: inv.log.Len(), at: time.Now()})
}

// logBatch is an invocation's log as the events of a stream of its
// function's log group.
func logBatch(inv *invocation, stream string, start, end time.Time) logship.Batch {
	return logship.Batch{Group: inv.version.Config.LoggingConfig.LogGroup, Stream: stream,
		Events: logEvents(inv.log.Bytes(), inv.logMarks, start, end)}
}

// ship hands a log batch to the shipper goroutine; without a sink it does
// nothing.
func (s *Service) ship(b logship.Batch) {
	s.shipper.Ship(b.Group, b.Stream, b.Events)
}

// logEvents splits an invocation's log into events: the START line at
// start, each later line at the time of the last mark at or before it (end
// when there is none), never earlier than the line before.
func logEvents(log []byte, marks []logMark, start, end time.Time) []LogEvent {
	var events []LogEvent
	at, next := start, 0 // next: the first mark after the line
	for offset := 0; offset < len(log); {
		line := log[offset:]
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		for next < len(marks) && marks[next].offset <= offset {
			next++
		}
		switch {
		case offset == 0:
		case next > 0 && marks[next-1].at.After(at):
			at = marks[next-1].at
		case next == 0 && end.After(at):
			at = end
		}
		events = append(events, LogEvent{Timestamp: at, Message: string(line)})
		offset += len(line)
	}
	return events
}
