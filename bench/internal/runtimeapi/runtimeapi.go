// Package runtimeapi is a bare Lambda Runtime API for the benchmarks'
// baselines: the protocol every Lambda runtime speaks (a long-polled GET of
// the next event, a POST of its response or error), served to one handler
// process, with events handed out on demand and the answers collected. No
// routing, logs, limits or durability: the least anything in front of a
// function does.
package runtimeapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Server is the Runtime API of one handler process.
type Server struct {
	// Addr is its host:port, the process's AWS_LAMBDA_RUNTIME_API.
	Addr string

	srv     *http.Server
	polls   chan struct{} // the process asked for its next event
	events  chan []byte   // an event to hand out
	answers chan answer   // the handler's answer to the event
	seq     atomic.Int64
}

// answer is a handler's response, or the error it reported.
type answer struct {
	payload []byte
	err     error
}

// errHandler is the answer of a handler that reported an error.
var errHandler = errors.New("runtimeapi: the handler reported an error")

const prefix = "/2018-06-01/runtime/invocation"

// Start listens on a loopback port and serves the Runtime API.
func Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtimeapi: %w", err)
	}
	s := &Server{Addr: ln.Addr().String(), polls: make(chan struct{}, 1), events: make(chan []byte),
		answers: make(chan answer, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"/next", s.next)
	mux.HandleFunc("POST "+prefix+"/{id}/response", s.answer(nil))
	mux.HandleFunc("POST "+prefix+"/{id}/error", s.answer(errHandler))
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }() // returns ErrServerClosed at Close
	return s, nil
}

// Close stops the server.
func (s *Server) Close() { _ = s.srv.Close() }

// Polls receives when the process asks for an event (at most one is kept).
func (s *Server) Polls() <-chan struct{} { return s.polls }

// next notes the poll and answers it with the next event, holding it until
// one is handed out or the process goes away.
func (s *Server) next(w http.ResponseWriter, r *http.Request) {
	select {
	case s.polls <- struct{}{}:
	default:
	}
	var event []byte
	select {
	case event = <-s.events:
	case <-r.Context().Done():
		return
	}
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", strconv.FormatInt(s.seq.Add(1), 10))
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:bench")
	h.Set("Content-Type", "application/json")
	_, _ = w.Write(event) // a failed write shows as a missing answer
}

// answer records a response (reported nil) or an error report.
func (s *Server) answer(reported error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		payload, err := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		s.answers <- answer{payload, errors.Join(reported, err)}
	}
}

// Invoke hands the polling process event and returns its response.
func (s *Server) Invoke(ctx context.Context, event []byte) ([]byte, error) {
	select {
	case s.events <- event:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case a := <-s.answers:
		return a.payload, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
