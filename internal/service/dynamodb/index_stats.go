package dynamodb

import (
	"fmt"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage"
)

// scanIndexStats counts the entries and projected bytes of each of t's
// maintained indexes.
func scanIndexStats(r storage.ReadTx, t *table) (map[string]tableStats, error) {
	out := make(map[string]tableStats, len(t.indexes))
	for _, ix := range t.indexes {
		if !ix.maintained() {
			continue
		}
		var st tableStats
		var decodeErr error
		err := r.Scan(storage.Range{Start: ix.prefix, End: storage.PrefixEnd(ix.prefix)}, func(_, v []byte) bool {
			var it attr.Item
			if decodeErr = it.UnmarshalJSON(v); decodeErr != nil {
				return false
			}
			st.count++
			st.size += int64(attr.ItemSize(it))
			return true
		})
		if err == nil {
			err = decodeErr
		}
		if err != nil {
			return nil, fmt.Errorf("dynamodb: count entries of index %q: %w", ix.name, err)
		}
		out[ix.name] = st
	}
	return out, nil
}

// applyIndexStats sets the ItemCount and IndexSizeBytes of d's indexes.
func applyIndexStats(d *TableDescription, st tableStats) {
	for i := range d.GlobalSecondaryIndexes {
		g := &d.GlobalSecondaryIndexes[i]
		g.ItemCount, g.IndexSizeBytes = st.indexes[g.IndexName].count, st.indexes[g.IndexName].size
	}
	for i := range d.LocalSecondaryIndexes {
		l := &d.LocalSecondaryIndexes[i]
		l.ItemCount, l.IndexSizeBytes = st.indexes[l.IndexName].count, st.indexes[l.IndexName].size
	}
}
