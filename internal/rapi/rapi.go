package rapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/logging"
)

// MaxResponseSize is the largest /response or /error body accepted: 6 MiB
// plus the 100 bytes of slack Lambda allows.
const MaxResponseSize = 6<<20 + 100

// closeTimeout bounds the graceful part of Close.
const closeTimeout = 2 * time.Second

// maxExpired bounds how many timed-out request ids are remembered for
// answering late results.
const maxExpired = 64

// Error types the platform itself reports to invokers.
const (
	// ErrorTypeResponseTooLarge is a response over MaxResponseSize.
	ErrorTypeResponseTooLarge = "Function.ResponseSizeTooLarge"
)

// Errors of Deliver.
var (
	// ErrClosed is returned by Deliver once the server is closed.
	ErrClosed = errors.New("rapi: closed")
)

// InitError is Deliver's error after the runtime reported an init failure
// on /runtime/init/error.
type InitError struct {
	// Type is the runtime's error type, e.g. "Runtime.ImportModuleError".
	Type string
	// Body is the error JSON the runtime posted.
	Body []byte
}

// Error implements error.
func (e *InitError) Error() string { return "rapi: runtime init failed: " + e.Type }

// Invocation is one event handed to the runtime.
type Invocation struct {
	// RequestID is the invocation id (a UUID).
	RequestID string
	// Payload is the event.
	Payload []byte
	// Deadline is sent as Lambda-Runtime-Deadline-Ms.
	Deadline time.Time
	// FunctionARN is the invoked ARN, with its qualifier if any.
	FunctionARN string
	// TraceID is the X-Ray trace header value.
	TraceID string
	// ClientContext and CognitoIdentity are JSON, sent only when set.
	ClientContext, CognitoIdentity string
}

// Result is the runtime's answer to one invocation.
type Result struct {
	// Payload is the response body, or the error JSON when ErrorType is set.
	Payload []byte
	// ContentType is the content type the runtime posted.
	ContentType string
	// ErrorType is "" for a response, else the function error's type.
	ErrorType string
}

// Options configure a Server.
type Options struct {
	// Logger receives protocol anomalies at Warn; discarded when nil.
	Logger *slog.Logger
}

// Server is the Runtime API of one execution environment. Build it with
// New, Start it, and Close it when the environment goes away.
type Server struct {
	logger *slog.Logger
	next   chan *pending
	http   *http.Server
	ln     net.Listener
	served chan struct{}

	ready     chan struct{} // closed by the first /next
	readyOnce sync.Once
	readyAt   time.Time // when ready was closed

	mu      sync.Mutex
	current *pending      // handed to the runtime, awaiting its result
	expired []string      // request ids whose invoker gave up, oldest first
	dead    chan struct{} // closed by Fail, /init/error or Close
	deadErr error         // why dead was closed
}

// pending is an invocation between Deliver and its result.
type pending struct {
	inv  Invocation
	done chan Result // buffered: the result, once
}

// New returns a Server; it serves nothing until Start.
func New(opts Options) *Server {
	s := &Server{
		logger: logging.OrDiscard(opts.Logger),
		next:   make(chan *pending),
		ready:  make(chan struct{}),
		dead:   make(chan struct{}),
		served: make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", s.handleNext)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", s.handleResponse)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", s.handleError)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", s.handleInitError)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return s
}

// Start listens on 127.0.0.1 on a free port and serves until Close.
func (s *Server) Start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("rapi: listen: %w", err)
	}
	s.ln = ln
	go func() {
		defer close(s.served)
		_ = s.http.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return nil
}

// Addr returns host:port, the value of AWS_LAMBDA_RUNTIME_API.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Ready is closed when the runtime first asks for an event, which is when
// its initialisation is done.
func (s *Server) Ready() <-chan struct{} { return s.ready }

// Dead is closed once the environment is dead: the runtime failed to
// initialise, Fail was called, or the server closed.
func (s *Server) Dead() <-chan struct{} { return s.dead }

// ReadyAt returns when the runtime first asked for an event; the zero
// time before that.
func (s *Server) ReadyAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readyAt
}

// Fail marks the environment dead (the runtime process exited, say): a
// waiting or later Deliver returns err. Only the first of Fail, an init
// error and Close counts.
func (s *Server) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failLocked(err)
}

func (s *Server) failLocked(err error) {
	select {
	case <-s.dead:
	default:
		s.deadErr = err
		close(s.dead)
	}
}

