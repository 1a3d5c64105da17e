package dynamodb

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// Limits and messages of the batch and transaction operations.
const (
	maxBatchGetKeys     = 100
	maxBatchWrites      = 25
	maxTransactItems    = 100
	maxBatchGetBytes    = 16 << 20
	maxTransactBytes    = 4 << 20
	maxRequestTokenLen  = 36
	msgBatchDuplicates  = "Provided list of item keys contains duplicates"
	msgTransactSameItem = "Transaction request cannot include multiple operations on one item"
	msgEmptyRequest     = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
	coralModelPrefix    = "com.amazonaws.dynamodb.v20120810."
	tableNameRules      = "[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: " + tableNamePattern + "]"
)

// sortedNames returns m's keys in order, so that validation messages and
// outputs do not depend on map iteration order.
func sortedNames[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkRequestItems records the constraint violations of a RequestItems map
// as a whole: null, empty, or a table name breaking the name rules. rendered
// is the map as Coral prints it.
func (c *constraintErrors) checkRequestItems(isNil bool, names []string, rendered string) {
	switch {
	case isNil:
		c.addNull("requestItems")
		return
	case len(names) == 0:
		c.add("'{}'", "requestItems", "Member must have length greater than or equal to 1")
		return
	}
	for _, n := range names {
		if n := tableNameOf(n); !validName(n) || len(n) < 3 || len(n) > 255 {
			c.add("'"+rendered+"'", "requestItems", "Map keys must satisfy constraint: "+tableNameRules)
			return
		}
	}
}

// checkListLength records a violation when a list member's length n is
// outside [1, limit].
func (c *constraintErrors) checkListLength(n, limit int, rendered, member string) {
	switch {
	case n == 0:
		c.add("'[]'", member, "Member must have length greater than or equal to 1")
	case n > limit:
		c.add("'"+rendered+"'", member, "Member must have length less than or equal to "+strconv.Itoa(limit))
	}
}

// javaObjects renders n model objects of a type as Java's List.toString
// prints them ("[com.amazonaws...Type@1a2b3c4d, ...]"), which is how Coral
// quotes list values in validation messages. The hashes are stable stand-ins
// for Java's identity hashes.
func javaObjects(typ, seed string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = javaObject(typ, seed+"/"+strconv.Itoa(i))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// javaObject renders one model object as Java's Object.toString prints it.
func javaObject(typ, seed string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(seed)) // hash.Hash.Write never fails
	return coralModelPrefix + typ + "@" + strconv.FormatUint(uint64(h.Sum32()), 16)
}

// javaMap renders a RequestItems map as Java's Map.toString prints it, each
// value rendered by value.
func javaMap(names []string, value func(name string) string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + value(n)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// capacityTotals sums consumed capacity per table, in table-name order.
type capacityTotals map[string]float64

// list returns the ConsumedCapacity member for mode, nil for NONE or unset.
func (c capacityTotals) list(mode string) []ConsumedCapacity {
	if mode != "TOTAL" && mode != "INDEXES" {
		return nil
	}
	out := make([]ConsumedCapacity, 0, len(c))
	for _, name := range sortedNames(c) {
		out = append(out, *consumedCapacity(mode, name, c[name]))
	}
	return out
}

// seenKeys detects a second request for the same item across one batch or
// transaction. Storage keys embed the table's id, so one set serves every
// table.
type seenKeys map[string]bool

// add records key, reporting whether it was new.
func (s seenKeys) add(key []byte) bool {
	if s[string(key)] {
		return false
	}
	s[string(key)] = true
	return true
}

// transactionCanceled returns the TransactionCanceledException for reasons,
// its message listing their codes in order.
func transactionCanceled(reasons []CancellationReason) *apierr.Error {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	e := ErrTransactionCanceled.New(fmt.Sprintf("Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", strings.Join(codes, ", ")))
	e.MessageField = "Message"
	return e.With("CancellationReasons", reasons)
}

// cancellationReason turns an action's evaluation error into its reason:
// ConditionalCheckFailed (with the item when the action asked for it) or
// ValidationError. ok is false for any other error, which aborts the whole
// request instead.
func cancellationReason(err error) (r CancellationReason, ok bool) {
	e, isAPI := apierr.As(err)
	switch {
	case !isAPI:
		return r, false
	case ErrConditionalCheckFailed.Is(err):
		r = CancellationReason{Code: "ConditionalCheckFailed", Message: e.Message}
		r.Item, _ = e.Fields["Item"].(attr.Item)
		return r, true
	case ErrValidation.Is(err):
		return CancellationReason{Code: "ValidationError", Message: e.Message}, true
	}
	return r, false
}
