package dynamodb

import "github.com/fogbank/fogbank/internal/storage"

// prefetcher is implemented by the transactions of engines that can read
// several keys in one round trip (the PostgreSQL engine); after a Prefetch,
// Gets of those keys cost no round trip.
type prefetcher interface {
	Prefetch(keys ...[]byte) error
}

// prefetchItem reads, in one round trip where the engine allows, the named
// table's metadata and the item that keyOf finds in the table as this
// process last saw it, so that a single-item operation costs one round trip
// instead of two. It is only a hint: loadTable and readItem still read and
// check the metadata of this transaction's snapshot, and a table that
// changed meanwhile has its item read again. A failed Prefetch fails the
// transaction's next read as well, so its error is not returned.
func (c *metaCache) prefetchItem(r storage.ReadTx, name string, keyOf func(*table) ([]byte, error)) {
	p, ok := r.(prefetcher)
	if !ok {
		return
	}
	c.mu.Lock()
	e, cached := c.entries[name]
	c.mu.Unlock()
	keys := [][]byte{tableKey(name)}
	if cached {
		if key, err := keyOf(e.t); err == nil {
			keys = append(keys, key)
		}
	}
	_ = p.Prefetch(keys...)
}
