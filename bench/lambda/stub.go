package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/fogbank/fogbank/bench/internal/runtimeapi"
)

// stubRuntime is a bare Runtime API for one handler process, run inside
// the benchmark: it tells when the process first asks for an event, hands
// out events on demand and collects the responses. It times the handler
// without Fogbank: its start-up and its own cycle per event.
type stubRuntime struct{ *runtimeapi.Server }

// startStub listens on a loopback port and serves the Runtime API.
func startStub() (*stubRuntime, error) {
	s, err := runtimeapi.Start()
	if err != nil {
		return nil, err
	}
	return &stubRuntime{s}, nil
}

// stubEvent is the event every invocation gets.
var stubEvent = []byte("{}")

// invoke hands the waiting process one event and waits for its answer.
func (s *stubRuntime) invoke(ctx context.Context) error {
	_, err := s.Invoke(ctx, stubEvent)
	return err
}

// handlerProcess is the bootstrap binary running against the stub.
type handlerProcess struct{ cmd *exec.Cmd }

// spawn starts bin against the stub and returns how long it took from
// fork/exec until the process asked for its first event.
func (s *stubRuntime) spawn(ctx context.Context, bin string) (*handlerProcess, time.Duration, error) {
	select {
	case <-s.Polls(): // a poll left by an earlier process
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
	case <-s.Polls():
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
