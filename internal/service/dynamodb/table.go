package dynamodb

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage/keyenc"
)

// keyAttr is one attribute of a key schema with its declared type.
type keyAttr struct {
	name string
	kind attr.Kind
}

// indexKey is one key attribute of a secondary index, for item validation.
type indexKey struct {
	keyAttr
	index string
}

// table is a decoded table: its stored metadata plus what item operations
// derive from it. Values are shared through metaCache and never modified.
type table struct {
	meta      tableMeta
	hash      keyAttr
	rng       keyAttr // rng.name is empty for a hash-only table
	indexKeys []indexKey
	indexes   []*index
	prefix    []byte // the items' prefix; index entries live beside it
}

// newTable derives the item-level view of m.
func newTable(m tableMeta) *table {
	d := &m.Description
	types := make(map[string]attr.Kind, len(d.AttributeDefinitions))
	for _, ad := range d.AttributeDefinitions {
		types[ad.AttributeName] = kindOf(ad.AttributeType)
	}
	t := &table{meta: m, prefix: append(itemPrefix(d.TableID), itemsTag)}
	for _, k := range d.KeySchema {
		ka := keyAttr{name: k.AttributeName, kind: types[k.AttributeName]}
		if k.KeyType == "HASH" {
			t.hash = ka
		} else {
			t.rng = ka
		}
	}
	t.indexes = newIndexes(d, types)
	for _, ix := range t.indexes {
		if !ix.maintained() {
			continue
		}
		for _, ka := range ix.keyAttrs() {
			if !t.isKey(ka.name) {
				t.indexKeys = append(t.indexKeys, indexKey{ka, ix.name})
			}
		}
	}
	return t
}

// kindOf maps an AttributeType ("S", "N", "B") to its attr.Kind.
func kindOf(t string) attr.Kind {
	switch t {
	case "S":
		return attr.S
	case "N":
		return attr.N
	case "B":
		return attr.B
	}
	return attr.KindInvalid
}

// name returns the table's name.
func (t *table) name() string { return t.meta.Description.TableName }

// keyAttrs returns the table's key attributes, hash first.
func (t *table) keyAttrs() []keyAttr {
	if t.rng.name == "" {
		return []keyAttr{t.hash}
	}
	return []keyAttr{t.hash, t.rng}
}

// isKey reports whether name is one of the table's key attributes.
func (t *table) isKey(name string) bool {
	return name == t.hash.name || (t.rng.name != "" && name == t.rng.name)
}

// storageKeyFromKey validates a Key parameter (GetItem, UpdateItem,
// DeleteItem) against the schema and returns the item's storage key.
func (t *table) storageKeyFromKey(key attr.Item) ([]byte, error) {
	ks := t.keyAttrs()
	if len(key) != len(ks) {
		return nil, ErrValidation.New(msgKeyMismatch)
	}
	for i, ka := range ks {
		v, ok := key[ka.name]
		if !ok || v.Kind != ka.kind {
			return nil, ErrValidation.New(msgKeyMismatch)
		}
		if err := checkKeyValue(v, ka.name, i == 0, msgInvalidParams); err != nil {
			return nil, err
		}
	}
	return t.encodeKey(key)
}

// storageKeyFromItem validates a PutItem item's key (and index key)
// attributes and returns its storage key.
func (t *table) storageKeyFromItem(item attr.Item) ([]byte, error) {
	for i, ka := range t.keyAttrs() {
		v, ok := item[ka.name]
		if !ok {
			return nil, invalidParams("Missing the key " + ka.name + " in the item")
		}
		if v.Kind != ka.kind {
			return nil, invalidParams(fmt.Sprintf("Type mismatch for key %s expected: %s actual: %s", ka.name, ka.kind, v.Kind))
		}
		if err := checkKeyValue(v, ka.name, i == 0, "One or more parameter values are not valid. "); err != nil {
			return nil, err
		}
	}
	if err := t.checkIndexKeys(item); err != nil {
		return nil, err
	}
	return t.encodeKey(item)
}

// checkIndexKeys validates the secondary-index key attributes present in item.
func (t *table) checkIndexKeys(item attr.Item) error {
	for _, ik := range t.indexKeys {
		v, ok := item[ik.name]
		if !ok {
			continue
		}
		if v.Kind != ik.kind {
			return invalidParams(fmt.Sprintf("Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s", ik.name, ik.kind, v.Kind, ik.index))
		}
		if isEmptyScalar(v) {
			return ErrValidation.New(fmt.Sprintf("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s", emptyNoun(v), ik.index, ik.name))
		}
	}
	return nil
}

// checkKeyValue rejects empty and oversized key values; prefix starts the
// empty-value message (AWS words it differently per operation).
func checkKeyValue(v attr.Value, name string, isHash bool, prefix string) error {
	if isEmptyScalar(v) {
		return ErrValidation.New(prefix + "The AttributeValue for a key attribute cannot contain an empty " + emptyNoun(v) + " value. Key: " + name)
	}
	size := len(v.Str) + len(v.Bytes)
	if v.Kind == attr.N {
		return nil
	}
	if isHash && size > maxHashKeyBytes {
		return ErrValidation.New(msgHashKeyTooLarge)
	}
	if !isHash && size > maxRangeKeyBytes {
		return ErrValidation.New(msgRangeKeyTooLarge)
	}
	return nil
}

// isEmptyScalar reports whether v is an empty string or binary.
func isEmptyScalar(v attr.Value) bool {
	return (v.Kind == attr.S && v.Str == "") || (v.Kind == attr.B && len(v.Bytes) == 0)
}

// emptyNoun names v's type in the empty-key messages.
func emptyNoun(v attr.Value) string {
	if v.Kind == attr.B {
		return "binary"
	}
	return "string"
}

// encodeKey returns the storage key of the item whose key attributes are in
// item: the table's prefix, a 4-byte hash of the encoded partition key (so
// Scan visits partitions in hash order and parallel scan segments are hash
// ranges), then the order-preserving encodings of the partition key and of
// the sort key.
func (t *table) encodeKey(item attr.Item) ([]byte, error) {
	k, err := appendPartition(append(make([]byte, 0, len(t.prefix)+48), t.prefix...), item[t.hash.name])
	if err != nil {
		return nil, err
	}
	if t.rng.name != "" {
		return appendKeyValue(k, item[t.rng.name])
	}
	return k, nil
}

// appendPartition appends the hash of pk's encoding and the encoding itself.
func appendPartition(dst []byte, pk attr.Value) ([]byte, error) {
	enc, err := appendKeyValue(nil, pk)
	if err != nil {
		return nil, err
	}
	dst = binary.BigEndian.AppendUint32(dst, partitionHash(enc))
	return append(dst, enc...), nil
}

// partitionHash is the 32-bit FNV-1a hash of an encoded partition key.
func partitionHash(enc []byte) uint32 {
	h := fnv.New32a()
	_, _ = h.Write(enc) // hash.Hash.Write never fails
	return h.Sum32()
}

// appendKeyValue appends the order-preserving encoding of a scalar key value.
func appendKeyValue(dst []byte, v attr.Value) ([]byte, error) {
	switch v.Kind {
	case attr.S:
		return keyenc.AppendString(dst, v.Str), nil
	case attr.B:
		return keyenc.AppendBytes(dst, v.Bytes), nil
	case attr.N:
		out, err := keyenc.AppendNumber(dst, v.Str)
		if err != nil {
			return nil, fmt.Errorf("dynamodb: encode number key %q: %w", v.Str, err)
		}
		return out, nil
	}
	return nil, ErrValidation.New(msgKeyMismatch)
}
