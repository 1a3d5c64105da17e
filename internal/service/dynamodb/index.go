package dynamodb

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage"
	"github.com/fogbank/fogbank/internal/storage/keyenc"
)

// Under a table's root (itemPrefix), items and index entries are kept apart
// by one tag byte:
//
//	<root>t<hash(pk)><pk>[<sk>]                             an item
//	<root>x<index name><hash(ipk)><ipk>[<isk>]<pk>[<sk>]    an index entry
//
// The hash is 4 bytes (FNV-1a of the encoded partition key) and every key
// value is keyenc-encoded. Index entries with equal index keys are ordered
// by the table key, as DynamoDB orders them; their value is the projected
// item as JSON.
const (
	itemsTag = 't'
	indexTag = 'x'
)

// Index statuses.
const (
	statusActive   = "ACTIVE"
	statusCreating = "CREATING"
	statusDeleting = "DELETING"
)

// index is the decoded form of one secondary index.
type index struct {
	name       string
	global     bool
	hash, rng  keyAttr // rng.name is empty for a hash-only GSI
	projection string  // ALL, KEYS_ONLY or INCLUDE
	include    []string
	status     string
	prefix     []byte
}

// newIndexes derives the indexes of d; types maps attribute names to kinds.
func newIndexes(d *TableDescription, types map[string]attr.Kind) []*index {
	var out []*index
	root := itemPrefix(d.TableID)
	add := func(name string, global bool, ks []KeySchemaElement, p *Projection, status string) {
		ix := &index{name: name, global: global, status: status, prefix: indexPrefix(root, name), projection: "ALL"}
		if p != nil {
			ix.projection, ix.include = p.ProjectionType, p.NonKeyAttributes
		}
		for _, k := range ks {
			ka := keyAttr{name: k.AttributeName, kind: types[k.AttributeName]}
			if k.KeyType == "HASH" {
				ix.hash = ka
			} else {
				ix.rng = ka
			}
		}
		out = append(out, ix)
	}
	for _, g := range d.GlobalSecondaryIndexes {
		add(g.IndexName, true, g.KeySchema, g.Projection, g.IndexStatus)
	}
	for _, l := range d.LocalSecondaryIndexes {
		add(l.IndexName, false, l.KeySchema, l.Projection, statusActive)
	}
	return out
}

// indexPrefix returns the prefix of the named index's entries under root.
func indexPrefix(root []byte, name string) []byte {
	return keyenc.AppendString(append(slices.Clone(root), indexTag), name)
}

// keyAttrs returns the index's key attributes, hash first.
func (ix *index) keyAttrs() []keyAttr {
	if ix.rng.name == "" {
		return []keyAttr{ix.hash}
	}
	return []keyAttr{ix.hash, ix.rng}
}

// maintained reports whether writes keep the index's entries.
func (ix *index) maintained() bool { return ix.status != statusDeleting }

// index returns the named index, or nil.
func (t *table) index(name string) *index {
	for _, ix := range t.indexes {
		if ix.name == name {
			return ix
		}
	}
	return nil
}

// startKeyAttrs returns the attributes of a LastEvaluatedKey for reads of ix
// (nil for the table): the index key, then the table key, without repeats.
func (t *table) startKeyAttrs(ix *index) []keyAttr {
	if ix == nil {
		return t.keyAttrs()
	}
	out := slices.Clone(ix.keyAttrs())
	for _, ka := range t.keyAttrs() {
		if !slices.ContainsFunc(out, func(o keyAttr) bool { return o.name == ka.name }) {
			out = append(out, ka)
		}
	}
	return out
}

// indexable reports whether item has every key attribute of ix with the
// declared type and a non-empty value (indexes are sparse).
func (ix *index) indexable(item attr.Item) bool {
	for _, ka := range ix.keyAttrs() {
		v, ok := item[ka.name]
		if !ok || v.Kind != ka.kind || isEmptyScalar(v) {
			return false
		}
	}
	return true
}

// entryKey returns the storage key of item's entry in ix; false when the
// item is not in the index.
func (t *table) entryKey(ix *index, item attr.Item) ([]byte, bool, error) {
	if item == nil || !ix.indexable(item) {
		return nil, false, nil
	}
	k, err := appendPartition(slices.Clone(ix.prefix), item[ix.hash.name])
	if err != nil {
		return nil, false, err
	}
	if ix.rng.name != "" {
		if k, err = appendKeyValue(k, item[ix.rng.name]); err != nil {
			return nil, false, err
		}
	}
	for _, ka := range t.keyAttrs() {
		if k, err = appendKeyValue(k, item[ka.name]); err != nil {
			return nil, false, err
		}
	}
	return k, true, nil
}

// project returns the attributes of item that ix stores.
func (t *table) project(ix *index, item attr.Item) attr.Item {
	if ix.projection == "ALL" {
		return item
	}
	out := attr.Item{}
	keep := func(name string) {
		if v, ok := item[name]; ok {
			out[name] = v
		}
	}
	for _, ka := range t.startKeyAttrs(ix) {
		keep(ka.name)
	}
	for _, n := range ix.include {
		keep(n)
	}
	return out
}

// projects reports whether ix stores attribute name.
func (t *table) projects(ix *index, name string) bool {
	if ix.projection == "ALL" {
		return true
	}
	return slices.ContainsFunc(t.startKeyAttrs(ix), func(ka keyAttr) bool { return ka.name == name }) ||
		slices.Contains(ix.include, name)
}

// updateIndexes replaces old's index entries (old may be nil) with new's
// (new may be nil), inside tx.
func (t *table) updateIndexes(tx storage.Tx, old, new attr.Item) error {
	for _, ix := range t.indexes {
		if !ix.maintained() {
			continue
		}
		if err := t.updateEntry(tx, ix, old, new); err != nil {
			return err
		}
	}
	return nil
}

// updateEntry replaces old's entry in ix with new's.
func (t *table) updateEntry(tx storage.Tx, ix *index, old, new attr.Item) error {
	oldKey, hadOld, err := t.entryKey(ix, old)
	if err != nil {
		return err
	}
	newKey, hasNew, err := t.entryKey(ix, new)
	if err != nil {
		return err
	}
	if hadOld && !(hasNew && bytes.Equal(oldKey, newKey)) {
		if err := tx.Delete(oldKey); err != nil {
			return fmt.Errorf("dynamodb: delete index entry: %w", err)
		}
	}
	if !hasNew {
		return nil
	}
	return t.writeEntry(tx, ix, newKey, new)
}

// writeEntry stores item's projection at key in ix.
func (t *table) writeEntry(tx storage.Tx, ix *index, key []byte, item attr.Item) error {
	raw, err := t.project(ix, item).MarshalJSON()
	if err != nil {
		return fmt.Errorf("dynamodb: encode index entry: %w", err)
	}
	if err := tx.Set(key, raw); err != nil {
		return fmt.Errorf("dynamodb: write index entry: %w", err)
	}
	return nil
}
