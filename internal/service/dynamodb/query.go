package dynamodb

import (
	"bytes"
	"context"
	"slices"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/storage"
)

// queryPrefix starts Query's request-level validation messages.
const queryPrefix = "1 validation error detected: "

// msgSchemaType is the error for a key condition value of the wrong type.
const msgSchemaType = msgInvalidParams + "Condition parameter type does not match schema type"

// queryOptions are a validated Query request's table-independent parts.
type queryOptions struct {
	readOptions
	keys        *expr.KeyCondition
	filterLabel string // "Filter Expression" or "QueryFilter"
	forward     bool
}

// Query reads the items of one partition of a table or index, in sort-key
// order, a page at a time.
func (s *Service) Query(ctx context.Context, in *QueryInput) (*ReadOutput, error) {
	o, err := prepareQuery(in)
	if err != nil {
		return nil, err
	}
	name := tableNameOf(in.TableName)
	return s.run(ctx, name, func(r storage.ReadTx) (*readPlan, error) {
		t, err := s.meta.loadTable(r, name)
		if err != nil {
			return nil, noTable(err)
		}
		return o.plan(t, in.ExclusiveStartKey)
	})
}

// plan resolves the query against table t.
func (o *queryOptions) plan(t *table, esk attr.Item) (*readPlan, error) {
	p, err := o.readOptions.plan(t)
	if err != nil {
		return nil, err
	}
	keys, prefix := t.keyAttrs(), t.prefix
	if p.ix != nil {
		keys, prefix = p.ix.keyAttrs(), p.ix.prefix
	}
	part, rng, err := keyRange(prefix, keys, o.keys)
	if err != nil {
		return nil, err
	}
	if err := o.checkFilterKeys(keys); err != nil {
		return nil, err
	}
	rng.Reverse = !o.forward
	if esk != nil {
		start, err := t.startKey(p.ix, esk)
		if err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(start, part) {
			return nil, ErrValidation.New("The provided starting key is outside query boundaries based on provided conditions")
		}
		if bytes.Compare(start, rng.Start) < 0 || (rng.End != nil && bytes.Compare(start, rng.End) >= 0) {
			return nil, ErrValidation.New("The provided starting key does not match the range key predicate")
		}
		rng = after(rng, start)
	}
	p.rng = rng
	return p, nil
}

// checkFilterKeys rejects a filter on the queried key attributes.
func (o *queryOptions) checkFilterKeys(keys []keyAttr) error {
	if o.filter == nil {
		return nil
	}
	names := o.filter.TopLevelNames()
	for _, ka := range keys {
		if slices.Contains(names, ka.name) {
			return ErrValidation.New(o.filterLabel + " can only contain non-primary key attributes: Primary key attribute: " + ka.name)
		}
	}
	return nil
}

