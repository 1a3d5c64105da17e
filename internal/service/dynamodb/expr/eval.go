package expr

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// lookupItem returns the value at path in item.
func lookupItem(item attr.Item, path Path) (attr.Value, bool) {
	v, ok := item[path[0].Name]
	if !ok {
		return attr.Value{}, false
	}
	return lookupValue(v, path[1:])
}

// lookupValue returns the value at the relative path rest inside v.
func lookupValue(v attr.Value, rest Path) (attr.Value, bool) {
	for _, e := range rest {
		switch {
		case e.IsIndex && v.Kind == attr.L && e.Index < len(v.List):
			v = v.List[e.Index]
		case !e.IsIndex && v.Kind == attr.M:
			child, ok := v.Map[e.Name]
			if !ok {
				return attr.Value{}, false
			}
			v = child
		default:
			return attr.Value{}, false
		}
	}
	return v, true
}

// Eval reports whether item satisfies the condition. A nil item is an item
// that does not exist: every attribute is missing. Comparisons involving a
// missing attribute or mismatched types are false, never errors, except
// "<>", which is true then (it is NOT "=", as in DynamoDB).
func (c *Condition) Eval(item attr.Item) (bool, error) {
	return evalCond(c.root, item), nil
}

func evalCond(c *condNode, item attr.Item) bool {
	switch c.kind {
	case condAnd:
		return evalCond(c.left, item) && evalCond(c.right, item)
	case condOr:
		return evalCond(c.left, item) || evalCond(c.right, item)
	case condNot:
		return !evalCond(c.left, item)
	case condFunc:
		return evalBoolFunc(c.operands[0], item)
	case condBetween:
		return evalBetween(c.operands, item)
	case condIn:
		return evalIn(c.operands, item)
	}
	a, okA := evalOperand(c.operands[0], item)
	b, okB := evalOperand(c.operands[1], item)
	if c.op == "<>" {
		return !(okA && okB && attr.Equal(a, b)) // NOT "=", even for missing operands
	}
	return okA && okB && compareValues(c.op, a, b)
}

// evalOperand returns the value of a path, :value or size() operand;
// false when it has none (missing attribute, size of a number).
func evalOperand(o *operand, item attr.Item) (attr.Value, bool) {
	switch o.kind {
	case opPath:
		return lookupItem(item, o.path)
	case opValue:
		return o.value, true
	case opFunc:
		if o.fn == "size" {
			return evalSize(o.args[0], item)
		}
	}
	return attr.Value{}, false
}

// evalSize implements size(): UTF-8 bytes of S, bytes of B, elements of
// sets, L and M.
func evalSize(arg *operand, item attr.Item) (attr.Value, bool) {
	v, ok := evalOperand(arg, item)
	if !ok {
		return attr.Value{}, false
	}
	var n int
	switch v.Kind {
	case attr.S:
		n = len(v.Str)
	case attr.B:
		n = len(v.Bytes)
	case attr.SS, attr.NS:
		n = len(v.Strs)
	case attr.BS:
		n = len(v.Bins)
	case attr.L:
		n = len(v.List)
	case attr.M:
		n = len(v.Map)
	default:
		return attr.Value{}, false
	}
	return attr.Value{Kind: attr.N, Str: strconv.Itoa(n)}, true
}

func compareValues(op string, a, b attr.Value) bool {
	switch op {
	case "=":
		return attr.Equal(a, b)
	}
	c, ok := attr.Compare(a, b)
	if !ok {
		return false
	}
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func evalBetween(ops []*operand, item attr.Item) bool {
	v, ok1 := evalOperand(ops[0], item)
	low, ok2 := evalOperand(ops[1], item)
	high, ok3 := evalOperand(ops[2], item)
	return ok1 && ok2 && ok3 && compareValues(">=", v, low) && compareValues("<=", v, high)
}

func evalIn(ops []*operand, item attr.Item) bool {
	v, ok := evalOperand(ops[0], item)
	if !ok {
		return false
	}
	for _, o := range ops[1:] {
		if w, ok := evalOperand(o, item); ok && attr.Equal(v, w) {
			return true
		}
	}
	return false
}

func evalBoolFunc(fn *operand, item attr.Item) bool {
	if fn.fn == "attribute_exists" || fn.fn == "attribute_not_exists" {
		_, found := lookupItem(item, fn.args[0].path)
		return found == (fn.fn == "attribute_exists")
	}
	a, okA := evalOperand(fn.args[0], item)
	b, okB := evalOperand(fn.args[1], item)
	if !okA || !okB {
		return false
	}
	switch fn.fn {
	case "attribute_type":
		return b.Kind == attr.S && a.Kind.String() == b.Str
	case "begins_with":
		return beginsWith(a, b)
	}
	return contains(a, b)
}

func beginsWith(a, prefix attr.Value) bool {
	switch {
	case a.Kind == attr.S && prefix.Kind == attr.S:
		return strings.HasPrefix(a.Str, prefix.Str)
	case a.Kind == attr.B && prefix.Kind == attr.B:
		return bytes.HasPrefix(a.Bytes, prefix.Bytes)
	}
	return false
}

// contains implements contains(): substring of S, member of a set, element
// of L.
func contains(a, b attr.Value) bool {
	switch {
	case a.Kind == attr.S && b.Kind == attr.S:
		return strings.Contains(a.Str, b.Str)
	case (a.Kind == attr.SS && b.Kind == attr.S) || (a.Kind == attr.NS && b.Kind == attr.N):
		return slices.Contains(a.Strs, b.Str)
	case a.Kind == attr.BS && b.Kind == attr.B:
		return slices.ContainsFunc(a.Bins, func(m []byte) bool { return bytes.Equal(m, b.Bytes) })
	case a.Kind == attr.L:
		return slices.ContainsFunc(a.List, func(e attr.Value) bool { return attr.Equal(e, b) })
	}
	return false
}

// describeValue renders a value as DynamoDB's BETWEEN messages do: {S:a}.
func describeValue(v attr.Value) string {
	var text string
	switch v.Kind {
	case attr.S, attr.N:
		text = v.Str
	case attr.B:
		text = base64.StdEncoding.EncodeToString(v.Bytes)
	case attr.BOOL:
		text = strconv.FormatBool(v.Bool)
	case attr.NULL:
		text = "true"
	default:
		text = v.String()
	}
	return "{" + v.Kind.String() + ":" + text + "}"
}
