package dynamodb

import (
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
)

// keyOperators are the legacy operators a KeyConditions entry may use.
var keyOperators = []string{"EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN"}

// legacyConditions translates a QueryFilter or ScanFilter (member names it
// in messages) and ConditionalOperator into a filter expression; "" when
// there are no conditions.
func legacyConditions(conds map[string]Condition, op, member string, a *expr.Attrs) (string, error) {
	parts, err := translateConditions(conds, member, a, nil)
	if err != nil {
		return "", err
	}
	join := ") AND ("
	if op == "OR" {
		join = ") OR ("
	}
	if len(parts) == 0 {
		return "", nil
	}
	return "(" + strings.Join(parts, join) + ")", nil
}

// keyConditionsExpression translates legacy KeyConditions into a key
// condition expression.
func keyConditionsExpression(conds map[string]Condition, a *expr.Attrs) (string, error) {
	parts, err := translateConditions(conds, "keyConditions", a, keyOperators)
	if err != nil {
		return "", err
	}
	return strings.Join(parts, " AND "), nil
}

// translateConditions renders each condition, in name order; allowed, when
// set, restricts the operators (key conditions).
func translateConditions(conds map[string]Condition, member string, a *expr.Attrs, allowed []string) ([]string, error) {
	names := make([]string, 0, len(conds))
	for n := range conds {
		names = append(names, n)
	}
	slices.Sort(names)
	var ce constraintErrors
	for _, n := range names {
		ce.checkEnum(conds[n].ComparisonOperator, member+"."+n+".member.comparisonOperator", comparisonOperators...)
		if conds[n].ComparisonOperator == "" {
			ce.addNull(member + "." + n + ".member.comparisonOperator")
		}
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	p := &placeholders{a: a}
	parts := make([]string, 0, len(names))
	for _, n := range names {
		c := conds[n]
		if allowed != nil && !slices.Contains(allowed, c.ComparisonOperator) {
			return nil, ErrValidation.New("Attempted conditional constraint is not an indexable operation")
		}
		part, err := comparison(p.name(n), c.ComparisonOperator, c.AttributeValueList, p)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
	}
	return parts, nil
}
