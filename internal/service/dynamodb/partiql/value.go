package partiql

import (
	"fmt"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// MsgParamCount is DynamoDB's message for a statement with more '?'
// parameters than the request supplies.
const MsgParamCount = "Number of parameters in request and statement don't match."

// ValueError is an expression that does not denote a valid value. Msg is
// DynamoDB's ValidationException wording.
type ValueError struct{ Msg string }

// Error returns the message with the package prefix.
func (e *ValueError) Error() string { return "partiql: " + e.Msg }

// ValidationMessage returns the message for a ValidationException.
func (e *ValueError) ValidationMessage() string { return e.Msg }

// IsConstant reports whether e is a value (literal, parameter or collection
// of them) rather than something read from an item.
func IsConstant(e Expr) bool {
	switch e := e.(type) {
	case *Literal, *Param:
		return true
	case *Map:
		return allConstant(e.Values)
	case *List:
		return allConstant(e.Elems)
	case *Set:
		return allConstant(e.Elems)
	}
	return false
}

// allConstant reports whether every expression in exprs is constant.
func allConstant(exprs []Expr) bool {
	for _, e := range exprs {
		if !IsConstant(e) {
			return false
		}
	}
	return true
}

// Value evaluates a constant expression, taking '?' parameters from params.
func Value(e Expr, params []attr.Value) (attr.Value, error) {
	switch e := e.(type) {
	case *Literal:
		return e.Value, nil
	case *Param:
		if e.Index >= len(params) {
			return attr.Value{}, &ValueError{Msg: MsgParamCount}
		}
		return params[e.Index], nil
	case *Map:
		return mapValue(e, params)
	case *List:
		vs, err := values(e.Elems, params)
		if err != nil {
			return attr.Value{}, err
		}
		return attr.NewL(vs...), nil
	case *Set:
		return setValue(e, params)
	}
	return attr.Value{}, &ValueError{Msg: "Unsupported operation: expected a value, found " + e.String()}
}

// values evaluates each of exprs.
func values(exprs []Expr, params []attr.Value) ([]attr.Value, error) {
	vs := make([]attr.Value, len(exprs))
	for i, x := range exprs {
		v, err := Value(x, params)
		if err != nil {
			return nil, err
		}
		vs[i] = v
	}
	return vs, nil
}

// mapValue evaluates a map literal, rejecting duplicate keys.
func mapValue(m *Map, params []attr.Value) (attr.Value, error) {
	out := make(map[string]attr.Value, len(m.Keys))
	for i, k := range m.Keys {
		if _, dup := out[k]; dup {
			return attr.Value{}, &ValueError{Msg: fmt.Sprintf("Duplicate keys in tuple. Key: %s", k)}
		}
		v, err := Value(m.Values[i], params)
		if err != nil {
			return attr.Value{}, err
		}
		out[k] = v
	}
	return attr.NewM(out), nil
}

// setValue evaluates a <<...>> literal into a string, number or binary set.
func setValue(s *Set, params []attr.Value) (attr.Value, error) {
	vs, err := values(s.Elems, params)
	if err != nil {
		return attr.Value{}, err
	}
	if len(vs) == 0 {
		return attr.Value{}, &ValueError{Msg: "Empty bags are not supported"}
	}
	kind := vs[0].Kind
	seen := make(map[string]bool, len(vs))
	var set attr.Value
	for _, v := range vs {
		if v.Kind != kind || (kind != attr.S && kind != attr.N && kind != attr.B) {
			return attr.Value{}, &ValueError{Msg: "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"}
		}
		member := v.Str + string(v.Bytes)
		if seen[member] {
			return attr.Value{}, &ValueError{Msg: "Input collection contains duplicates"}
		}
		seen[member] = true
		set.Strs = append(set.Strs, v.Str)
		set.Bins = append(set.Bins, v.Bytes)
	}
	switch kind {
	case attr.S:
		return attr.NewSS(set.Strs...), nil
	case attr.N:
		return attr.NewNS(set.Strs...), nil
	}
	return attr.NewBS(set.Bins...), nil
}
