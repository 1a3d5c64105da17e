package server

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/internal/apierr"
)

// Admission control: every service (DynamoDB, S3, Lambda, the gateway, ...)
// has a gate that lets at most Limits.MaxInFlight of its requests run at
// once. A request that finds the gate full waits in a bounded FIFO queue
// (Limits.MaxQueue) for at most Limits.QueueTimeout; a request that finds
// the queue full, or whose wait runs out, is shed with the service's
// throttling error, which SDKs retry with backoff. The gate is passed before
// the body is read, so waiting requests hold no bodies, and it starts no
// goroutine: a waiting request is its own connection's goroutine. The
// health and runtime endpoints are never gated.

// Defaults of the Limits fields.
const (
	// InFlightPerCPU sizes the default MaxInFlight: this many requests per
	// GOMAXPROCS.
	InFlightPerCPU = 64
	// QueuePerSlot sizes the default MaxQueue: this many waiting requests
	// per in-flight slot.
	QueuePerSlot = 4
	// DefaultQueueTimeout is how long a request waits for a slot by default.
	DefaultQueueTimeout = 150 * time.Millisecond
)

// Throttling errors, one per protocol family (PROTOCOLS.md §0: SDKs retry
// all of these).
var (
	// errThrottling is what DynamoDB (and the awsJson family) answers when
	// its request-handling layer sheds load; on-demand tables throttle with
	// it rather than with ProvisionedThroughputExceededException, which
	// names a table's provisioned capacity.
	errThrottling = apierr.Def{Code: "ThrottlingException", Status: http.StatusBadRequest, Namespace: "com.amazon.coral.availability"}
	// errSlowDown is S3's answer to too high a request rate.
	errSlowDown = apierr.Def{Code: "SlowDown", Status: http.StatusServiceUnavailable, Fault: apierr.FaultServer}
	// errTooManyRequests is Lambda's and API Gateway's control plane's.
	errTooManyRequests = apierr.Def{Code: "TooManyRequestsException", Status: http.StatusTooManyRequests}
)

// throttleError returns the error a shed request of service is answered with.
func throttleError(service string) *apierr.Error {
	switch service {
	case s3SigningName:
		return errSlowDown.New("Please reduce your request rate.")
	case "lambda":
		return errTooManyRequests.New("Rate exceeded.").With("Reason", "CallerRateLimitExceeded")
	case "apigateway":
		return errTooManyRequests.New("Too Many Requests")
	}
	return errThrottling.New("Rate exceeded")
}

// Limits configure admission control; they apply to each service apart.
type Limits struct {
	// MaxInFlight is how many requests of one service run at once;
	// InFlightPerCPU × GOMAXPROCS when zero or negative.
	MaxInFlight int
	// MaxQueue is how many more requests of one service may wait for a
	// slot; QueuePerSlot × MaxInFlight when zero, none when negative.
	MaxQueue int
	// QueueTimeout is how long a request waits for a slot before it is
	// shed; DefaultQueueTimeout when zero or negative.
	QueueTimeout time.Duration
}

// withDefaults returns l with its zero fields sized from the machine.
func (l Limits) withDefaults() Limits {
	if l.MaxInFlight <= 0 {
		l.MaxInFlight = InFlightPerCPU * runtime.GOMAXPROCS(0)
	}
	switch {
	case l.MaxQueue == 0:
		l.MaxQueue = QueuePerSlot * l.MaxInFlight
	case l.MaxQueue < 0:
		l.MaxQueue = 0
	}
	if l.QueueTimeout <= 0 {
		l.QueueTimeout = DefaultQueueTimeout
	}
	return l
}

// GateStats is a snapshot of one service's gate.
type GateStats struct {
	// InFlight is the number of requests running.
	InFlight int `json:"in_flight"`
	// Queued is the number of requests waiting for a slot.
	Queued int64 `json:"queued"`
	// Shed counts the requests shed since the server started.
	Shed int64 `json:"shed"`
}

// gate admits at most cap(slots) holders at once and queues at most
// maxQueue more, each for at most timeout. Blocked senders on a channel are
// served in arrival order, so the queue is FIFO.
type gate struct {
	slots    chan struct{}
	maxQueue int64
	timeout  time.Duration
	waiting  atomic.Int64
	shed     atomic.Int64
}

func newGate(l Limits) *gate {
	return &gate{slots: make(chan struct{}, l.MaxInFlight), maxQueue: int64(l.MaxQueue), timeout: l.QueueTimeout}
}

// enter takes a slot, waiting in the queue if need be, and reports whether
// it got one; each true return must be paired with a leave. It returns
// false at once when the queue is full, and after waiting when the timeout
// passes or ctx ends first.
func (g *gate) enter(ctx context.Context) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	if g.waiting.Add(1) > g.maxQueue {
		g.waiting.Add(-1)
		g.shed.Add(1)
		return false
	}
	defer g.waiting.Add(-1)
	timer := time.NewTimer(g.timeout)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	g.shed.Add(1)
	return false
}

// leave frees the slot taken by a successful enter.
func (g *gate) leave() { <-g.slots }

func (g *gate) stats() GateStats {
	return GateStats{InFlight: len(g.slots), Queued: g.waiting.Load(), Shed: g.shed.Load()}
}

// admission holds one gate per service, made on the service's first request.
type admission struct {
	limits Limits
	mu     sync.Mutex
	gates  map[string]*gate
}

func newAdmission(l Limits) *admission {
	return &admission{limits: l.withDefaults(), gates: make(map[string]*gate)}
}

// gate returns service's gate.
func (a *admission) gate(service string) *gate {
	a.mu.Lock()
	defer a.mu.Unlock()
	g, ok := a.gates[service]
	if !ok {
		g = newGate(a.limits)
		a.gates[service] = g
	}
	return g
}

// stats returns a snapshot of every gate, by service.
func (a *admission) stats() map[string]GateStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]GateStats, len(a.gates))
	for service, g := range a.gates {
		out[service] = g.stats()
	}
	return out
}

// admit passes r through the gate of info.service. When r is shed it
// answers with the service's throttling error (through info.writeError)
// and returns ok false; otherwise the caller must call release when the
// request is done.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, info *requestInfo) (release func(), ok bool) {
	g := s.admission.gate(info.service)
	if !g.enter(r.Context()) {
		s.shed(w, r, info)
		return nil, false
	}
	return g.leave, true
}

// shed answers a request that was not admitted: API Gateway's data plane
// with its own 429 {"message":"Too Many Requests"}, every other service with
// its throttling error in its protocol's encoding.
func (s *Server) shed(w http.ResponseWriter, r *http.Request, info *requestInfo) {
	if info.service == gatewayServiceName {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "TooManyRequestsException")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"message":"Too Many Requests"}`)
		return
	}
	info.writeError(w, r, throttleError(info.service))
}
