package dynamodb

import (
	"context"
	"strconv"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/storage"
)

// batchWrite is one validated BatchWriteItem request.
type batchWrite struct {
	table  string
	action writeAction
}

// BatchWriteItem puts and deletes up to 25 items in one or more tables.
//
// AWS applies a batch's requests independently; here the whole batch is one
// storage Update, so it is applied atomically (and faster than 25 Updates).
// Nothing limits a valid batch (25 items of at most 400 KB stay under the
// 16 MB request limit, and there is no throttling), so UnprocessedItems is
// always empty.
func (s *Service) BatchWriteItem(ctx context.Context, in *BatchWriteItemInput) (*BatchWriteItemOutput, error) {
	writes, err := prepareBatchWrite(in)
	if err != nil {
		return nil, err
	}
	units := capacityTotals{}
	var tableIDs []string
	err = s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		clear(units)
		tableIDs = tableIDs[:0]
		changes, tables, err := s.evaluateBatch(tx, writes)
		if err != nil {
			return err
		}
		for i, c := range changes {
			units[writes[i].table] += writeUnits(c.old, c.new)
			if err := c.apply(tx, tables[i]); err != nil {
				return err
			}
			tableIDs = append(tableIDs, tables[i].meta.Description.TableID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, id := range tableIDs {
		s.stats.invalidate(id)
	}
	return &BatchWriteItemOutput{UnprocessedItems: map[string][]WriteRequest{}, ConsumedCapacity: units.list(in.ReturnConsumedCapacity)}, nil
}

// evaluateBatch loads the tables of writes, validates their keys, rejects
// duplicates and evaluates every write, returning the changes and the
// table of each.
func (s *Service) evaluateBatch(tx storage.Tx, writes []batchWrite) ([]itemChange, []*table, error) {
	seen := seenKeys{}
	changes := make([]itemChange, len(writes))
	tables := make([]*table, len(writes))
	for i, w := range writes {
		t, err := s.meta.loadTable(tx, tableNameOf(w.table))
		if err != nil {
			return nil, nil, noTable(err)
		}
		key, err := w.action.storageKey(t)
		if err != nil {
			return nil, nil, err
		}
		if !seen.add(key) {
			return nil, nil, ErrValidation.New(msgBatchDuplicates)
		}
		tables[i] = t
		if changes[i], err = t.evaluate(tx, w.action, key); err != nil {
			return nil, nil, err
		}
	}
	return changes, tables, nil
}

// prepareBatchWrite validates a BatchWriteItem request up to the table
// lookups and returns its writes, in table-name then request order.
func prepareBatchWrite(in *BatchWriteItemInput) ([]batchWrite, error) {
	names := sortedNames(in.RequestItems)
	if err := checkBatchWriteConstraints(in, names); err != nil {
		return nil, err
	}
	var writes []batchWrite
	for _, n := range names {
		for _, r := range in.RequestItems[n] {
			a, err := batchWriteAction(r)
			if err != nil {
				return nil, err
			}
			writes = append(writes, batchWrite{table: n, action: a})
		}
	}
	if len(writes) > maxBatchWrites {
		return nil, ErrValidation.New("Too many items requested for the BatchWriteItem call")
	}
	return writes, nil
}

// checkBatchWriteConstraints applies BatchWriteItem's modeled constraints.
func checkBatchWriteConstraints(in *BatchWriteItemInput, names []string) error {
	var ce constraintErrors
	ce.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	ce.checkEnum(in.ReturnItemCollectionMetrics, "returnItemCollectionMetrics", collectionEnum...)
	rendered := javaMap(names, func(n string) string { return javaObjects("WriteRequest", n, len(in.RequestItems[n])) })
	ce.checkRequestItems(in.RequestItems == nil, names, rendered)
	for _, n := range names {
		if l := len(in.RequestItems[n]); l == 0 || l > maxBatchWrites {
			ce.add("'"+rendered+"'", "requestItems", "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
			break
		}
	}
	for _, n := range names {
		for i, r := range in.RequestItems[n] {
			member := "requestItems." + n + ".member." + strconv.Itoa(i+1) + ".member."
			if r.DeleteRequest != nil && r.DeleteRequest.Key == nil {
				ce.addNull(member + "deleteRequest.key")
			}
			if r.PutRequest != nil && r.PutRequest.Item == nil {
				ce.addNull(member + "putRequest.item")
			}
		}
	}
	return ce.err()
}

// batchWriteAction returns the write action of one request.
func batchWriteAction(r WriteRequest) (writeAction, error) {
	switch {
	case (r.PutRequest == nil) == (r.DeleteRequest == nil):
		return nil, ErrValidation.New(msgEmptyRequest)
	case r.DeleteRequest != nil:
		return deleteAction{key: r.DeleteRequest.Key, opts: &writeOptions{}, msgs: multiItemKeys}, nil
	}
	if attr.ItemSize(r.PutRequest.Item) > maxItemBytes {
		return nil, ErrValidation.New(msgItemTooLarge)
	}
	return putAction{item: r.PutRequest.Item, opts: &writeOptions{}, msgs: multiItemKeys}, nil
}
