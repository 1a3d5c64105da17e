package pebble

import (
	"context"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// maxTrackedKeys bounds the keys a pending commit lists: a bigger commit
// counts as having written every key.
const maxTrackedKeys = 4096

// pendingCommit is a commit applied to the memtable whose WAL sync may
// still be under way, with the keys it wrote.
type pendingCommit struct {
	mark *commitMark
	keys []string // sorted
	all  bool     // more than maxTrackedKeys keys: counts as all
}

// durable reports whether the commit's sync has completed.
func (p *pendingCommit) durable() bool {
	select {
	case <-p.mark.synced:
		return true
	default:
		return false
	}
}

// wroteRange reports whether the commit wrote a key in [start, end); a nil
// end is unbounded.
func (p *pendingCommit) wroteRange(start, end []byte) bool {
	if p.all {
		return true
	}
	i := sort.Search(len(p.keys), func(i int) bool { return p.keys[i] >= string(start) })
	return i < len(p.keys) && (end == nil || p.keys[i] < string(end))
}

// wroteKey reports whether the commit wrote key.
func (p *pendingCommit) wroteKey(key []byte) bool {
	if p.all {
		return true
	}
	_, found := slices.BinarySearch(p.keys, string(key))
	return found
}

// pendingCommits is the list of commits not yet known to be durable, oldest
// first. Readers load it without locking; writers replace it.
type pendingCommits struct {
	mu   sync.Mutex // serializes add and remove
	list atomic.Pointer[[]*pendingCommit]
}

// load returns the commits pending now.
func (s *pendingCommits) load() []*pendingCommit {
	if l := s.list.Load(); l != nil {
		return *l
	}
	return nil
}

// add lists a commit about to be applied, with the keys it writes.
func (s *pendingCommits) add(mark *commitMark, keys []string) *pendingCommit {
	p := &pendingCommit{mark: mark, all: len(keys) > maxTrackedKeys}
	if !p.all {
		slices.Sort(keys)
		p.keys = keys
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := append(slices.Clone(s.load()), p)
	s.list.Store(&l)
	return p
}

// remove drops p, once durable (or never applied).
func (s *pendingCommits) remove(p *pendingCommit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := slices.DeleteFunc(slices.Clone(s.load()), func(q *pendingCommit) bool { return q == p })
	s.list.Store(&l)
}

// durabilityGuard makes a View's reads wait for the commits they saw: it
// holds the commits pending when the View's snapshot was taken (a superset
// of the undurable ones the snapshot includes), and before a read returns
// anything, waits for the newest of them that wrote a key the read covers.
// The WAL syncs in order, so that wait covers every older commit too, and
// those are dropped from the guard.
type durabilityGuard struct {
	pending []*pendingCommit
}

// awaitKey waits until no commit of the guard that wrote key can still be
// lost.
func (g *durabilityGuard) awaitKey(ctx context.Context, key []byte) error {
	if g.empty() {
		return nil
	}
	return g.await(ctx, func(p *pendingCommit) bool { return p.wroteKey(key) })
}

// awaitRange is awaitKey for the keys in [start, end) (nil end: unbounded).
func (g *durabilityGuard) awaitRange(ctx context.Context, start, end []byte) error {
	if g.empty() {
		return nil
	}
	return g.await(ctx, func(p *pendingCommit) bool { return p.wroteRange(start, end) })
}

// empty reports whether the guard has no commit to wait for (a nil guard,
// an Update's, never has).
func (g *durabilityGuard) empty() bool { return g == nil || len(g.pending) == 0 }

// await waits for the newest commit of the guard, not yet durable, for
// which wrote is true.
func (g *durabilityGuard) await(ctx context.Context, wrote func(*pendingCommit) bool) error {
	for i := len(g.pending) - 1; i >= 0; i-- {
		p := g.pending[i]
		if p.durable() || !wrote(p) {
			continue
		}
		if err := waitDurable(ctx, p.mark); err != nil {
			return err
		}
		g.pending = g.pending[i+1:]
		return nil
	}
	return nil
}
