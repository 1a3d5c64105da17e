package postgres

import (
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/fogbank/fogbank/internal/storage"
)

// errTxDone is returned when a transaction handle is used after its function
// returned.
var errTxDone = errors.New("storage/postgres: transaction used after its function returned")

// errRolledBack is returned when the database answers COMMIT by rolling the
// transaction back.
var errRolledBack = errors.New("database rolled the transaction back")

// reader implements storage.ReadTx over a transaction's connection.
type reader struct {
	conn *txConn
	done bool // set when the transaction's function has returned
	// prefetched holds the values Prefetch read, by key; nil for a key
	// that has no value.
	prefetched map[string][]byte
}

// finish marks the transaction as over; later use fails with errTxDone.
func (t *reader) finish() { t.done = true }

// check returns an error if the transaction is over or its context ended.
func (t *reader) check() error {
	if t.done {
		return errTxDone
	}
	return t.conn.ctx.Err()
}

// Get returns a copy of the value stored at key, or storage.ErrNotFound.
func (t *reader) Get(key []byte) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return t.get(key)
}

// Prefetch reads keys in one round trip and remembers what it read, so that
// the transaction's later Gets of those keys cost no round trip (an Update's
// own writes still take precedence). It lets a caller that knows, or
// guesses, which keys it will read next pay one round trip for all of them;
// the transaction reads the same snapshot either way.
func (t *reader) Prefetch(keys ...[]byte) error {
	if err := t.check(); err != nil {
		return err
	}
	if t.prefetched == nil {
		t.prefetched = make(map[string][]byte, len(keys))
	}
	for _, k := range keys {
		t.prefetched[string(k)] = nil
	}
	return t.conn.exchange("prefetch", func(b *pgx.Batch) {
		b.Queue(t.conn.e.sql.getMany, nonNilAll(keys))
	}, func(results pgx.BatchResults) error {
		rows, err := results.Query()
		if err != nil {
			return err
		}
		var key, value []byte
		_, err = pgx.ForEachRow(rows, []any{&key, &value}, func() error {
			t.prefetched[string(key)] = nonNil(append([]byte(nil), value...))
			return nil
		})
		return err
	})
}

// get reads key from what Prefetch read, or else from the database.
func (t *reader) get(key []byte) ([]byte, error) {
	if value, ok := t.prefetched[string(key)]; ok {
		if value == nil {
			return nil, storage.ErrNotFound
		}
		return append([]byte{}, value...), nil
	}
	var value []byte
	found := false
	err := t.conn.exchange("get", func(b *pgx.Batch) {
		b.Queue(t.conn.e.sql.get, nonNil(key))
	}, func(results pgx.BatchResults) error {
		err := results.QueryRow().Scan(&value)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, storage.ErrNotFound
	}
	return nonNil(value), nil
}

// Scan calls fn for each pair in r, in order, until fn returns false or the
// range or its Limit is exhausted.
func (t *reader) Scan(r storage.Range, fn func(key, value []byte) bool) error {
	if err := t.check(); err != nil {
		return err
	}
	if r.Limit < 0 {
		return fmt.Errorf("storage/postgres: scan: negative limit %d", r.Limit)
	}
	return mergeScan(r, newPager(t.conn, r), nil, fn)
}

// viewTx is the transaction handed to View's function. It satisfies
// storage.Tx so that a write attempted through a type assertion fails with
// storage.ErrReadOnly rather than being impossible to express.
type viewTx struct {
	reader
}

// Set fails: a View cannot write.
func (t *viewTx) Set(key, value []byte) error { return storage.ErrReadOnly }

// Delete fails: a View cannot write.
func (t *viewTx) Delete(key []byte) error { return storage.ErrReadOnly }

// write is a buffered write of an Update: a value to store, or a deletion.
type write struct {
	value   []byte
	deleted bool
}

// updateTx is the transaction handed to Update's function. Its writes are
// buffered until commit; its reads see them.
type updateTx struct {
	reader
	writes map[string]write
}

// Get returns a copy of the value at key, the transaction's own buffered
// write of key if it has one, or storage.ErrNotFound.
func (t *updateTx) Get(key []byte) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	if w, ok := t.writes[string(key)]; ok {
		if w.deleted {
			return nil, storage.ErrNotFound
		}
		return append([]byte{}, w.value...), nil
	}
	return t.get(key)
}

// Scan calls fn for each pair in r, the transaction's buffered writes merged
// over the database's rows, until fn returns false or the range or its Limit
// is exhausted.
func (t *updateTx) Scan(r storage.Range, fn func(key, value []byte) bool) error {
	if err := t.check(); err != nil {
		return err
	}
	if r.Limit < 0 {
		return fmt.Errorf("storage/postgres: scan: negative limit %d", r.Limit)
	}
	return mergeScan(r, newPager(t.conn, r), t.bufferedIn(r), fn)
}

// Set buffers a write of value at key.
func (t *updateTx) Set(key, value []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	t.writes[string(key)] = write{value: append([]byte{}, value...)}
	return nil
}

// Delete buffers a deletion of key.
func (t *updateTx) Delete(key []byte) error {
	if err := t.check(); err != nil {
		return err
	}
	t.writes[string(key)] = write{deleted: true}
	return nil
}

// bufferedIn returns the buffered writes whose keys fall in r, in r's order.
func (t *updateTx) bufferedIn(r storage.Range) []bufferedPair {
	var pairs []bufferedPair
	for k, w := range t.writes {
		if inRange(r, []byte(k)) {
			pairs = append(pairs, bufferedPair{key: []byte(k), write: w})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		return before(r.Reverse, pairs[i].key, pairs[j].key)
	})
	return pairs
}

// commit writes the buffered writes and commits the transaction, in one
// round trip. A transaction that neither read nor wrote commits without one.
func (t *updateTx) commit() error {
	if t.conn.conn == nil && len(t.writes) == 0 {
		return nil
	}
	keys := make([]string, 0, len(t.writes))
	for k := range t.writes {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a fixed lock order makes deadlocks rarer
	var setKeys, setValues, deleteKeys [][]byte
	for _, k := range keys {
		if w := t.writes[k]; w.deleted {
			deleteKeys = append(deleteKeys, []byte(k))
		} else {
			setKeys, setValues = append(setKeys, []byte(k)), append(setValues, nonNil(w.value))
		}
	}
	sql := t.conn.e.sql
	writes := 0
	return t.conn.exchange("commit", func(b *pgx.Batch) {
		if len(setKeys) > 0 {
			b.Queue(sql.upsert, setKeys, setValues)
			writes++
		}
		if len(deleteKeys) > 0 {
			b.Queue(sql.delete, deleteKeys)
			writes++
		}
		b.Queue("COMMIT")
	}, func(results pgx.BatchResults) error {
		for range writes {
			if _, err := results.Exec(); err != nil {
				return err
			}
		}
		tag, err := results.Exec()
		if err == nil && tag.String() != "COMMIT" {
			err = errRolledBack
		}
		return err
	})
}

// nonNilAll returns keys with nil keys replaced by empty ones.
func nonNilAll(keys [][]byte) [][]byte {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = nonNil(k)
	}
	return out
}

// nonNil returns b, or an empty slice for nil: pgx sends a nil slice as
// NULL, and callers expect an empty value rather than nil.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
