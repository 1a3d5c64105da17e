package storage

import (
	"context"
	"sync"
)

// Calls tracks an engine's in-flight View and Update calls, so that Close
// can refuse new calls and wait for the running ones. The zero value is ready
// to use; a Calls must not be copied after first use.
type Calls struct {
	mu      sync.Mutex // guards closed and running.Add
	closed  bool
	running sync.WaitGroup
}

// Enter registers a call, failing with ctx's error when ctx has ended and
// with ErrClosed after Close. Every successful Enter needs one Leave.
func (c *Calls) Enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	c.running.Add(1)
	return nil
}

// Leave ends a call registered by Enter.
func (c *Calls) Leave() { c.running.Done() }

// Close refuses later calls and waits for the registered ones to leave. It
// returns ErrClosed when already closed.
func (c *Calls) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.closed = true
	c.mu.Unlock()
	c.running.Wait()
	return nil
}
