package postgres

import (
	"bytes"
	"context"
	"net"
	"sync/atomic"
)

// Redact exposes redact to the tests.
var Redact = redact

// Wire counts the round trips of an engine's connections and can hold back
// the ROLLBACKs they send.
type Wire struct {
	// Flights counts request flights: writes to the server that follow a
	// read from it (or open the connection). A pipelined batch is one.
	Flights atomic.Int64
	// HoldRollback, while it holds a channel, blocks each ROLLBACK write
	// until the channel is closed.
	HoldRollback atomic.Pointer[chan struct{}]
}

// OpenWired is Open with every connection dialed through w.
func OpenWired(ctx context.Context, connString string, opts Options, w *Wire) (*Engine, error) {
	opts.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &wiredConn{Conn: conn, wire: w}, nil
	}
	return Open(ctx, connString, opts)
}

// WaitBackground waits for the engine's background rollbacks.
func (e *Engine) WaitBackground() { e.background.Wait() }

// wiredConn is a connection that reports to a Wire.
type wiredConn struct {
	net.Conn
	wire    *Wire
	writing atomic.Bool // the last operation was a write
}

// Write counts a new flight when the last operation was not a write.
func (c *wiredConn) Write(p []byte) (int, error) {
	if hold := c.wire.HoldRollback.Load(); hold != nil && bytes.Contains(p, []byte("ROLLBACK")) {
		<-*hold
	}
	if !c.writing.Swap(true) {
		c.wire.Flights.Add(1)
	}
	return c.Conn.Write(p)
}

// Read marks the end of a flight.
func (c *wiredConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.writing.Store(false)
	}
	return n, err
}
