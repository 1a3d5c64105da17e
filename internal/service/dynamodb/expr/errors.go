package expr

import (
	"fmt"
	"strings"
)

// Error is a DynamoDB ValidationException raised by parsing or applying an
// expression.
type Error struct {
	msg string
}

// Error implements error.
func (e *Error) Error() string { return "expr: " + e.msg }

// ValidationMessage returns DynamoDB's exact ValidationException message.
func (e *Error) ValidationMessage() string { return e.msg }

// exprKind names the request parameter an expression came from; it prefixes
// most parse errors ("Invalid UpdateExpression: ...").
type exprKind string

const (
	kindCondition    exprKind = "ConditionExpression"
	kindUpdate       exprKind = "UpdateExpression"
	kindProjection   exprKind = "ProjectionExpression"
	kindKeyCondition exprKind = "KeyConditionExpression"
	kindFilter       exprKind = "FilterExpression"
)

// invalid returns "Invalid <kind>: <detail>".
func (k exprKind) invalid(format string, args ...any) *Error {
	return &Error{msg: "Invalid " + string(k) + ": " + fmt.Sprintf(format, args...)}
}

// Messages shared by several expression kinds.
const (
	msgEmpty          = "The expression can not be empty;"
	msgRedundantParen = "The expression has redundant parentheses;"
	maxExprBytes      = 4096
	maxOperators      = 300
	maxInOperands     = 100
)

// Runtime errors raised while applying an update to an item.
var (
	errMissingAttr = &Error{msg: "The provided expression refers to an attribute that does not exist in the item"}
	errInvalidPath = &Error{msg: "The document path provided in the update expression is invalid for update"}
	errOperandType = &Error{msg: "An operand in the update expression has an incorrect data type"}
)

func undefinedName(name string) string {
	return "An expression attribute name used in the document path is not defined; attribute name: " + name
}

func undefinedValue(name string) string {
	return "An expression attribute value used in expression is not defined; attribute value: " + name
}

func reservedWord(name string) string {
	return "Attribute name is a reserved keyword; reserved keyword: " + name
}

func pathsMessage(relation string, one, two Path) string {
	return "Two document paths " + relation + " with each other; must remove or rewrite one of these paths; path one: " +
		one.errString() + ", path two: " + two.errString()
}

func joinKeys(keys []string) string {
	return "keys: {" + strings.Join(keys, ", ") + "}"
}
