package dynamodb

import (
	"context"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/storage"
)

// batchGetTable is one table's validated part of a BatchGetItem request.
type batchGetTable struct {
	name string
	req  KeysAndAttributes
	proj *expr.Projection
}

// BatchGetItem reads up to 100 items from one or more tables in one
// consistent snapshot. Items past the 16 MB response limit are returned in
// UnprocessedKeys, with their table's projection, for the caller to retry.
func (s *Service) BatchGetItem(ctx context.Context, in *BatchGetItemInput) (*BatchGetItemOutput, error) {
	tables, err := prepareBatchGet(in)
	if err != nil {
		return nil, err
	}
	out := &BatchGetItemOutput{Responses: map[string][]attr.Item{}, UnprocessedKeys: map[string]KeysAndAttributes{}}
	units := capacityTotals{}
	err = s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		clear(out.Responses)
		clear(out.UnprocessedKeys)
		clear(units)
		keys, err := s.batchGetKeys(r, tables)
		if err != nil {
			return err
		}
		return readBatch(r, tables, keys, out, units)
	})
	if err != nil {
		return nil, err
	}
	out.ConsumedCapacity = units.list(in.ReturnConsumedCapacity)
	return out, nil
}

// batchGetKeys validates every table and key of a batch read and returns
// the storage keys, per table in request order.
func (s *Service) batchGetKeys(r storage.ReadTx, tables []batchGetTable) ([][][]byte, error) {
	seen := seenKeys{}
	keys := make([][][]byte, len(tables))
	for i, bt := range tables {
		t, err := s.meta.loadTable(r, tableNameOf(bt.name))
		if err != nil {
			return nil, noTable(err)
		}
		for _, k := range bt.req.Keys {
			key, err := t.multiItemKey(k, false)
			if err != nil {
				return nil, err
			}
			if !seen.add(key) {
				return nil, ErrValidation.New(msgBatchDuplicates)
			}
			keys[i] = append(keys[i], key)
		}
	}
	return keys, nil
}

// readBatch reads the items at keys into out until the response would pass
// maxBatchGetBytes; the keys left go to out.UnprocessedKeys.
func readBatch(r storage.ReadTx, tables []batchGetTable, keys [][][]byte, out *BatchGetItemOutput, units capacityTotals) error {
	budget := maxBatchGetBytes
	for i, bt := range tables {
		found, done, err := readTableBatch(r, bt, keys[i], &budget, units)
		if err != nil {
			return err
		}
		out.Responses[bt.name] = found
		if done < len(keys[i]) {
			unprocessed := bt.req
			unprocessed.Keys = bt.req.Keys[done:]
			out.UnprocessedKeys[bt.name] = unprocessed
		}
	}
	return nil
}

// readTableBatch reads one table's keys in order while their (projected)
// items fit in *budget bytes (negative once the response is full),
// returning the items found and how many keys it processed. Capacity is
// charged on the stored item's size, as AWS charges it.
func readTableBatch(r storage.ReadTx, bt batchGetTable, keys [][]byte, budget *int, units capacityTotals) ([]attr.Item, int, error) {
	found := make([]attr.Item, 0, len(keys))
	consistent := bt.req.ConsistentRead != nil && *bt.req.ConsistentRead
	for j, key := range keys {
		stored, err := readItem(r, key)
		if err != nil {
			return nil, 0, err
		}
		item := stored
		if item != nil && bt.proj != nil {
			item = bt.proj.Apply(item)
		}
		size := attr.ItemSize(item)
		if *budget < 0 || size > *budget {
			*budget = -1 // full: every key after this one is unprocessed
			return found, j, nil
		}
		*budget -= size
		units[bt.name] += readUnits(stored, consistent)
		if item != nil {
			found = append(found, item)
		}
	}
	return found, len(keys), nil
}

// prepareBatchGet validates a BatchGetItem request up to the table lookups
// and parses each table's projection, in table-name order.
func prepareBatchGet(in *BatchGetItemInput) ([]batchGetTable, error) {
	names := sortedNames(in.RequestItems)
	var ce constraintErrors
	ce.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	ce.checkRequestItems(in.RequestItems == nil, names, javaMap(names, func(n string) string { return javaObject("KeysAndAttributes", n) }))
	total := 0
	for _, n := range names {
		keys := in.RequestItems[n].Keys
		member := "requestItems." + n + ".member.keys"
		if keys == nil {
			ce.addNull(member)
			continue
		}
		ce.checkListLength(len(keys), maxBatchGetKeys, javaObjects("Key", n, len(keys)), member)
		total += len(keys)
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	if total > maxBatchGetKeys {
		return nil, ErrValidation.New("Too many items requested for the BatchGetItem call")
	}
	tables := make([]batchGetTable, len(names))
	for i, n := range names {
		req := in.RequestItems[n]
		p := projectionParams{expression: req.ProjectionExpression, names: req.ExpressionAttributeNames, attributesToGet: req.AttributesToGet}
		if err := p.checkUse(); err != nil {
			return nil, err
		}
		proj, err := p.parse()
		if err != nil {
			return nil, err
		}
		tables[i] = batchGetTable{name: n, req: req, proj: proj}
	}
	return tables, nil
}
