package dynamodb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/fogbank/fogbank/internal/storage"
)

// The keyspaces of this package, all under "ddb/":
//
//	ddb/t/<table name>                  table metadata (JSON [tableMeta])
//	ddb/i/<table id>/t<hash><pk>[<sk>]  one item (JSON attr.Item); pk and sk are
//	                                    keyenc-encoded, hash is 4 bytes of FNV-1a of pk
//	ddb/i/<table id>/x<index>...        secondary index entries (see index.go)
//	ddb/rt/, ddb/rx/                    TransactWriteItems ClientRequestTokens and their
//	                                    expiry index (see transact_token.go)
//
// Items live under the table's random id rather than its name, so a table
// recreated under the same name never sees the old table's items.
const (
	tablesPrefix = "ddb/t/"
	itemsPrefix  = "ddb/i/"
)

// tableKey returns the metadata key of the named table.
func tableKey(name string) []byte { return append([]byte(tablesPrefix), name...) }

// itemPrefix returns the prefix under which the table with this id keeps its items.
func itemPrefix(tableID string) []byte {
	return append(append([]byte(itemsPrefix), tableID...), '/')
}

// tableMeta is the stored form of a table: its description (without the
// computed ItemCount and TableSizeBytes) and its tags.
type tableMeta struct {
	Description TableDescription `json:"Description"`
	Tags        []Tag            `json:"Tags,omitempty"`
	TTL         *ttlSetting      `json:"TTL,omitempty"` // nil while TTL is disabled
}

// metaCache remembers the decoded form of each table's stored metadata. An
// entry is only used when the bytes just read from storage equal the bytes it
// was decoded from, so it can never serve stale metadata.
type metaCache struct {
	mu      sync.Mutex
	entries map[string]cachedMeta
}

type cachedMeta struct {
	raw []byte
	t   *table
}

// errNoTable is loadTable's answer for a table that does not exist.
var errNoTable = errors.New("dynamodb: no such table")

// loadTable reads the named table's metadata inside r; errNoTable when it
// does not exist. The returned table is shared and must not be modified.
func (c *metaCache) loadTable(r storage.ReadTx, name string) (*table, error) {
	raw, err := r.Get(tableKey(name))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errNoTable
	}
	if err != nil {
		return nil, fmt.Errorf("dynamodb: load table %q: %w", name, err)
	}
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if ok && bytes.Equal(e.raw, raw) {
		return e.t, nil
	}
	var m tableMeta
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("dynamodb: decode table %q: %w", name, err)
	}
	t := newTable(m)
	c.mu.Lock()
	if c.entries == nil {
		c.entries = make(map[string]cachedMeta)
	}
	c.entries[name] = cachedMeta{raw: raw, t: t}
	c.mu.Unlock()
	return t, nil
}

// storeTable writes t's metadata inside tx.
func storeTable(tx storage.Tx, m tableMeta) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("dynamodb: encode table %q: %w", m.Description.TableName, err)
	}
	if err := tx.Set(tableKey(m.Description.TableName), raw); err != nil {
		return fmt.Errorf("dynamodb: store table %q: %w", m.Description.TableName, err)
	}
	return nil
}
