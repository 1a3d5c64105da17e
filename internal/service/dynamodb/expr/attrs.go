package expr

import (
	"slices"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// Attrs carries a request's ExpressionAttributeNames and
// ExpressionAttributeValues and records which of them the request's
// expressions used. Parse every expression of a request with the same Attrs,
// then call CheckUnused. An Attrs is not safe for concurrent use.
type Attrs struct {
	// Names maps "#placeholder" to an attribute name.
	Names map[string]string
	// Values maps ":placeholder" to a value.
	Values map[string]attr.Value

	usedNames  map[string]bool
	usedValues map[string]bool
}

// name resolves a #placeholder, marking it used.
func (a *Attrs) name(ph string) (string, bool) {
	if a == nil {
		return "", false
	}
	n, ok := a.Names[ph]
	if ok {
		if a.usedNames == nil {
			a.usedNames = make(map[string]bool)
		}
		a.usedNames[ph] = true
	}
	return n, ok
}

// value resolves a :placeholder, marking it used.
func (a *Attrs) value(ph string) (attr.Value, bool) {
	if a == nil {
		return attr.Value{}, false
	}
	v, ok := a.Values[ph]
	if ok {
		if a.usedValues == nil {
			a.usedValues = make(map[string]bool)
		}
		a.usedValues[ph] = true
	}
	return v, ok
}

// CheckUnused reports names, then values, that no parsed expression used,
// with DynamoDB's message; keys are listed in sorted order.
func (a *Attrs) CheckUnused() error {
	if a == nil {
		return nil
	}
	if keys := unused(a.Names, a.usedNames); len(keys) > 0 {
		return &Error{msg: "Value provided in ExpressionAttributeNames unused in expressions: " + joinKeys(keys)}
	}
	if keys := unused(a.Values, a.usedValues); len(keys) > 0 {
		return &Error{msg: "Value provided in ExpressionAttributeValues unused in expressions: " + joinKeys(keys)}
	}
	return nil
}

func unused[V any](all map[string]V, used map[string]bool) []string {
	var keys []string
	for k := range all {
		if !used[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
