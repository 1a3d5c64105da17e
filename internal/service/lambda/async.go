package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/keyenc"
)

// Event queue limits.
const (
	// maxAsyncPayload is the largest Event invocation payload.
	maxAsyncPayload = 256 << 10
	// asyncWorkers bounds the Event invocations run at once.
	asyncWorkers = 16
	// asyncBatch bounds the due events read per scan of the queue.
	asyncBatch = 64
	// asyncIdlePoll is the longest the worker sleeps without a wake-up.
	asyncIdlePoll = time.Second
)

// queuedEvent is the stored form of an Event invocation waiting in the
// queue.
type queuedEvent struct {
	ID            string `json:"ID"`
	Function      string `json:"Function"`
	Qualifier     string `json:"Qualifier,omitempty"`
	Payload       []byte `json:"Payload,omitempty"`
	ClientContext string `json:"ClientContext,omitempty"`
	// Attempt counts the runs that ended in a function error.
	Attempt int `json:"Attempt"`
	// Enqueued is when Invoke accepted the event (Unix milliseconds).
	Enqueued int64 `json:"Enqueued"`
	// Due is when the event may run next (Unix nanoseconds, in the key).
	Due int64 `json:"Due"`
	// Last is the result of the latest run that ended in a function error,
	// for the invocation record of an event that then grows too old.
	Last *eventResponse `json:"Last,omitempty"`
}

func queueKey(due int64, id string) []byte {
	return append(keyenc.AppendUint64([]byte(queuePrefix), uint64(max(due, 0))), id...)
}

func (ev *queuedEvent) key() []byte { return queueKey(ev.Due, ev.ID) }

// enqueue stores an Event invocation durably and answers 202.
func (s *Service) enqueue(ctx context.Context, rec *functionRecord, qualifier string, inv *invocation) (*restjson.Response, error) {
	if len(inv.payload) > maxAsyncPayload {
		return nil, errTooLarge.Newf("Request must be smaller than %d bytes for the InvokeAsync operation", maxAsyncPayload)
	}
	now := time.Now()
	ev := queuedEvent{ID: inv.id, Function: rec.Latest.Config.FunctionName, Qualifier: qualifier,
		Payload: inv.payload, ClientContext: inv.clientContext, Enqueued: now.UnixMilli(), Due: now.UnixNano()}
	if err := s.engine.Update(ctx, func(tx storage.Tx) error { return saveEvent(tx, &ev) }); err != nil {
		return nil, err
	}
	select {
	case s.asyncWake <- struct{}{}:
	default:
	}
	return &restjson.Response{Status: http.StatusAccepted}, nil
}

func saveEvent(tx storage.Tx, ev *queuedEvent) error {
	raw, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("lambda: encode event: %w", err)
	}
	if err := tx.Set(ev.key(), raw); err != nil {
		return fmt.Errorf("lambda: queue event: %w", err)
	}
	return nil
}

// RunAsync delivers queued Event invocations until ctx ends: up to 16 at
// once, retrying function errors after AsyncRetryBase and twice that
// (MaximumRetryAttempts of the event invoke config, 2 by default),
// retrying throttled events, and dropping events older than their
// maximum event age. Events still running when ctx ends stay queued and
// run again later, so delivery is at least once. With several nodes, run
// it under a lease so that one node delivers at a time.
func (s *Service) RunAsync(ctx context.Context) error {
	w := &asyncWorker{s: s, running: map[string]bool{}, slots: make(chan struct{}, asyncWorkers),
		done: make(chan struct{}, 1)}
	defer w.wg.Wait()
	for {
		next, err := w.dispatch(ctx)
		if err != nil && ctx.Err() == nil {
			s.logger.WarnContext(ctx, "event queue scan failed", "err", err)
		}
		wait := time.NewTimer(min(time.Until(next), asyncIdlePoll))
		select {
		case <-ctx.Done():
			wait.Stop()
			return ctx.Err()
		case <-s.asyncWake:
		case <-w.done:
		case <-wait.C:
		}
		wait.Stop()
	}
}

// asyncWorker is the state of one RunAsync.
type asyncWorker struct {
	s     *Service
	wg    sync.WaitGroup
	slots chan struct{}
	done  chan struct{} // signalled when a delivery ends

	mu      sync.Mutex
	running map[string]bool // ids of the events being delivered
}

// dispatch starts the due events that are not running yet, as far as
// there are free slots, and returns when the next queued event is due.
func (w *asyncWorker) dispatch(ctx context.Context) (next time.Time, err error) {
	now := time.Now()
	next = now.Add(asyncIdlePoll)
	events, err := w.s.scanQueue(ctx, asyncBatch)
	for _, ev := range events {
		if due := time.Unix(0, ev.Due); due.After(now) {
			next = due
			break
		}
		if !w.start(ctx, ev) {
			break
		}
	}
	return next, err
}

// start delivers ev in a new goroutine unless it is already running;
// it reports false when all slots are taken.
func (w *asyncWorker) start(ctx context.Context, ev queuedEvent) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.running[ev.ID] {
		return true
	}
	select {
	case w.slots <- struct{}{}:
	default:
		return false
	}
	w.running[ev.ID] = true
	w.wg.Go(func() {
		w.s.deliver(ctx, ev)
		w.mu.Lock()
		delete(w.running, ev.ID)
		w.mu.Unlock()
		<-w.slots
		select {
		case w.done <- struct{}{}:
		default:
		}
	})
	return true
}

