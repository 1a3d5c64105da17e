package dynamodb

import (
	"context"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/storage"
)

// GetItem returns one item by key, optionally projected. Every read is
// strongly consistent; ConsistentRead only changes the capacity reported.
func (s *Service) GetItem(ctx context.Context, in *GetItemInput) (*GetItemOutput, error) {
	proj, err := prepareGet(in)
	if err != nil {
		return nil, err
	}
	name := tableNameOf(in.TableName)
	var item attr.Item
	err = s.opts.Engine.View(ctx, func(r storage.ReadTx) error {
		s.meta.prefetchItem(r, name, func(t *table) ([]byte, error) { return t.storageKeyFromKey(in.Key) })
		t, err := s.meta.loadTable(r, name)
		if err != nil {
			return noTable(err)
		}
		key, err := t.storageKeyFromKey(in.Key)
		if err != nil {
			return err
		}
		item, err = readItem(r, key)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &GetItemOutput{ConsumedCapacity: consumedCapacity(in.ReturnConsumedCapacity, name, readUnits(item, in.ConsistentRead))}
	if item != nil && proj != nil {
		item = proj.Apply(item)
	}
	out.Item = item
	return out, nil
}

// prepareGet validates a GetItem request and parses its projection (nil
// for the whole item).
func prepareGet(in *GetItemInput) (*expr.Projection, error) {
	p := projectionParams{expression: in.ProjectionExpression, names: in.ExpressionAttributeNames, attributesToGet: in.AttributesToGet}
	if err := p.checkUse(); err != nil {
		return nil, err
	}
	var ce constraintErrors
	ce.checkTableName(tableNameOf(in.TableName), "tableName")
	ce.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	if in.Key == nil {
		ce.addNull("key")
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	return p.parse()
}

// projectionParams are the projection members of the reads (GetItem,
// BatchGetItem, TransactGetItems).
type projectionParams struct {
	expression      *string
	names           map[string]string
	attributesToGet []string
}

// checkUse applies the rules on mixing ProjectionExpression,
// ExpressionAttributeNames and AttributesToGet.
func (p projectionParams) checkUse() error {
	use := paramUse{}
	use.addExpr("ProjectionExpression", p.expression != nil, false)
	use.addLegacy("AttributesToGet", p.attributesToGet != nil)
	return use.check(p.names, nil)
}

// parse returns the projection, nil for the whole item.
func (p projectionParams) parse() (*expr.Projection, error) {
	a := &expr.Attrs{Names: p.names}
	src := ""
	switch {
	case p.expression != nil:
		src = *p.expression
	case len(p.attributesToGet) > 0:
		s, err := attributesToGetProjection(p.attributesToGet, a)
		if err != nil {
			return nil, err
		}
		src = s
	default:
		return nil, nil
	}
	proj, err := expr.ParseProjection(src, a)
	if err != nil {
		return nil, exprError(err)
	}
	if err := a.CheckUnused(); err != nil {
		return nil, exprError(err)
	}
	return proj, nil
}
