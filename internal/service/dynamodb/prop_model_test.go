package dynamodb_test

// The in-memory model of the property test (prop_test.go): DynamoDB's
// ordering and equality of attribute values, a canonical text form of
// items for comparing result sets, and the filter AST the test generates,
// with its own evaluator and its rendering to a FilterExpression.

import (
	"bytes"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// item is one item as the SDK carries it.
type item = map[string]types.AttributeValue

// typeOf names the DynamoDB type of v ("S", "N", ... "BS").
func typeOf(v types.AttributeValue) string {
	switch v.(type) {
	case *types.AttributeValueMemberS:
		return "S"
	case *types.AttributeValueMemberN:
		return "N"
	case *types.AttributeValueMemberB:
		return "B"
	case *types.AttributeValueMemberBOOL:
		return "BOOL"
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberSS:
		return "SS"
	case *types.AttributeValueMemberNS:
		return "NS"
	case *types.AttributeValueMemberBS:
		return "BS"
	case *types.AttributeValueMemberL:
		return "L"
	case *types.AttributeValueMemberM:
		return "M"
	}
	return "?"
}

// rat parses a DynamoDB number.
func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("model: bad number " + s) // the generator only makes valid numbers
	}
	return r
}

// compareScalars orders two S, N or B values as DynamoDB does (UTF-8 bytes,
// numeric value, unsigned bytes); ok is false for other or mixed types.
func compareScalars(a, b types.AttributeValue) (c int, ok bool) {
	switch x := a.(type) {
	case *types.AttributeValueMemberS:
		if y, ok := b.(*types.AttributeValueMemberS); ok {
			return strings.Compare(x.Value, y.Value), true
		}
	case *types.AttributeValueMemberN:
		if y, ok := b.(*types.AttributeValueMemberN); ok {
			return rat(x.Value).Cmp(rat(y.Value)), true
		}
	case *types.AttributeValueMemberB:
		if y, ok := b.(*types.AttributeValueMemberB); ok {
			return bytes.Compare(x.Value, y.Value), true
		}
	}
	return 0, false
}

// equalValues is DynamoDB's "=": same type and value, numbers by value, sets
// as sets, lists in order, maps member by member.
func equalValues(a, b types.AttributeValue) bool {
	return canon(a) == canon(b)
}

// canon renders v as text that is equal for equal values: numbers as
// reduced fractions, set members sorted, map members by name.
func canon(v types.AttributeValue) string {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return "S" + strconv.Quote(x.Value)
	case *types.AttributeValueMemberN:
		return "N" + rat(x.Value).RatString()
	case *types.AttributeValueMemberB:
		return fmt.Sprintf("B%x", x.Value)
	case *types.AttributeValueMemberBOOL:
		return fmt.Sprintf("BOOL%v", x.Value)
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberSS:
		return "SS" + sortedJoin(x.Value, strconv.Quote)
	case *types.AttributeValueMemberNS:
		return "NS" + sortedJoin(x.Value, func(s string) string { return rat(s).RatString() })
	case *types.AttributeValueMemberBS:
		return "BS" + sortedJoin(x.Value, func(b []byte) string { return fmt.Sprintf("%x", b) })
	case *types.AttributeValueMemberL:
		parts := make([]string, len(x.Value))
		for i, e := range x.Value {
			parts[i] = canon(e)
		}
		return "L[" + strings.Join(parts, ",") + "]"
	case *types.AttributeValueMemberM:
		return "M" + canonItem(x.Value)
	}
	return "?"
}

func sortedJoin[T any](members []T, render func(T) string) string {
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = render(m)
	}
	slices.Sort(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

// canonItem renders an item with canon, members sorted by name.
func canonItem(it item) string {
	var sb strings.Builder
	sb.WriteString("{")
	for i, name := range slices.Sorted(maps.Keys(it)) {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(strconv.Quote(name) + ":" + canon(it[name]))
	}
	sb.WriteString("}")
	return sb.String()
}

// sizeOf is size(): UTF-8 bytes of S, bytes of B, members of sets, L and M;
// false for the other types.
func sizeOf(v types.AttributeValue) (int, bool) {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return len(x.Value), true
	case *types.AttributeValueMemberB:
		return len(x.Value), true
	case *types.AttributeValueMemberSS:
		return len(x.Value), true
	case *types.AttributeValueMemberNS:
		return len(x.Value), true
	case *types.AttributeValueMemberBS:
		return len(x.Value), true
	case *types.AttributeValueMemberL:
		return len(x.Value), true
	case *types.AttributeValueMemberM:
		return len(x.Value), true
	}
	return 0, false
}

// Filter node kinds.
const (
	fAnd        = "AND"
	fOr         = "OR"
	fNot        = "NOT"
	fCompare    = "compare"     // path op vals[0]
	fSize       = "size"        // size(path) op vals[0]
	fBetween    = "BETWEEN"     // path BETWEEN vals[0] AND vals[1]
	fIn         = "IN"          // path IN (vals...)
	fBeginsWith = "begins_with" // begins_with(path, vals[0])
	fContains   = "contains"    // contains(path, vals[0])
	fExists     = "attribute_exists"
	fNotExists  = "attribute_not_exists"
	fType       = "attribute_type" // attribute_type(path, vals[0])
)

// filterNode is one node of a generated FilterExpression.
type filterNode struct {
	kind string
	op   string // comparison operator of fCompare and fSize
	path string // a top-level attribute name
	vals []types.AttributeValue
	kids []*filterNode
}

