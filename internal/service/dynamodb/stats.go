package dynamodb

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage"
)

// statsMaxAge bounds how long DescribeTable trusts a computed ItemCount and
// TableSizeBytes when this process has not written to the table (another
// node sharing the storage engine may have).
const statsMaxAge = 5 * time.Second

// tableStats is what DescribeTable reports about a table's contents.
type tableStats struct {
	count   int64
	size    int64
	indexes map[string]tableStats // per secondary index, by name
}

// statsCache remembers each table's computed stats. Local writes invalidate
// an entry by bumping its generation; a computation that raced with a write
// is then not cached.
type statsCache struct {
	mu      sync.Mutex
	entries map[string]*statsEntry
}

type statsEntry struct {
	gen   uint64
	valid bool
	at    time.Time
	stats tableStats
}

// entry returns the entry of table id, creating it. c.mu must be held.
func (c *statsCache) entry(id string) *statsEntry {
	if c.entries == nil {
		c.entries = make(map[string]*statsEntry)
	}
	e := c.entries[id]
	if e == nil {
		e = &statsEntry{}
		c.entries[id] = e
	}
	return e
}

// invalidate forgets table id's stats after a local write.
func (c *statsCache) invalidate(id string) {
	c.mu.Lock()
	e := c.entry(id)
	e.gen++
	e.valid = false
	c.mu.Unlock()
}

// lookup returns table id's cached stats when fresh, else the generation a
// new computation must present to store.
func (c *statsCache) lookup(id string, now time.Time) (tableStats, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(id)
	if e.valid && now.Sub(e.at) < statsMaxAge {
		return e.stats, e.gen, true
	}
	return tableStats{}, e.gen, false
}

// store caches st for table id unless a write happened since generation gen.
func (c *statsCache) store(id string, gen uint64, now time.Time, st tableStats) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(id)
	if e.gen == gen {
		e.valid, e.at, e.stats = true, now, st
	}
}

// forget drops table id's entry (the table was deleted).
func (c *statsCache) forget(id string) {
	c.mu.Lock()
	delete(c.entries, id)
	c.mu.Unlock()
}

// tableStats returns t's item count and size, from the cache when fresh,
// else by scanning its items.
func (s *Service) tableStats(ctx context.Context, t *table) (tableStats, error) {
	id := t.meta.Description.TableID
	now := s.opts.Now()
	st, gen, ok := s.stats.lookup(id, now)
	if ok {
		return st, nil
	}
	err := s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		st = tableStats{}
		var decodeErr error
		err := r.Scan(storage.Range{Start: t.prefix, End: storage.PrefixEnd(t.prefix)}, func(_, v []byte) bool {
			var it attr.Item
			if decodeErr = json.Unmarshal(v, &it); decodeErr != nil {
				return false
			}
			st.count++
			st.size += int64(attr.ItemSize(it))
			return true
		})
		if decodeErr != nil {
			return fmt.Errorf("dynamodb: decode item of %q: %w", t.name(), decodeErr)
		}
		if err != nil {
			return err
		}
		st.indexes, err = scanIndexStats(r, t)
		return err
	})
	if err != nil {
		return tableStats{}, fmt.Errorf("dynamodb: count items of %q: %w", t.name(), err)
	}
	s.stats.store(id, gen, now, st)
	return st, nil
}
