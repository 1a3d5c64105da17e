// Package logship writes log events to a [Sink] (the CloudWatch Logs
// service, wired by package app) in the background, so that the code that
// produces them (Lambda invocations, API Gateway requests) never waits for
// storage. Each write to the sink is a durable storage transaction, so the
// shipper gathers what is queued within [Linger] of the first batch, merges
// it per log stream and writes it all in one Append: under load one fsync
// carries many requests' lines to many streams, never one per line. While
// it lingers the shipper sleeps: queueing a batch wakes nobody (unless the
// queue is full), so the producers' requests do not pay for its wake-ups.
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

// Sink stores log events. Append writes every batch or none (one
// transaction), creating the groups and streams that are missing.
type Sink interface {
	Append(ctx context.Context, batches []Batch) error
}

// Batch is events on their way to one log stream.
type Batch struct {
	Group, Stream string
	Events        []Event
}

// Shipper queues batches of events and writes them to its sink from one
// goroutine. It is safe for concurrent use; a nil *Shipper drops what it
// is given.
type Shipper struct {
	sink   Sink
	logger *slog.Logger
	queue  chan queued
	// full wakes a lingering shipper when the queue is full; closing
	// when Close is called.
	full, closing chan struct{}
	done          chan struct{}
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
	s := &Shipper{sink: sink, logger: logger, queue: make(chan queued, QueueLen), full: make(chan struct{}, 1),
		closing: make(chan struct{}), done: make(chan struct{})}
	go s.run()
	return s
}

// Ship queues events for the stream group/stream (the shipper owns them
// from then on), waiting for room when QueueLen batches wait already.
// After Close it drops them.
func (s *Shipper) Ship(group, stream string, events []Event) {
	if len(events) > 0 {
		s.enqueue(queued{batch: Batch{Group: group, Stream: stream, Events: events}})
	}
}

// ShipLater queues makeBatch, which the shipper's goroutine calls when it
// gathers, for the batch to write: for work that need not delay the
// caller (formatting the last lines of an invocation's log, say). After
// Close it drops makeBatch uncalled.
func (s *Shipper) ShipLater(makeBatch func() Batch) {
	s.enqueue(queued{later: makeBatch})
}

// queued is a batch, or the function that makes it.
type queued struct {
	batch Batch
	later func() Batch
}

// enqueue queues q, waking the shipper only when the queue is full.
func (s *Shipper) enqueue(q queued) {
	if s == nil {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return
	}
	select {
	case s.queue <- q:
	default:
		select {
		case s.full <- struct{}{}:
		default:
		}
		s.queue <- q
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
		close(s.closing)
		close(s.queue)
	}
	s.mu.Unlock()
	<-s.done
}

// run writes queued batches to the sink until the queue is closed.
func (s *Shipper) run() {
	defer close(s.done)
	for first := range s.queue {
		if batches := s.gather(first); len(batches) > 0 {
			s.write(batches)
		}
	}
}

// write appends batches in one write; when that fails, it writes them one
// by one, so that a batch the sink refuses loses only its own events.
func (s *Shipper) write(batches []Batch) {
	if s.append(batches) == nil || len(batches) == 1 {
		return
	}
	for _, b := range batches {
		_ = s.append([]Batch{b}) // a failure is logged there
	}
}

// append is one write to the sink; a single batch's failure is logged.
func (s *Shipper) append(batches []Batch) error {
	ctx, cancel := context.WithTimeout(context.Background(), WriteTimeout)
	defer cancel()
	err := s.sink.Append(ctx, batches)
	if err != nil && len(batches) == 1 {
		b := batches[0]
		s.logger.Warn("logs lost", "group", b.Group, "stream", b.Stream, "events", len(b.Events), "err", err)
	}
	return err
}

// gather returns first and the batches queued within Linger after it
// (fewer when the queue fills or the shipper closes), merged per log
// stream (in order of first appearance, each stream's events in queue
// order).
func (s *Shipper) gather(first queued) []Batch {
	timer := time.NewTimer(Linger)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-s.full:
	case <-s.closing:
	}
	b := first.make()
	merged := merge(nil, b)
	for events := len(b.Events); events < MaxGathered; {
		select {
		case q, ok := <-s.queue:
			if !ok {
				return merged
			}
			b := q.make()
			merged = merge(merged, b)
			events += len(b.Events)
		default:
			return merged
		}
	}
	return merged
}

// make returns the batch, calling the function that makes it if need be.
func (q queued) make() Batch {
	if q.later != nil {
		return q.later()
	}
	return q.batch
}

// merge appends b's events to the batch of its stream in merged, or b
// itself when its stream has none yet; a batch without events adds nothing.
func merge(merged []Batch, b Batch) []Batch {
	if len(b.Events) == 0 {
		return merged
	}
	for i := range merged {
		if merged[i].Group == b.Group && merged[i].Stream == b.Stream {
			merged[i].Events = append(merged[i].Events, b.Events...)
			return merged
		}
	}
	return append(merged, b)
}
