package dynamodb

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
)

// This file translates the legacy parameters (Expected, AttributeUpdates,
// AttributesToGet) into expression strings over generated placeholders, so
// that one evaluator (package expr) serves both styles. Legacy and expression
// parameters cannot be mixed, so the generated placeholders never collide
// with the caller's.

// comparisonOperators lists the legacy ComparisonOperator values in AWS's order.
var comparisonOperators = []string{"EQ", "NE", "IN", "LE", "LT", "GE", "GT", "BETWEEN", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH"}

// comparisonSymbols maps the binary legacy operators to expression syntax.
var comparisonSymbols = map[string]string{"EQ": " = ", "NE": " <> ", "LE": " <= ", "LT": " < ", "GE": " >= ", "GT": " > "}

// placeholders allocates generated #name and :value placeholders in an expr.Attrs.
type placeholders struct {
	a *expr.Attrs
}

// name returns a placeholder for attribute name.
func (p *placeholders) name(name string) string {
	if p.a.Names == nil {
		p.a.Names = map[string]string{}
	}
	ph := "#l" + strconv.Itoa(len(p.a.Names))
	p.a.Names[ph] = name
	return ph
}

// value returns a placeholder for v.
func (p *placeholders) value(v attr.Value) string {
	if p.a.Values == nil {
		p.a.Values = map[string]attr.Value{}
	}
	ph := ":l" + strconv.Itoa(len(p.a.Values))
	p.a.Values[ph] = v
	return ph
}

// expectedCondition translates Expected and ConditionalOperator into a
// condition expression; "" when there is nothing to check.
func expectedCondition(expected map[string]ExpectedAttributeValue, op string, a *expr.Attrs) (string, error) {
	names := make([]string, 0, len(expected))
	for n := range expected {
		names = append(names, n)
	}
	slices.Sort(names)
	p := &placeholders{a: a}
	parts := make([]string, 0, len(names))
	for _, n := range names {
		part, err := expectedPart(n, expected[n], p)
		if err != nil {
			return "", err
		}
		parts = append(parts, "("+part+")")
	}
	join := " AND "
	if op == "OR" {
		join = " OR "
	}
	return strings.Join(parts, join), nil
}

// expectedPart translates one Expected entry.
func expectedPart(name string, e ExpectedAttributeValue, p *placeholders) (string, error) {
	if e.Value != nil && e.AttributeValueList != nil {
		return "", invalidParams("Value and AttributeValueList cannot be used together for Attribute: " + name)
	}
	if e.ComparisonOperator == "" {
		return existsPart(name, e, p)
	}
	if e.Exists != nil {
		return "", invalidParams("Exists and ComparisonOperator cannot be used together for Attribute: " + name)
	}
	if !slices.Contains(comparisonOperators, e.ComparisonOperator) {
		var ce constraintErrors
		ce.checkEnum(e.ComparisonOperator, "expected."+name+".member.comparisonOperator", comparisonOperators...)
		return "", ce.err()
	}
	args := e.AttributeValueList
	if e.Value != nil {
		args = []attr.Value{*e.Value}
	}
	if args == nil && e.ComparisonOperator != "NULL" && e.ComparisonOperator != "NOT_NULL" {
		return "", invalidParams("Value or AttributeValueList must be used with ComparisonOperator: " + e.ComparisonOperator + " for Attribute: " + name)
	}
	return comparison(p.name(name), e.ComparisonOperator, args, p)
}

// existsPart translates an Expected entry without ComparisonOperator.
func existsPart(name string, e ExpectedAttributeValue, p *placeholders) (string, error) {
	if e.AttributeValueList != nil {
		return "", invalidParams("AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name)
	}
	exists := e.Exists == nil || *e.Exists
	if exists && e.Value == nil {
		state := "null"
		if e.Exists != nil {
			state = "true"
		}
		return "", invalidParams("Value must be provided when Exists is " + state + " for Attribute: " + name)
	}
	if !exists {
		if e.Value != nil {
			return "", invalidParams("Value cannot be used when Exists is false for Attribute: " + name)
		}
		return "attribute_not_exists(" + p.name(name) + ")", nil
	}
	return p.name(name) + " = " + p.value(*e.Value), nil
}

// comparison renders one legacy ComparisonOperator over the attribute
// placeholder n and its arguments.
func comparison(n, op string, args []attr.Value, p *placeholders) (string, error) {
	if !argCountOK(op, len(args)) {
		return "", invalidParams("Invalid number of argument(s) for the " + op + " ComparisonOperator")
	}
	for _, v := range args[min(1, len(args)):] {
		if v.Kind != args[0].Kind {
			return "", invalidParams("AttributeValues inside AttributeValueList must be of same type")
		}
	}
	if op == "BETWEEN" {
		if c, ok := attr.Compare(args[0], args[1]); ok && c > 0 {
			return "", ErrValidation.New("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
		}
	}
	switch op {
	case "NULL":
		return "attribute_not_exists(" + n + ")", nil
	case "NOT_NULL":
		return "attribute_exists(" + n + ")", nil
	case "CONTAINS":
		return "contains(" + n + ", " + p.value(args[0]) + ")", nil
	case "NOT_CONTAINS":
		return "attribute_exists(" + n + ") AND NOT contains(" + n + ", " + p.value(args[0]) + ")", nil
	case "BEGINS_WITH":
		return "begins_with(" + n + ", " + p.value(args[0]) + ")", nil
	case "BETWEEN":
		return n + " BETWEEN " + p.value(args[0]) + " AND " + p.value(args[1]), nil
	case "IN":
		vals := make([]string, len(args))
		for i, v := range args {
			vals[i] = p.value(v)
		}
		return n + " IN (" + strings.Join(vals, ", ") + ")", nil
	}
	return n + comparisonSymbols[op] + p.value(args[0]), nil
}

// argCountOK reports whether op takes n arguments.
func argCountOK(op string, n int) bool {
	switch op {
	case "NULL", "NOT_NULL":
		return n == 0
	case "IN":
		return n > 0
	case "BETWEEN":
		return n == 2
	}
	return n == 1
}

// attributeUpdatesExpression translates AttributeUpdates into an update
// expression; "" when there are no updates.
func attributeUpdatesExpression(updates map[string]AttributeValueUpdate, a *expr.Attrs) (string, error) {
	names := make([]string, 0, len(updates))
	for n := range updates {
		names = append(names, n)
	}
	slices.Sort(names)
	p := &placeholders{a: a}
	clauses := map[string][]string{}
	for _, n := range names {
		clause, action, err := attributeUpdate(n, updates[n], p)
		if err != nil {
			return "", err
		}
		clauses[clause] = append(clauses[clause], action)
	}
	var sb strings.Builder
	for _, clause := range []string{"SET", "REMOVE", "ADD", "DELETE"} {
		if acts := clauses[clause]; len(acts) > 0 {
			sb.WriteString(clause + " " + strings.Join(acts, ", ") + " ")
		}
	}
	return strings.TrimSpace(sb.String()), nil
}

// attributeUpdate translates one AttributeUpdates entry into an update
// clause keyword and its action.
func attributeUpdate(name string, u AttributeValueUpdate, p *placeholders) (clause, action string, err error) {
	var ce constraintErrors
	ce.checkEnum(u.Action, "attributeUpdates."+name+".member.action", "ADD", "PUT", "DELETE")
	if err := ce.err(); err != nil {
		return "", "", err
	}
	if u.Value == nil {
		if u.Action != "DELETE" {
			return "", "", invalidParams("Only DELETE action is allowed when no attribute value is specified")
		}
		return "REMOVE", p.name(name), nil
	}
	kind := u.Value.Kind
	switch u.Action {
	case "DELETE":
		if !kind.IsSet() {
			return "", "", invalidParams("DELETE action with value is not supported for the type " + kind.String())
		}
		return "DELETE", p.name(name) + " " + p.value(*u.Value), nil
	case "ADD":
		if kind == attr.L {
			n := p.name(name)
			return "SET", n + " = list_append(if_not_exists(" + n + ", " + p.value(attr.NewL()) + "), " + p.value(*u.Value) + ")", nil
		}
		if kind != attr.N && !kind.IsSet() {
			return "", "", invalidParams("ADD action is not supported for the type " + kind.String())
		}
		return "ADD", p.name(name) + " " + p.value(*u.Value), nil
	}
	return "SET", p.name(name) + " = " + p.value(*u.Value), nil
}

// attributesToGetProjection translates AttributesToGet into a projection
// expression, rejecting duplicates as AWS does.
func attributesToGetProjection(names []string, a *expr.Attrs) (string, error) {
	p := &placeholders{a: a}
	seen := make(map[string]bool, len(names))
	phs := make([]string, len(names))
	for i, n := range names {
		if seen[n] {
			return "", invalidParams("Duplicate value in attribute name: " + n)
		}
		seen[n] = true
		phs[i] = p.name(n)
	}
	return strings.Join(phs, ", "), nil
}