// scanQueue reads the first limit queued events, soonest due first.
func (s *Service) scanQueue(ctx context.Context, limit int) ([]queuedEvent, error) {
	var events []queuedEvent
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		var decodeErr error
		prefix := []byte(queuePrefix)
		err := tx.Scan(storage.Range{Start: prefix, End: storage.PrefixEnd(prefix), Limit: limit}, func(_, v []byte) bool {
			var ev queuedEvent
			if decodeErr = json.Unmarshal(v, &ev); decodeErr != nil {
				return false
			}
			events = append(events, ev)
			return true
		})
		return errors.Join(err, decodeErr)
	})
	if err != nil {
		return nil, fmt.Errorf("lambda: scan event queue: %w", err)
	}
	return events, nil
}

// deliver runs one queued event and records what became of it: removed
// after success or its last attempt, or queued again for later. An event
// that ended sends its invocation record to its destination, a Lambda
// function, by queueing it in the same transaction.
func (s *Service) deliver(ctx context.Context, ev queuedEvent) {
	next, end := s.attempt(ctx, &ev)
	if ctx.Err() != nil {
		return // stays queued as it was
	}
	var dest *queuedEvent
	if end != nil {
		dest = destinationEvent(end)
	}
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		if err := tx.Delete(queueKey(ev.Due, ev.ID)); err != nil {
			return fmt.Errorf("lambda: %w", err)
		}
		for _, e := range []*queuedEvent{next, dest} {
			if e == nil {
				continue
			}
			if err := saveEvent(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.logger.WarnContext(ctx, "event queue update failed", "request_id", ev.ID, "err", err)
		return
	}
	if end != nil {
		s.logEnd(ctx, &ev, end, dest != nil)
	}
}

// logEnd logs a dropped event, and a destination not delivered to.
func (s *Service) logEnd(ctx context.Context, ev *queuedEvent, end *eventEnd, delivered bool) {
	if end.reason != "" {
		s.logger.InfoContext(ctx, "event invocation dropped", "function", ev.Function, "request_id", ev.ID, "reason", end.reason)
	}
	if end.destination != "" && !delivered {
		s.logger.WarnContext(ctx, "invocation record not delivered: only Lambda function destinations are supported",
			"function", ev.Function, "request_id", ev.ID, "condition", end.condition, "destination", end.destination)
	}
}

// attempt runs ev once, unless it is too old, and returns the event to
// queue again, or, when it is done, how it ended (nil for neither: an
// event interrupted by ctx).
func (s *Service) attempt(ctx context.Context, ev *queuedEvent) (next *queuedEvent, end *eventEnd) {
	rec, err := s.getFunction(ctx, ev.Function)
	if err != nil {
		return nil, &eventEnd{reason: "the function no longer exists"}
	}
	cfg := rec.EventInvoke[eventInvokeKey(ev.Qualifier)]
	if age := time.Since(time.UnixMilli(ev.Enqueued)); age > cfg.maxAge() {
		return nil, s.ended(ev, cfg, conditionEventAgeExceeded, ev.Attempt, ev.Last)
	}
	vr, err := s.lookupVersion(rec, ev.Qualifier)
	if err != nil {
		return nil, &eventEnd{reason: "the qualifier no longer exists"}
	}
	release, err := s.acquireSlot(ev.Function, rec.Reserved)
	if err != nil {
		return ev.later(min(s.opts.AsyncRetryBase, time.Second), nil), nil
	}
	defer release()
	inv := &invocation{id: ev.ID, arn: s.functionARN(ev.Function, ev.Qualifier), payload: ev.Payload,
		clientContext: ev.ClientContext, version: vr}
	if err := s.run(ctx, inv); err != nil {
		return ev.later(s.opts.AsyncRetryBase, nil), nil
	}
	resp := &eventResponse{ExecutedVersion: vr.Config.Version, Payload: inv.output}
	if !inv.functionError {
		return nil, s.ended(ev, cfg, conditionSuccess, ev.Attempt+1, resp)
	}
	resp.FunctionError = "Unhandled"
	if ev.Attempt >= cfg.retries() {
		return nil, s.ended(ev, cfg, conditionRetriesExhausted, ev.Attempt+1, resp)
	}
	return ev.later(s.opts.AsyncRetryBase*time.Duration(ev.Attempt+1), resp), nil
}

// later returns ev due after delay, as a retry after a function error
// when failed (that run's result) is set.
func (ev *queuedEvent) later(delay time.Duration, failed *eventResponse) *queuedEvent {
	next := *ev
	next.Due = time.Now().Add(delay).UnixNano()
	if failed != nil {
		next.Attempt++
		next.Last = failed
	}
	return &next
}

func (e eventInvokeRecord) maxAge() time.Duration {
	if e.MaximumEventAgeInSeconds == nil {
		return DefaultMaxEventAge
	}
	return time.Duration(*e.MaximumEventAgeInSeconds) * time.Second
}

func (e eventInvokeRecord) retries() int {
	if e.MaximumRetryAttempts == nil {
		return maxRetryAttempts
	}
	return *e.MaximumRetryAttempts
}
