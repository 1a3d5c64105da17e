// Package logship writes log events to a [Sink] (the CloudWatch Logs
// service, wired by package app) in the background, so that the code that
// produces them (Lambda invocations, API Gateway requests) never waits for
// storage. Each write to the sink is a durable storage transaction, so the
// shipper gathers what is queued within [Linger] of the first batch and
// writes each log stream's share in one Append: under load one fsync
// carries many requests' lines, never one per line.
package logship

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Batching limits.
const (
	// Linger is how long the shipper waits for more events after the
	// first; events reach the sink at most this much later.
	Linger = 50 * time.Millisecond
	// MaxGathered bounds the events of one gathering (PutLogEvents takes
	// at most 10,000).
	MaxGathered = 10000
	// QueueLen bounds the batches waiting for the sink; Ship waits for
	// room beyond it.
	QueueLen = 1024
	// WriteTimeout bounds one write to the sink.
	WriteTimeout = 30 * time.Second
)

// Event is one log event.
type Event struct {
	// Timestamp is when the event happened.
	Timestamp time.Time
	// Message is the event's text.
	Message string
}

// Sink stores log events. Append creates the group and the stream when
// needed.
type Sink interface {
	Append(ctx context.Context, group, stream string, events []Event) error
}

// batch is events on their way to one stream.
type batch struct {
	group, stream string
	events        []Event
}

// Shipper queues batches of events and writes them to its sink from one
// goroutine. It is safe for concurrent use; a nil *Shipper drops what it
// is given.
type Shipper struct {
	sink   Sink
	logger *slog.Logger
	queue  chan batch
	done   chan struct{}
	// mu orders Ship against Close: Ship holds it shared while it queues.
	mu     sync.RWMutex
	closed bool
}

// New starts a shipper writing to sink; failed writes are logged to
// logger (nil discards them).
func New(sink Sink, logger *slog.Logger) *Shipper {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Shipper{sink: sink, logger: logger, queue: make(chan batch, QueueLen), done: make(chan struct{})}
	go s.run()
	return s
}

// Ship queues events for the stream group/stream (the shipper owns them
// from then on), waiting for room when QueueLen batches wait already.
// After Close it drops them.
func (s *Shipper) Ship(group, stream string, events []Event) {
	if s == nil || len(events) == 0 {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.closed {
		s.queue <- batch{group: group, stream: stream, events: events}
	}
}

// Close writes what is queued and stops the shipper.
func (s *Shipper) Close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.queue)
	}
	s.mu.Unlock()
	<-s.done
}

// run writes queued batches to the sink until the queue is closed.
func (s *Shipper) run() {
	defer close(s.done)
	for first := range s.queue {
		for _, b := range s.gather(first) {
			ctx, cancel := context.WithTimeout(context.Background(), WriteTimeout)
			if err := s.sink.Append(ctx, b.group, b.stream, b.events); err != nil {
				s.logger.Warn("logs lost", "group", b.group, "stream", b.stream, "events", len(b.events), "err", err)
			}
			cancel()
		}
	}
}

// gather returns first and the batches queued within Linger after it,
// merged per log stream (in order of first appearance, each stream's
// events in queue order).
func (s *Shipper) gather(first batch) []batch {
	merged := []batch{first}
	events := len(first.events)
	timer := time.NewTimer(Linger)
	defer timer.Stop()
	for events < MaxGathered {
		select {
		case b, ok := <-s.queue:
			if !ok {
				return merged
			}
			merged = merge(merged, b)
			events += len(b.events)
		case <-timer.C:
			return merged
		}
	}
	return merged
}

// merge appends b's events to the batch of its stream in merged, or b
// itself when its stream has none yet.
func merge(merged []batch, b batch) []batch {
	for i := range merged {
		if merged[i].group == b.group && merged[i].stream == b.stream {
			merged[i].events = append(merged[i].events, b.events...)
			return merged
		}
	}
	return append(merged, b)
}
