package dynamodb

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/storage"
)

// Enumerations shared by the item operations, in the order AWS lists them.
var (
	returnValuesEnum     = []string{"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"}
	onFailureEnum        = []string{"ALL_OLD", "NONE"}
	consumedCapacityEnum = []string{"INDEXES", "TOTAL", "NONE"}
	collectionEnum       = []string{"SIZE", "NONE"}
	conditionalOpEnum    = []string{"AND", "OR"}
)

// paramUse says which expression and legacy parameters a request set, for
// the rules on mixing them.
type paramUse struct {
	exprs      []string // expression parameters set, in AWS's order
	legacy     []string // legacy (non-expression) parameters set
	valueExprs []string // all of the operation's expression parameters that take values
	valueSet   bool     // whether any of valueExprs is set
}

// addExpr records an expression parameter when set.
func (u *paramUse) addExpr(name string, set, takesValues bool) {
	if takesValues {
		u.valueExprs = append(u.valueExprs, name)
		u.valueSet = u.valueSet || set
	}
	if set {
		u.exprs = append(u.exprs, name)
	}
}

// addLegacy records a legacy parameter when set.
func (u *paramUse) addLegacy(name string, set bool) {
	if set {
		u.legacy = append(u.legacy, name)
	}
}

// check applies AWS's rules on expression parameters, names and values.
func (u *paramUse) check(names map[string]string, values map[string]attr.Value) error {
	if len(u.exprs) > 0 && len(u.legacy) > 0 {
		return ErrValidation.New("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {" +
			strings.Join(u.legacy, ", ") + "} Expression parameters: {" + strings.Join(u.exprs, ", ") + "}")
	}
	if names != nil && len(u.exprs) == 0 {
		return ErrValidation.New("ExpressionAttributeNames can only be specified when using expressions")
	}
	if values != nil && len(u.valueExprs) > 0 && !u.valueSet {
		verb := " is null"
		if len(u.valueExprs) > 1 {
			verb = " are null"
		}
		return ErrValidation.New("ExpressionAttributeValues can only be specified when using expressions: " + strings.Join(u.valueExprs, " and ") + verb)
	}
	if names != nil && len(names) == 0 {
		return ErrValidation.New("ExpressionAttributeNames must not be empty")
	}
	for k := range names {
		if !validPlaceholder(k, '#') {
			return ErrValidation.New(`ExpressionAttributeNames contains invalid key: Syntax error; key: "` + k + `"`)
		}
	}
	if values != nil && len(values) == 0 {
		return ErrValidation.New("ExpressionAttributeValues must not be empty")
	}
	for k := range values {
		if !validPlaceholder(k, ':') {
			return ErrValidation.New(`ExpressionAttributeValues contains invalid key: Syntax error; key: "` + k + `"`)
		}
	}
	return nil
}

