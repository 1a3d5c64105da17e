package postgres

import (
	"context"
	"sync/atomic"
	"time"
)

// Priority for transactions that keep conflicting.
const (
	// priorityAfter is how many attempts of an Update conflict before it
	// asks for the node's priority.
	priorityAfter = 3
	// maxYield bounds how long an Update waits for the prioritized one. The
	// bound keeps a nested Update (one run from inside another's function)
	// from waiting for its own caller forever.
	maxYield = 50 * time.Millisecond
)

// priority lets one Update at a time that keeps conflicting run its next
// attempt without competition from the node's other Updates, which yield to
// it for a while before starting an attempt. Under optimistic concurrency
// control, a transaction on a hot key can otherwise lose to fresh
// transactions until its attempts run out. Nodes do not coordinate; each
// lets at most one prioritized transaction compete with the other nodes'.
type priority struct {
	// held is closed when the prioritized attempt ends; nil when none runs.
	held atomic.Pointer[chan struct{}]
}

// take gives the caller the priority if no other Update holds it, with the
// function that hands it back.
func (p *priority) take() (release func(), ok bool) {
	done := make(chan struct{})
	if !p.held.CompareAndSwap(nil, &done) {
		return nil, false
	}
	return func() {
		p.held.Store(nil)
		close(done)
	}, true
}

// yield waits until the prioritized attempt, if one runs, ends, for at most
// maxYield and no longer than ctx lasts.
func (p *priority) yield(ctx context.Context) {
	done := p.held.Load()
	if done == nil {
		return
	}
	timer := time.NewTimer(maxYield)
	defer timer.Stop()
	select {
	case <-*done:
	case <-timer.C:
	case <-ctx.Done():
	}
}
