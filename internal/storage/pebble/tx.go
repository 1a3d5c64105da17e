package pebble

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cockroachdb/pebble/v2"

	"github.com/fogbank/fogbank/internal/storage"
)

// ctxCheckInterval is how many pairs a Scan visits between checks of its
// transaction's context.
const ctxCheckInterval = 256

// errTxDone is returned when a transaction handle is used after its function
// returned.
var errTxDone = errors.New("storage/pebble: transaction used after its function returned")

// pebbleReader is what a transaction reads from: a Snapshot (View) or an
// indexed Batch (Update).
type pebbleReader interface {
	Get(key []byte) ([]byte, io.Closer, error)
	NewIter(o *pebble.IterOptions) (*pebble.Iterator, error)
}

// reader implements storage.ReadTx over a pebbleReader.
type reader struct {
	r    pebbleReader
	ctx  context.Context // the View or Update call's context
	done bool            // set when the transaction's function has returned
	// guard, in a View, delays reads of keys whose commit is not yet
	// durable; nil in an Update.
	guard *durabilityGuard
}

// finish marks the transaction as over; later use fails with errTxDone.
func (t *reader) finish() { t.done = true }

// check returns an error if the transaction is over or its context ended.
func (t *reader) check() error {
	if t.done {
		return errTxDone
	}
	return t.ctx.Err()
}

// Get returns a copy of the value at key, or storage.ErrNotFound.
func (t *reader) Get(key []byte) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	if err := t.guard.awaitKey(t.ctx, key); err != nil {
		return nil, err
	}
	v, closer, err := t.r.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, storage.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("storage/pebble: get: %w", err)
	}
	value := make([]byte, len(v))
	copy(value, v)
	if err := closer.Close(); err != nil {
		return nil, fmt.Errorf("storage/pebble: get: %w", err)
	}
	return value, nil
}

// Scan calls fn for each pair in r, in order, until fn returns false or the
// range or its Limit is exhausted.
func (t *reader) Scan(r storage.Range, fn func(key, value []byte) bool) error {
	if err := t.check(); err != nil {
		return err
	}
	if r.Limit < 0 {
		return fmt.Errorf("storage/pebble: scan: negative limit %d", r.Limit)
	}
	if r.End != nil && bytes.Compare(r.Start, r.End) >= 0 {
		return nil // empty range; Pebble requires lower < upper
	}
	if err := t.guard.awaitRange(t.ctx, r.Start, r.End); err != nil {
		return err
	}
	lower := r.Start
	if len(lower) == 0 {
		lower = nil // the same bound, and Pebble's invariant checks reject an empty one
	}
	it, err := t.r.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: r.End})
	if err != nil {
		return fmt.Errorf("storage/pebble: scan: %w", err)
	}
	err = t.iterate(it, r, fn)
	if closeErr := it.Close(); err == nil && closeErr != nil {
		err = fmt.Errorf("storage/pebble: scan: %w", closeErr)
	}
	return err
}

// iterate walks it over r, calling fn for each pair.
func (t *reader) iterate(it *pebble.Iterator, r storage.Range, fn func(key, value []byte) bool) error {
	step, valid := it.Next, it.First()
	if r.Reverse {
		step, valid = it.Prev, it.Last()
	}
	for n := 0; valid && (r.Limit == 0 || n < r.Limit); n++ {
		if n > 0 && n%ctxCheckInterval == 0 {
			if err := t.ctx.Err(); err != nil {
				return err
			}
		}
		value, err := it.ValueAndErr()
		if err != nil {
			return fmt.Errorf("storage/pebble: scan: %w", err)
		}
		if !fn(it.Key(), value) {
			return nil
		}
		valid = step()
	}
	if err := it.Error(); err != nil {
		return fmt.Errorf("storage/pebble: scan: %w", err)
	}
	return nil
}

// viewTx is the transaction handed to View's function. It satisfies
// storage.Tx so that a write attempted through a type assertion fails with
// storage.ErrReadOnly rather than being impossible to express.
type viewTx struct {
	reader
}

// Set fails with storage.ErrReadOnly.
func (t *viewTx) Set(key, value []byte) error { return storage.ErrReadOnly }

// Delete fails with storage.ErrReadOnly.
func (t *viewTx) Delete(key []byte) error { return storage.ErrReadOnly }

// updateTx is the transaction handed to Update's function: reads see the
// store plus the batch's own writes.
type updateTx struct {
	reader
	batch *pebble.Batch
	keys  []string // written, for the engine's pending commits
}

// Set stores value at key in the transaction's batch.
func (t *updateTx) Set(key, value []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := t.batch.Set(key, value, nil); err != nil {
		return fmt.Errorf("storage/pebble: set: %w", err)
	}
	t.wrote(key)
	return nil
}

// Delete removes key in the transaction's batch.
func (t *updateTx) Delete(key []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if err := t.batch.Delete(key, nil); err != nil {
		return fmt.Errorf("storage/pebble: delete: %w", err)
	}
	t.wrote(key)
	return nil
}

// wrote notes a key written, up to one past maxTrackedKeys (beyond which
// the commit counts as writing every key).
func (t *updateTx) wrote(key []byte) {
	if len(t.keys) <= maxTrackedKeys {
		t.keys = append(t.keys, string(key))
	}
}

var (
	_ storage.Tx = (*viewTx)(nil)
	_ storage.Tx = (*updateTx)(nil)
)
