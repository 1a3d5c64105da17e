package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"time"
)

// stubRuntime is a minimal Lambda Runtime API for one handler process, run
// inside the benchmark: it tells when the process first asks for an event,
// hands out events on demand and collects the responses. It times the
// handler without Fogbank: its start-up and its own cycle per event.
type stubRuntime struct {
	// Addr is its host:port, the process's AWS_LAMBDA_RUNTIME_API.
	Addr string

	srv       *http.Server
	polls     chan struct{} // a process asked for its next event
	events    chan struct{} // an event is wanted
	responses chan error    // the handler answered (nil) or failed
	seq       atomic.Int64
}

const runtimePrefix = "/2018-06-01/runtime"

// startStub listens on a loopback port and serves the Runtime API.
func startStub() (*stubRuntime, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("stub runtime: %w", err)
	}
	s := &stubRuntime{Addr: ln.Addr().String(), polls: make(chan struct{}, 1),
		events: make(chan struct{}), responses: make(chan error, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+runtimePrefix+"/invocation/next", s.next)
	mux.HandleFunc("POST "+runtimePrefix+"/invocation/{id}/response", s.answer(nil))
	mux.HandleFunc("POST "+runtimePrefix+"/invocation/{id}/error", s.answer(errors.New("stub runtime: the handler reported an error")))
	s.srv = &http.Server{Handler: mux}
	go func() { _ = s.srv.Serve(ln) }() // returns ErrServerClosed at close
	return s, nil
}

// close stops the server.
func (s *stubRuntime) close() { s.srv.Close() }

// next notes the poll and answers it with the next event, holding it until
// one is wanted or the process goes away.
func (s *stubRuntime) next(w http.ResponseWriter, r *http.Request) {
	select {
	case s.polls <- struct{}{}:
	default:
	}
	select {
	case <-s.events:
	case <-r.Context().Done():
		return
	}
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", strconv.FormatInt(s.seq.Add(1), 10))
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:stub")
	h.Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, "{}") // a failed write shows as a missing response
}

// answer records a response (err nil) or an error report.
func (s *stubRuntime) answer(err error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, copyErr := io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
		s.responses <- errors.Join(err, copyErr)
	}
}

// invoke hands the waiting process one event and waits for its answer.
func (s *stubRuntime) invoke(ctx context.Context) error {
	select {
	case s.events <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-s.responses:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// handlerProcess is the bootstrap binary running against the stub.
type handlerProcess struct{ cmd *exec.Cmd }

// spawn starts bin against the stub and returns how long it took from
// fork/exec until the process asked for its first event.
func (s *stubRuntime) spawn(ctx context.Context, bin string) (*handlerProcess, time.Duration, error) {
	select {
	case <-s.polls: // a poll left by an earlier process
	default:
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{"AWS_LAMBDA_RUNTIME_API=" + s.Addr, "PATH=" + os.Getenv("PATH")}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("stub runtime: start %s: %w", bin, err)
	}
	p := &handlerProcess{cmd: cmd}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	select {
	case <-s.polls:
		return p, time.Since(t0), nil
	case <-ctx.Done():
		p.kill()
		return nil, 0, fmt.Errorf("stub runtime: %s never asked for an event: %w", bin, ctx.Err())
	}
}

// kill ends the process and reaps it.
func (p *handlerProcess) kill() {
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait() // a killed process's exit status says nothing
}
