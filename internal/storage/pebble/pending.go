package pebble

import (
	"bytes"
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

// wrote reports whether the commit wrote a key in [start, end); a nil end
// is unbounded.
func (p *pendingCommit) wrote(start, end []byte) bool {
	if p.all {
		return true
	}
	i := sort.Search(len(p.keys), func(i int) bool { return p.keys[i] >= string(start) })
	return i < len(p.keys) && (end == nil || p.keys[i] < string(end))
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

// await waits until no commit of the guard that wrote a key in [start,
// end) (nil end: unbounded) can still be lost.
func (g *durabilityGuard) await(ctx context.Context, start, end []byte) error {
	for i := len(g.pending) - 1; i >= 0; i-- {
		p := g.pending[i]
		if p.durable() || !p.wrote(start, end) {
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

// keyEnd returns the smallest key after key, the end of the range [key, key].
func keyEnd(key []byte) []byte {
	return append(bytes.Clone(key), 0)
}