// eval reports whether it satisfies f, by DynamoDB's rules: comparisons
// with a missing attribute or mismatched types are false, except "<>",
// which is NOT "=".
func (f *filterNode) eval(it item) bool {
	switch f.kind {
	case fAnd:
		return f.kids[0].eval(it) && f.kids[1].eval(it)
	case fOr:
		return f.kids[0].eval(it) || f.kids[1].eval(it)
	case fNot:
		return !f.kids[0].eval(it)
	case fExists, fNotExists:
		_, ok := it[f.path]
		return ok == (f.kind == fExists)
	}
	v, ok := it[f.path]
	if f.kind == fSize {
		n, sized := 0, false
		if ok {
			n, sized = sizeOf(v)
		}
		return evalCompare(f.op, &types.AttributeValueMemberN{Value: strconv.Itoa(n)}, sized, f.vals[0])
	}
	if f.kind == fCompare {
		return evalCompare(f.op, v, ok, f.vals[0])
	}
	return ok && f.evalFunc(v)
}

// evalCompare applies op to v (present when ok) and operand.
func evalCompare(op string, v types.AttributeValue, ok bool, operand types.AttributeValue) bool {
	switch op {
	case "=":
		return ok && equalValues(v, operand)
	case "<>":
		return !ok || !equalValues(v, operand)
	}
	if !ok {
		return false
	}
	c, comparable := compareScalars(v, operand)
	if !comparable {
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

// evalFunc evaluates the node kinds that need the attribute's value v.
func (f *filterNode) evalFunc(v types.AttributeValue) bool {
	switch f.kind {
	case fBetween:
		lo, ok1 := compareScalars(v, f.vals[0])
		hi, ok2 := compareScalars(v, f.vals[1])
		return ok1 && ok2 && lo >= 0 && hi <= 0
	case fIn:
		return slices.ContainsFunc(f.vals, func(w types.AttributeValue) bool { return equalValues(v, w) })
	case fBeginsWith:
		return beginsWith(v, f.vals[0])
	case fContains:
		return contains(v, f.vals[0])
	case fType:
		return typeOf(v) == f.vals[0].(*types.AttributeValueMemberS).Value
	}
	panic("model: unknown filter node " + f.kind)
}

func beginsWith(v, prefix types.AttributeValue) bool {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		p, ok := prefix.(*types.AttributeValueMemberS)
		return ok && strings.HasPrefix(x.Value, p.Value)
	case *types.AttributeValueMemberB:
		p, ok := prefix.(*types.AttributeValueMemberB)
		return ok && bytes.HasPrefix(x.Value, p.Value)
	}
	return false
}

// contains is contains() for an S or N operand: a substring of S, a member
// of SS or NS, an element of L.
func contains(v, operand types.AttributeValue) bool {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		s, ok := operand.(*types.AttributeValueMemberS)
		return ok && strings.Contains(x.Value, s.Value)
	case *types.AttributeValueMemberSS:
		s, ok := operand.(*types.AttributeValueMemberS)
		return ok && slices.Contains(x.Value, s.Value)
	case *types.AttributeValueMemberNS:
		n, ok := operand.(*types.AttributeValueMemberN)
		return ok && slices.ContainsFunc(x.Value, func(m string) bool { return rat(m).Cmp(rat(n.Value)) == 0 })
	case *types.AttributeValueMemberL:
		return slices.ContainsFunc(x.Value, func(e types.AttributeValue) bool { return equalValues(e, operand) })
	}
	return false
}

// exprParams collects the names and values a rendered expression uses.
type exprParams struct {
	names  map[string]string
	values map[string]types.AttributeValue
}

func newExprParams() *exprParams {
	return &exprParams{names: map[string]string{}, values: map[string]types.AttributeValue{}}
}

// name returns the placeholder of attribute name.
func (p *exprParams) name(name string) string {
	for k, v := range p.names {
		if v == name {
			return k
		}
	}
	k := "#n" + strconv.Itoa(len(p.names))
	p.names[k] = name
	return k
}

// value returns a new placeholder for v.
func (p *exprParams) value(v types.AttributeValue) string {
	k := ":v" + strconv.Itoa(len(p.values))
	p.values[k] = v
	return k
}

// nonEmptyValues returns the values, or nil when there are none (DynamoDB
// rejects an empty ExpressionAttributeValues).
func (p *exprParams) nonEmptyValues() map[string]types.AttributeValue {
	if len(p.values) == 0 {
		return nil
	}
	return p.values
}

// render writes f as FilterExpression text, every operand through p.
func (f *filterNode) render(p *exprParams) string {
	switch f.kind {
	case fAnd, fOr:
		return "(" + f.kids[0].render(p) + ") " + f.kind + " (" + f.kids[1].render(p) + ")"
	case fNot:
		return "NOT (" + f.kids[0].render(p) + ")"
	case fExists, fNotExists:
		return f.kind + "(" + p.name(f.path) + ")"
	case fCompare:
		return p.name(f.path) + " " + f.op + " " + p.value(f.vals[0])
	case fSize:
		return "size(" + p.name(f.path) + ") " + f.op + " " + p.value(f.vals[0])
	case fBetween:
		return p.name(f.path) + " BETWEEN " + p.value(f.vals[0]) + " AND " + p.value(f.vals[1])
	case fIn:
		vals := make([]string, len(f.vals))
		for i, v := range f.vals {
			vals[i] = p.value(v)
		}
		return p.name(f.path) + " IN (" + strings.Join(vals, ", ") + ")"
	}
	return f.kind + "(" + p.name(f.path) + ", " + p.value(f.vals[0]) + ")"
}

// runePrefix returns the first n runes of s.
func runePrefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
