package dynamodb

import (
	"context"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/storage"
)

// PutItem creates or replaces an item, optionally under a condition.
func (s *Service) PutItem(ctx context.Context, in *PutItemInput) (*PutItemOutput, error) {
	opts, err := preparePut(in)
	if err != nil {
		return nil, err
	}
	name := tableNameOf(in.TableName)
	var out *PutItemOutput
	var tableID string
	err = s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		t, err := s.meta.loadTable(tx, name)
		if err != nil {
			return noTable(err)
		}
		key, err := t.storageKeyFromItem(in.Item)
		if err != nil {
			return err
		}
		old, err := readItem(tx, key)
		if err != nil {
			return err
		}
		if err := opts.checkCondition(old); err != nil {
			return err
		}
		tableID = t.meta.Description.TableID
		out = &PutItemOutput{ConsumedCapacity: consumedCapacity(opts.capacity, name, writeUnits(old, in.Item))}
		if opts.returnValues == "ALL_OLD" {
			out.Attributes = old
		}
		return t.replaceItem(tx, key, old, in.Item)
	})
	if err != nil {
		return nil, err
	}
	s.stats.invalidate(tableID)
	return out, nil
}

// preparePut validates a PutItem request up to the table lookup.
func preparePut(in *PutItemInput) (*writeOptions, error) {
	use := paramUse{}
	use.addExpr("ConditionExpression", in.ConditionExpression != nil, true)
	use.addLegacy("Expected", in.Expected != nil)
	if err := use.check(in.ExpressionAttributeNames, in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	if err := checkWriteEnums(&in.writeCommon); err != nil {
		return nil, err
	}
	if in.Item == nil {
		var ce constraintErrors
		ce.addNull("item")
		return nil, ce.err()
	}
	if in.ReturnValues != "" && in.ReturnValues != "NONE" && in.ReturnValues != "ALL_OLD" {
		return nil, ErrValidation.New("ReturnValues can only be ALL_OLD or NONE")
	}
	if attr.ItemSize(in.Item) > maxItemBytes {
		return nil, ErrValidation.New(msgItemTooLarge)
	}
	return prepareCondition(&in.writeCommon)
}

// prepareCondition parses a write's condition and checks that every
// expression attribute name and value was used.
func prepareCondition(c *writeCommon) (*writeOptions, error) {
	opts := &writeOptions{returnValues: c.ReturnValues, onFailure: c.ReturnValuesOnConditionCheckFailure, capacity: c.ReturnConsumedCapacity}
	a := &expr.Attrs{Names: c.ExpressionAttributeNames, Values: c.ExpressionAttributeValues}
	if err := parseWriteCondition(c, a, opts); err != nil {
		return nil, err
	}
	if err := a.CheckUnused(); err != nil {
		return nil, exprError(err)
	}
	return opts, nil
}
