package expr

import (
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// KeyOp is the comparison a key condition applies, named as in the legacy
// KeyConditions API.
type KeyOp string

// The key-condition comparisons.
const (
	KeyEQ         KeyOp = "EQ"
	KeyLT         KeyOp = "LT"
	KeyLE         KeyOp = "LE"
	KeyGT         KeyOp = "GT"
	KeyGE         KeyOp = "GE"
	KeyBetween    KeyOp = "BETWEEN"
	KeyBeginsWith KeyOp = "BEGINS_WITH"
)

// KeyCond is one condition of a key-condition expression, normalized so the
// attribute comes first (":v < k" becomes k GT :v).
type KeyCond struct {
	// Name is the top-level attribute the condition constrains.
	Name string
	// Op is the comparison.
	Op KeyOp
	// Values holds the operands: one, or two (low, high) for KeyBetween.
	Values []attr.Value
}

// KeyCondition is a parsed KeyConditionExpression: one or two AND-joined
// conditions on distinct top-level attributes. Which one is the partition
// key (it must use KeyEQ) is for the service to check against the schema.
type KeyCondition struct {
	// Conds holds the conditions in source order.
	Conds []KeyCond
}

// String renders the conditions in normalized form.
func (k *KeyCondition) String() string {
	parts := make([]string, len(k.Conds))
	for i, c := range k.Conds {
		vals := make([]string, len(c.Values))
		for j, v := range c.Values {
			vals[j] = describeValue(v)
		}
		parts[i] = quoteName(c.Name) + " " + string(c.Op) + " " + strings.Join(vals, " ")
	}
	return strings.Join(parts, " AND ")
}

// ParseKeyCondition parses a KeyConditionExpression: the condition grammar
// restricted to =, <, <=, >, >=, BETWEEN and begins_with on top-level
// attributes, joined by AND.
func ParseKeyCondition(s string, a *Attrs) (*KeyCondition, error) {
	root, err := parseConditionTree(s, a, kindKeyCondition)
	if err != nil {
		return nil, err
	}
	kc := &KeyCondition{}
	if err := kc.collect(root); err != nil {
		return nil, err
	}
	if len(kc.Conds) > 2 {
		return nil, &Error{msg: "Conditions can be of length 1 or 2 only"}
	}
	return kc, nil
}

var keyOps = map[string]KeyOp{"=": KeyEQ, "<": KeyLT, "<=": KeyLE, ">": KeyGT, ">=": KeyGE}

// flippedOps maps an operator to its mirror, for "value op attribute".
var flippedOps = map[KeyOp]KeyOp{KeyEQ: KeyEQ, KeyLT: KeyGT, KeyLE: KeyGE, KeyGT: KeyLT, KeyGE: KeyLE}

func keyError(msg string) *Error { return &Error{msg: msg} }

func invalidKeyOperator(op string) *Error {
	return keyError("Invalid operator used in KeyConditionExpression: " + op)
}

func (kc *KeyCondition) collect(c *condNode) *Error {
	switch c.kind {
	case condAnd:
		if err := kc.collect(c.left); err != nil {
			return err
		}
		return kc.collect(c.right)
	case condOr:
		return invalidKeyOperator("OR")
	case condNot:
		return invalidKeyOperator("NOT")
	case condIn:
		return invalidKeyOperator("IN")
	case condCompare:
		if c.op == "<>" {
			return invalidKeyOperator("<>")
		}
		return kc.addLeaf(keyOps[c.op], c.operands)
	case condBetween:
		if c.operands[0].kind != opPath {
			return keyError("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand")
		}
		return kc.addLeaf(KeyBetween, c.operands)
	}
	fn := c.operands[0]
	if fn.fn != "begins_with" {
		return invalidKeyOperator(fn.fn)
	}
	if fn.args[0].kind != opPath {
		return keyError("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand")
	}
	return kc.addLeaf(KeyBeginsWith, fn.args)
}

// addLeaf records one condition: exactly one operand must be a top-level
// path and the others values.
func (kc *KeyCondition) addLeaf(op KeyOp, ops []*operand) *Error {
	var name string
	pathAt := -1
	var values []attr.Value
	for i, o := range ops {
		switch o.kind {
		case opPath:
			if pathAt >= 0 {
				return keyError("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
			}
			if len(o.path) > 1 {
				return keyError("KeyConditionExpressions cannot have conditions on nested attributes")
			}
			name, pathAt = o.path[0].Name, i
		case opValue:
			values = append(values, o.value)
		default:
			return keyError("KeyConditionExpressions cannot contain nested operations")
		}
	}
	if pathAt < 0 {
		return keyError("Invalid condition in KeyConditionExpression: No key attribute specified")
	}
	for _, prev := range kc.Conds {
		if prev.Name == name {
			return keyError("KeyConditionExpressions must only contain one condition per key")
		}
	}
	if pathAt > 0 {
		op = flippedOps[op]
	}
	kc.Conds = append(kc.Conds, KeyCond{Name: name, Op: op, Values: values})
	return nil
}
