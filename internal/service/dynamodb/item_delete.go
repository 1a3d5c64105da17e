package dynamodb

import (
	"context"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// DeleteItem deletes an item, optionally under a condition. Deleting a
// missing item succeeds.
func (s *Service) DeleteItem(ctx context.Context, in *DeleteItemInput) (*DeleteItemOutput, error) {
	opts, err := prepareDelete(in)
	if err != nil {
		return nil, err
	}
	name := tableNameOf(in.TableName)
	c, err := s.writeItem(ctx, name, deleteAction{key: in.Key, opts: opts})
	if err != nil {
		return nil, err
	}
	out := &DeleteItemOutput{ConsumedCapacity: consumedCapacity(opts.capacity, name, writeUnits(c.old, nil))}
	if opts.returnValues == "ALL_OLD" {
		out.Attributes = c.old
	}
	return out, nil
}

// prepareDelete validates a DeleteItem request up to the table lookup.
func prepareDelete(in *DeleteItemInput) (*writeOptions, error) {
	if err := checkConditionalWrite(&in.writeCommon); err != nil {
		return nil, err
	}
	if err := checkKeyParam(in.Key); err != nil {
		return nil, err
	}
	if in.ReturnValues != "" && in.ReturnValues != "NONE" && in.ReturnValues != "ALL_OLD" {
		return nil, ErrValidation.New("ReturnValues can only be ALL_OLD or NONE")
	}
	return prepareCondition(&in.writeCommon)
}

// checkKeyParam rejects a missing Key member.
func checkKeyParam(key map[string]attr.Value) error {
	if key == nil {
		var ce constraintErrors
		ce.addNull("key")
		return ce.err()
	}
	return nil
}