// prepareQuery validates a Query request up to the table lookup.
func prepareQuery(in *QueryInput) (*queryOptions, error) {
	use := paramUse{}
	use.addExpr("ProjectionExpression", in.ProjectionExpression != nil, false)
	use.addExpr("FilterExpression", in.FilterExpression != nil, true)
	use.addExpr("KeyConditionExpression", in.KeyConditionExpression != nil, true)
	use.addLegacy("AttributesToGet", in.AttributesToGet != nil)
	use.addLegacy("QueryFilter", in.QueryFilter != nil)
	use.addLegacy("ConditionalOperator", in.ConditionalOperator != "")
	use.addLegacy("KeyConditions", in.KeyConditions != nil)
	if err := use.check(in.ExpressionAttributeNames, in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	var ce constraintErrors
	checkReadConstraints(&ce, &in.readCommon)
	if err := ce.err(); err != nil {
		return nil, err
	}
	if err := checkSelect(&in.readCommon, queryPrefix); err != nil {
		return nil, err
	}
	if in.KeyConditions == nil && in.KeyConditionExpression == nil {
		return nil, ErrValidation.New("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	o := &queryOptions{readOptions: *newReadOptions(&in.readCommon), forward: in.ScanIndexForward == nil || *in.ScanIndexForward, filterLabel: "Filter Expression"}
	if in.QueryFilter != nil {
		o.filterLabel = "QueryFilter"
	}
	a := &expr.Attrs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues}
	if err := o.parseKeys(in, a); err != nil {
		return nil, err
	}
	if err := parseReadExprs(&in.readCommon, in.QueryFilter, "queryFilter", a, &o.readOptions); err != nil {
		return nil, err
	}
	if err := a.CheckUnused(); err != nil {
		return nil, exprError(err)
	}
	return o, nil
}

// parseKeys parses KeyConditionExpression or the translated KeyConditions.
func (o *queryOptions) parseKeys(in *QueryInput, a *expr.Attrs) error {
	src := ""
	if in.KeyConditionExpression != nil {
		src = *in.KeyConditionExpression
	} else {
		if n := len(in.KeyConditions); n != 1 && n != 2 {
			return ErrValidation.New("Conditions can be of length 1 or 2 only")
		}
		s, err := keyConditionsExpression(in.KeyConditions, a)
		if err != nil {
			return err
		}
		src = s
	}
	kc, err := expr.ParseKeyCondition(src, a)
	if err != nil {
		return exprError(err)
	}
	o.keys = kc
	return nil
}

// keyRange checks kc against the key schema keys and returns the storage
// prefix of the selected partition under prefix and the range of keys the
// conditions select.
func keyRange(prefix []byte, keys []keyAttr, kc *expr.KeyCondition) ([]byte, storage.Range, error) {
	hashCond, rngCond, err := splitKeyConds(keys, kc)
	if err != nil {
		return nil, storage.Range{}, err
	}
	part, err := appendPartition(slices.Clone(prefix), hashCond.Values[0])
	if err != nil {
		return nil, storage.Range{}, err
	}
	if rngCond == nil {
		return part, storage.Range{Start: part, End: storage.PrefixEnd(part)}, nil
	}
	rng, err := sortKeyRange(part, rngCond)
	return part, rng, err
}

// splitKeyConds matches the conditions to the hash and range keys and
// checks their operators and value types.
func splitKeyConds(keys []keyAttr, kc *expr.KeyCondition) (hashCond, rngCond *expr.KeyCond, err error) {
	for i := range kc.Conds {
		c := &kc.Conds[i]
		switch {
		case c.Name == keys[0].name:
			hashCond = c
		case len(keys) == 2 && c.Name == keys[1].name:
			rngCond = c
		}
	}
	switch {
	case hashCond == nil:
		return nil, nil, ErrValidation.New("Query condition missed key schema element: " + keys[0].name)
	case len(kc.Conds) == 2 && len(keys) == 1:
		return nil, nil, ErrValidation.New("Query key condition not supported")
	case len(kc.Conds) == 2 && rngCond == nil:
		return nil, nil, ErrValidation.New("Query condition missed key schema element: " + keys[1].name)
	case hashCond.Op != expr.KeyEQ:
		return nil, nil, ErrValidation.New("Query key condition not supported")
	}
	if err := checkKeyCond(hashCond, keys[0]); err != nil {
		return nil, nil, err
	}
	if err := checkKeyValue(hashCond.Values[0], keys[0].name, true, "One or more parameter values are not valid. "); err != nil {
		return nil, nil, err
	}
	if rngCond != nil {
		if err := checkKeyCond(rngCond, keys[1]); err != nil {
			return nil, nil, err
		}
	}
	return hashCond, rngCond, nil
}

// checkKeyCond checks the operand types of one key condition.
func checkKeyCond(c *expr.KeyCond, ka keyAttr) error {
	for _, v := range c.Values {
		if c.Op == expr.KeyBeginsWith && v.Kind != attr.S && v.Kind != attr.B {
			return ErrValidation.New("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: " + v.Kind.String())
		}
		if v.Kind != ka.kind {
			return ErrValidation.New(msgSchemaType)
		}
	}
	return nil
}

// sortKeyRange returns the keys under the partition prefix part whose sort
// key satisfies c.
func sortKeyRange(part []byte, c *expr.KeyCond) (storage.Range, error) {
	low, err := appendKeyValue(slices.Clone(part), c.Values[0])
	if err != nil {
		return storage.Range{}, err
	}
	end := storage.PrefixEnd(part)
	switch c.Op {
	case expr.KeyEQ:
		return storage.Range{Start: low, End: storage.PrefixEnd(low)}, nil
	case expr.KeyLT:
		return storage.Range{Start: part, End: low}, nil
	case expr.KeyLE:
		return storage.Range{Start: part, End: storage.PrefixEnd(low)}, nil
	case expr.KeyGT:
		return storage.Range{Start: storage.PrefixEnd(low), End: end}, nil
	case expr.KeyGE:
		return storage.Range{Start: low, End: end}, nil
	case expr.KeyBetween:
		high, err := appendKeyValue(slices.Clone(part), c.Values[1])
		if err != nil {
			return storage.Range{}, err
		}
		if bytes.Compare(high, low) < 0 {
			return storage.Range{Start: low, End: low}, nil
		}
		return storage.Range{Start: low, End: storage.PrefixEnd(high)}, nil
	}
	prefix := low[:len(low)-2] // begins_with: the encoding without its terminator
	return storage.Range{Start: prefix, End: storage.PrefixEnd(prefix)}, nil
}