// validPlaceholder reports whether k is lead followed by one or more [0-9a-zA-Z_].
func validPlaceholder(k string, lead byte) bool {
	if len(k) < 2 || k[0] != lead {
		return false
	}
	for i := 1; i < len(k); i++ {
		c := k[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}

// exprError converts an expr or attr validation error into a ValidationException.
func exprError(err error) error {
	var vm interface{ ValidationMessage() string }
	if errors.As(err, &vm) {
		return ErrValidation.Wrap(err, vm.ValidationMessage())
	}
	return err
}

// writeOptions are the validated response options of a write.
type writeOptions struct {
	returnValues string
	onFailure    string
	capacity     string
	cond         *expr.Condition
}

// checkConditionalWrite checks the parameters PutItem and DeleteItem share:
// a ConditionExpression or the legacy Expected (not both), the placeholders
// they use, and the ReturnValues-style enums.
func checkConditionalWrite(c *writeCommon) error {
	use := paramUse{}
	use.addExpr("ConditionExpression", c.ConditionExpression != nil, true)
	use.addLegacy("Expected", c.Expected != nil)
	if err := use.check(c.ExpressionAttributeNames, c.ExpressionAttributeValues); err != nil {
		return err
	}
	return checkWriteEnums(c)
}

// checkWriteEnums applies the enum constraints of the members writes share.
func checkWriteEnums(c *writeCommon) error {
	var ce constraintErrors
	ce.checkTableName(tableNameOf(c.TableName), "tableName")
	ce.checkEnum(c.ReturnValues, "returnValues", returnValuesEnum...)
	ce.checkEnum(c.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", onFailureEnum...)
	ce.checkEnum(c.ReturnConsumedCapacity, "returnConsumedCapacity", consumedCapacityEnum...)
	ce.checkEnum(c.ReturnItemCollectionMetrics, "returnItemCollectionMetrics", collectionEnum...)
	ce.checkEnum(c.ConditionalOperator, "conditionalOperator", conditionalOpEnum...)
	return ce.err()
}

// parseWriteCondition parses the request's condition (ConditionExpression or
// legacy Expected) into opts.cond, using a.
func parseWriteCondition(c *writeCommon, a *expr.Attrs, opts *writeOptions) error {
	src := ""
	switch {
	case c.ConditionExpression != nil:
		src = *c.ConditionExpression
	case c.Expected != nil:
		s, err := expectedCondition(c.Expected, c.ConditionalOperator, a)
		if err != nil || s == "" {
			return err
		}
		src = s
	default:
		return nil
	}
	cond, err := expr.ParseCondition(src, a)
	if err != nil {
		return exprError(err)
	}
	opts.cond = cond
	return nil
}

// checkCondition evaluates the write's condition against the stored item
// (nil when absent), returning ConditionalCheckFailedException when false.
func (o *writeOptions) checkCondition(old attr.Item) error {
	if o.cond == nil {
		return nil
	}
	ok, err := o.cond.Eval(old)
	if err != nil {
		return exprError(err)
	}
	if ok {
		return nil
	}
	e := ErrConditionalCheckFailed.New(msgConditionFailed)
	if o.onFailure == "ALL_OLD" && old != nil {
		e = e.With("Item", old)
	}
	return e
}

// noTable maps loadTable's missing-table error to the item operations' error.
func noTable(err error) error {
	if errors.Is(err, errNoTable) {
		return ErrResourceNotFound.New(msgResourceNotFound)
	}
	return err
}

// readItem returns the item stored at key, or nil when there is none.
func readItem(r storage.ReadTx, key []byte) (attr.Item, error) {
	raw, err := r.Get(key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dynamodb: read item: %w", err)
	}
	var it attr.Item
	if err := it.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("dynamodb: decode item: %w", err)
	}
	return it, nil
}

// replaceItem is the one place an item changes: it replaces old (nil when
// there was none) with new (nil to delete) at key, inside tx. Everything that
// must change in the same transaction as the item (secondary indexes, stream
// records) is written here, so no write path can forget it.
func (t *table) replaceItem(tx storage.Tx, key []byte, old, new attr.Item) error {
	if err := t.updateIndexes(tx, old, new); err != nil {
		return err
	}
	if new == nil {
		if old == nil {
			return nil
		}
		if err := tx.Delete(key); err != nil {
			return fmt.Errorf("dynamodb: delete item: %w", err)
		}
		return nil
	}
	raw, err := new.MarshalJSON()
	if err != nil {
		return fmt.Errorf("dynamodb: encode item: %w", err)
	}
	if err := tx.Set(key, raw); err != nil {
		return fmt.Errorf("dynamodb: write item: %w", err)
	}
	return nil
}

// writeUnits is the write capacity of replacing old with new: one unit per
// KB of the larger item, rounded up, at least one.
func writeUnits(old, new attr.Item) float64 {
	size := max(attr.ItemSize(old), attr.ItemSize(new))
	return max(1, math.Ceil(float64(size)/1024))
}

// readUnits is the read capacity of reading item: one unit per 4 KB, rounded
// up, at least one; half that for an eventually consistent read.
func readUnits(item attr.Item, consistent bool) float64 {
	units := max(1, math.Ceil(float64(attr.ItemSize(item))/4096))
	if !consistent {
		units /= 2
	}
	return units
}

// consumedCapacity returns the ConsumedCapacity member for mode (nil for
// NONE or unset).
func consumedCapacity(mode, tableName string, units float64) *ConsumedCapacity {
	switch mode {
	case "TOTAL":
		return &ConsumedCapacity{TableName: tableName, CapacityUnits: units}
	case "INDEXES":
		return &ConsumedCapacity{TableName: tableName, CapacityUnits: units, Table: &Capacity{CapacityUnits: units}}
	}
	return nil
}

// nonEmpty returns it, or nil when it has no attributes, so that an empty
// Attributes member is left out of the response.
func nonEmpty(it attr.Item) attr.Item {
	if len(it) == 0 {
		return nil
	}
	return it
}