// Close stops serving; pending Delivers return ErrClosed (unless the
// server had already failed).
func (s *Server) Close() error {
	s.Fail(ErrClosed)
	if s.ln == nil {
		return nil
	}
	// Pending /next polls return once dead is closed, so a graceful
	// shutdown is quick; closeTimeout bounds a runtime that keeps a
	// request open.
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if err != nil {
		err = s.http.Close()
	}
	<-s.served
	if err != nil {
		return fmt.Errorf("rapi: close: %w", err)
	}
	return nil
}

// Deliver hands inv to the runtime and waits for its result. It returns
// context.Cause(ctx) when ctx ends first (the invocation is then
// remembered as expired, and a late result is refused), an *InitError when
// the runtime failed to initialise, or the error given to Fail.
func (s *Server) Deliver(ctx context.Context, inv Invocation) (Result, error) {
	p := &pending{inv: inv, done: make(chan Result, 1)}
	select {
	case s.next <- p:
	case <-ctx.Done():
		return Result{}, context.Cause(ctx)
	case <-s.dead:
		return Result{}, s.deathCause()
	}
	select {
	case res := <-p.done:
		return res, nil
	case <-ctx.Done():
		s.expire(p)
		return Result{}, context.Cause(ctx)
	case <-s.dead:
		return Result{}, s.deathCause()
	}
}

func (s *Server) deathCause() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deadErr
}

// expire forgets p as the current invocation and remembers its id.
func (s *Server) expire(p *pending) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == p {
		s.current = nil
	}
	s.expired = append(s.expired, p.inv.RequestID)
	if len(s.expired) > maxExpired {
		s.expired = s.expired[1:]
	}
}

// contentTypeJSON is the Content-Type of every JSON answer, one slice for
// all of them (net/http only reads a header's values).
var contentTypeJSON = []string{"application/json"}

// runtimeError is the JSON body of a Runtime API error answer.
type runtimeError struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

func writeRuntimeError(w http.ResponseWriter, status int, typ, msg string) {
	b, _ := json.Marshal(runtimeError{ErrorMessage: msg, ErrorType: typ}) // strings always encode
	w.Header()["Content-Type"] = contentTypeJSON
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeAccepted(w http.ResponseWriter) {
	w.Header()["Content-Type"] = contentTypeJSON
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

// handleNext blocks until an invocation is delivered, then sends it.
func (s *Server) handleNext(w http.ResponseWriter, r *http.Request) {
	s.readyOnce.Do(func() {
		s.mu.Lock()
		s.readyAt = time.Now()
		s.mu.Unlock()
		close(s.ready)
	})
	s.mu.Lock()
	busy := s.current != nil
	s.mu.Unlock()
	if busy {
		writeRuntimeError(w, http.StatusForbidden, "InvalidStateTransition", "State transition from Running to Ready failed: the current invocation has no result yet")
		return
	}
	var p *pending
	select {
	case p = <-s.next:
	case <-r.Context().Done():
		return
	case <-s.dead:
		writeRuntimeError(w, http.StatusInternalServerError, "Runtime.Unknown", "the execution environment is shutting down")
		return
	}
	s.mu.Lock()
	s.current = p
	s.mu.Unlock()
	renderInvocation(w, p.inv)
}

// renderInvocation writes the /next answer for inv. Its header values
// share one backing array (set in canonical form, without Header.Set's
// allocation per value): this runs once per invocation.
func renderInvocation(w http.ResponseWriter, inv Invocation) {
	vals := [...]string{contentTypeJSON[0], inv.RequestID, strconv.FormatInt(inv.Deadline.UnixMilli(), 10),
		inv.FunctionARN, strconv.Itoa(len(inv.Payload)), inv.TraceID, inv.ClientContext, inv.CognitoIdentity}
	h := w.Header()
	for i, key := range [...]string{"Content-Type", "Lambda-Runtime-Aws-Request-Id", "Lambda-Runtime-Deadline-Ms",
		"Lambda-Runtime-Invoked-Function-Arn", "Content-Length", "Lambda-Runtime-Trace-Id",
		"Lambda-Runtime-Client-Context", "Lambda-Runtime-Cognito-Identity"} {
		if vals[i] != "" {
			h[key] = vals[i : i+1 : i+1]
		}
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(inv.Payload)
}
