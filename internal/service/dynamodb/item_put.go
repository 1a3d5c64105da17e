package dynamodb

import (
	"context"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
)

// PutItem creates or replaces an item, optionally under a condition.
func (s *Service) PutItem(ctx context.Context, in *PutItemInput) (*PutItemOutput, error) {
	opts, err := preparePut(in)
	if err != nil {
		return nil, err
	}
	name := tableNameOf(in.TableName)
	c, err := s.writeItem(ctx, name, putAction{item: in.Item, opts: opts})
	if err != nil {
		return nil, err
	}
	out := &PutItemOutput{ConsumedCapacity: consumedCapacity(opts.capacity, name, writeUnits(c.old, c.new))}
	if opts.returnValues == "ALL_OLD" {
		out.Attributes = c.old
	}
	return out, nil
}

// preparePut validates a PutItem request up to the table lookup.
func preparePut(in *PutItemInput) (*writeOptions, error) {
	if err := checkConditionalWrite(&in.writeCommon); err != nil {
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
