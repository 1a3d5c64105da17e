package lease_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/fogbank/fogbank/internal/storage"
)

// errUnavailable is what a memEngine set to fail returns from Update.
var errUnavailable = errors.New("memEngine: unavailable")

// memEngine is a small in-memory storage.Engine for the Run tests, which run
// inside testing/synctest bubbles, where a disk engine's background work does
// not belong. Transactions run one at a time.
type memEngine struct {
	mu      sync.Mutex
	data    map[string][]byte
	failing atomic.Bool // when set, Update fails with errUnavailable
}

func newMemEngine() *memEngine { return &memEngine{data: map[string][]byte{}} }

func (e *memEngine) View(ctx context.Context, fn func(storage.ReadTx) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return fn(&memTx{data: e.data, writes: map[string][]byte{}, readOnly: true})
}

func (e *memEngine) Update(ctx context.Context, fn func(storage.Tx) error) error {
	if e.failing.Load() {
		return errUnavailable
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tx := &memTx{data: e.data, writes: map[string][]byte{}}
	if err := fn(tx); err != nil {
		return err
	}
	for k, v := range tx.writes {
		if v == nil {
			delete(e.data, k)
		} else {
			e.data[k] = v
		}
	}
	return nil
}

func (e *memEngine) Close() error { return nil }

// memTx is a memEngine transaction: writes (nil for a deletion) buffered
// over the data.
type memTx struct {
	data     map[string][]byte
	writes   map[string][]byte
	readOnly bool
}

func (t *memTx) lookup(key string) ([]byte, bool) {
	if v, ok := t.writes[key]; ok {
		return v, v != nil
	}
	v, ok := t.data[key]
	return v, ok
}

func (t *memTx) Get(key []byte) ([]byte, error) {
	v, ok := t.lookup(string(key))
	if !ok {
		return nil, storage.ErrNotFound
	}
	return bytes.Clone(v), nil
}

func (t *memTx) Scan(r storage.Range, fn func(key, value []byte) bool) error {
	var keys []string
	for k := range t.data {
		keys = append(keys, k)
	}
	for k := range t.writes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if r.Reverse {
		slices.Reverse(keys)
	}
	visited := 0
	for _, k := range keys {
		v, ok := t.lookup(k)
		inRange := k >= string(r.Start) && (r.End == nil || k < string(r.End))
		if !ok || !inRange {
			continue
		}
		if r.Limit > 0 && visited == r.Limit {
			return nil
		}
		visited++
		if !fn([]byte(k), v) {
			return nil
		}
	}
	return nil
}

func (t *memTx) Set(key, value []byte) error {
	if t.readOnly {
		return storage.ErrReadOnly
	}
	t.writes[string(key)] = append([]byte{}, value...)
	return nil
}

func (t *memTx) Delete(key []byte) error {
	if t.readOnly {
		return storage.ErrReadOnly
	}
	t.writes[string(key)] = nil
	return nil
}

var _ storage.Engine = (*memEngine)(nil)
