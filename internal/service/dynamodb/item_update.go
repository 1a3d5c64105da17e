package dynamodb

import (
	"context"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
)

// updateOptions are a validated UpdateItem request's parsed parts.
type updateOptions struct {
	writeOptions
	update *expr.Update // nil when the request only creates the item
}

// UpdateItem edits an item's attributes, creating the item when it does not
// exist, optionally under a condition.
func (s *Service) UpdateItem(ctx context.Context, in *UpdateItemInput) (*UpdateItemOutput, error) {
	opts, err := prepareUpdate(in)
	if err != nil {
		return nil, err
	}
	name := tableNameOf(in.TableName)
	c, err := s.writeItem(ctx, name, updateAction{key: in.Key, opts: opts})
	if err != nil {
		return nil, err
	}
	return &UpdateItemOutput{
		Attributes:       opts.returned(c.old, c.new),
		ConsumedCapacity: consumedCapacity(opts.capacity, name, writeUnits(c.old, c.new)),
	}, nil
}

// checkKeyUpdates rejects an update that writes or removes a key attribute.
func (o *updateOptions) checkKeyUpdates(t *table) error {
	if o.update == nil {
		return nil
	}
	for _, n := range o.update.TopLevelNames() {
		if t.isKey(n) {
			return invalidParams("Cannot update attribute " + n + ". This attribute is part of the key")
		}
	}
	return nil
}

// apply returns the item after the update: old (or, when absent, a new item
// holding just the key) with the update applied.
func (o *updateOptions) apply(old, key attr.Item) (attr.Item, error) {
	base := old
	if base == nil {
		base = key
	}
	if o.update == nil {
		return base, nil
	}
	updated, err := o.update.Apply(base)
	if err != nil {
		return nil, exprError(err)
	}
	return updated, nil
}

// returned selects the Attributes member for ReturnValues.
func (o *updateOptions) returned(old, updated attr.Item) attr.Item {
	switch o.returnValues {
	case "ALL_OLD":
		return old
	case "ALL_NEW":
		return updated
	case "UPDATED_OLD":
		if old == nil || o.update == nil {
			return nil
		}
		return nonEmpty(o.update.Project(old))
	case "UPDATED_NEW":
		if o.update == nil {
			return nil
		}
		return nonEmpty(o.update.Project(updated))
	}
	return nil
}

// prepareUpdate validates an UpdateItem request up to the table lookup and
// parses its expressions.
func prepareUpdate(in *UpdateItemInput) (*updateOptions, error) {
	use := paramUse{}
	use.addExpr("UpdateExpression", in.UpdateExpression != nil, true)
	use.addExpr("ConditionExpression", in.ConditionExpression != nil, true)
	use.addLegacy("AttributeUpdates", in.AttributeUpdates != nil)
	use.addLegacy("Expected", in.Expected != nil)
	if err := use.check(in.ExpressionAttributeNames, in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	if err := checkWriteEnums(&in.writeCommon); err != nil {
		return nil, err
	}
	if err := checkKeyParam(in.Key); err != nil {
		return nil, err
	}
	opts := &updateOptions{writeOptions: writeOptions{
		returnValues: in.ReturnValues, onFailure: in.ReturnValuesOnConditionCheckFailure, capacity: in.ReturnConsumedCapacity,
	}}
	a := &expr.Attrs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues}
	if err := opts.parseUpdate(in, a); err != nil {
		return nil, err
	}
	if err := parseWriteCondition(&in.writeCommon, a, &opts.writeOptions); err != nil {
		return nil, err
	}
	if err := a.CheckUnused(); err != nil {
		return nil, exprError(err)
	}
	return opts, nil
}

// parseUpdate parses UpdateExpression or the translated AttributeUpdates.
func (o *updateOptions) parseUpdate(in *UpdateItemInput, a *expr.Attrs) error {
	src := ""
	switch {
	case in.UpdateExpression != nil:
		src = *in.UpdateExpression
	case in.AttributeUpdates != nil:
		s, err := attributeUpdatesExpression(in.AttributeUpdates, a)
		if err != nil || s == "" {
			return err
		}
		src = s
	default:
		return nil
	}
	u, err := expr.ParseUpdate(src, a)
	if err != nil {
		return exprError(err)
	}
	o.update = u
	return nil
}
