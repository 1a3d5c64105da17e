package dynamodb

import (
	"context"
	"strconv"

	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/storage"
)

// transactGet is one validated TransactGetItems read.
type transactGet struct {
	get  *Get
	proj *expr.Projection
}

// TransactGetItems reads up to 100 items from one consistent snapshot (one
// storage View), so it never sees part of a transaction. Responses are in
// request order, {} for an item that does not exist. Each read costs 2
// units per 4 KB, as a transactional read does.
func (s *Service) TransactGetItems(ctx context.Context, in *TransactGetItemsInput) (*TransactGetItemsOutput, error) {
	gets, err := prepareTransactGet(in)
	if err != nil {
		return nil, err
	}
	out := &TransactGetItemsOutput{Responses: make([]ItemResponse, len(gets))}
	units := capacityTotals{}
	err = s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		clear(units)
		keys, err := s.transactGetKeys(r, gets)
		if err != nil {
			return err
		}
		for i, key := range keys {
			item, err := readItem(r, key)
			if err != nil {
				return err
			}
			units[gets[i].get.TableName] += 2 * readUnits(item, true)
			if item != nil && gets[i].proj != nil {
				item = gets[i].proj.Apply(item)
			}
			out.Responses[i] = ItemResponse{Item: item}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.ConsumedCapacity = units.list(in.ReturnConsumedCapacity)
	return out, nil
}

// transactGetKeys loads the table of every read and validates its key,
// rejecting a second read of the same item.
func (s *Service) transactGetKeys(r storage.ReadTx, gets []transactGet) ([][]byte, error) {
	seen := seenKeys{}
	keys := make([][]byte, len(gets))
	for i, g := range gets {
		t, err := s.meta.loadTable(r, tableNameOf(g.get.TableName))
		if err != nil {
			return nil, noTable(err)
		}
		if keys[i], err = t.multiItemKey(g.get.Key, false); err != nil {
			return nil, err
		}
		if !seen.add(keys[i]) {
			return nil, ErrValidation.New(msgTransactSameItem)
		}
	}
	return keys, nil
}

// prepareTransactGet validates a TransactGetItems request up to the table
// lookups and parses each read's projection.
func prepareTransactGet(in *TransactGetItemsInput) ([]transactGet, error) {
	var ce constraintErrors
	if in.TransactItems == nil {
		ce.addNull("transactItems")
	} else {
		ce.checkListLength(len(in.TransactItems), maxTransactItems, javaObjects("TransactGetItem", "", len(in.TransactItems)), "transactItems")
	}
	ce.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	for i, it := range in.TransactItems {
		member := "transactItems." + strconv.Itoa(i+1) + ".member.get"
		switch {
		case it.Get == nil:
			ce.addNull(member)
			continue
		case it.Get.TableName == "":
			ce.addNull(member + ".tableName")
		default:
			ce.checkTableName(tableNameOf(it.Get.TableName), member+".tableName")
		}
		if it.Get.Key == nil {
			ce.addNull(member + ".key")
		}
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	gets := make([]transactGet, len(in.TransactItems))
	for i, it := range in.TransactItems {
		p := projectionParams{expression: it.Get.ProjectionExpression, names: it.Get.ExpressionAttributeNames}
		if err := p.checkUse(); err != nil {
			return nil, err
		}
		proj, err := p.parse()
		if err != nil {
			return nil, err
		}
		gets[i] = transactGet{get: it.Get, proj: proj}
	}
	return gets, nil
}
