// Package storage defines the one seam every Fogbank service stores through: an
// ordered key-value engine with consistent snapshots, bounded range scans in
// both directions and serializable multi-key transactions.
//
// Engines live in sub-packages (pebble, and later postgres) and must pass the
// conformance suite in storagetest. Services see only [Engine]; nothing above
// this package may depend on a particular engine.
//
// Keys are byte strings ordered bytewise. Each service owns a key prefix (its
// keyspace); the keyenc sub-package builds order-preserving keys.
package storage

import (
	"context"
	"errors"
)

// Errors returned by engines.
var (
	// ErrNotFound is returned by Get when the key does not exist.
	ErrNotFound = errors.New("storage: not found")
	// ErrConflict is returned by Update when the transaction kept conflicting
	// with concurrent transactions and its retries were exhausted.
	ErrConflict = errors.New("storage: transaction conflict")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("storage: engine closed")
	// ErrReadOnly is returned by a write attempted inside View.
	ErrReadOnly = errors.New("storage: read-only transaction")
)

// Engine is an ordered key-value store with serializable transactions.
//
// An Engine is safe for concurrent use by many goroutines. The transaction
// handles passed to fn are not: each belongs to its fn call and must not be
// used after fn returns.
type Engine interface {
	// View runs fn against a consistent snapshot of the store.
	View(ctx context.Context, fn func(ReadTx) error) error
	// Update runs fn in a serializable read-write transaction and commits it
	// durably (synced to disk, or to the database) before returning nil.
	// If fn returns an error nothing is written and that error is returned.
	// fn may be called more than once when the engine retries a conflicting
	// transaction, so it must have no side effects outside the Tx.
	Update(ctx context.Context, fn func(Tx) error) error
	// Close releases the engine. Pending Updates finish first.
	Close() error
}

// Range selects keys for a scan: Start <= key < End, visited in ascending
// order, or descending when Reverse is set.
type Range struct {
	// Start is the inclusive lower bound; nil means the first key.
	Start []byte
	// End is the exclusive upper bound; nil means past the last key.
	End []byte
	// Reverse visits keys from End down to Start.
	Reverse bool
	// Limit caps the number of pairs visited; 0 means no cap. Engines use it
	// to size their reads (a remote engine fetches at most Limit rows).
	Limit int
}

// ReadTx reads from a transaction's view of the store.
type ReadTx interface {
	// Get returns a copy of the value stored at key, or ErrNotFound.
	Get(key []byte) ([]byte, error)
	// Scan calls fn for each pair in r, in order, until fn returns false or
	// the range (or its Limit) is exhausted. key and value are only valid
	// during the call; copy them to keep them.
	Scan(r Range, fn func(key, value []byte) bool) error
}

// Tx is a read-write transaction. Reads see the transaction's own writes.
type Tx interface {
	ReadTx
	// Set stores value at key, replacing any previous value.
	Set(key, value []byte) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(key []byte) error
}

// PrefixEnd returns the smallest key greater than every key that starts with
// prefix, for use as a Range End; nil when there is none (all 0xff bytes).
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
