package expr

import (
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// PathElem is one step of a document path: a map key (or top-level
// attribute name) or, when IsIndex is set, a list index.
type PathElem struct {
	Name    string
	Index   int
	IsIndex bool

	placeholder string // "#n" when Name came from ExpressionAttributeNames
}

// Path is a document path such as a.b[2].c with placeholders substituted.
type Path []PathElem

// String renders the path in expression syntax, quoting names that are not
// plain identifiers.
func (p Path) String() string {
	var sb strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			sb.WriteString("[" + strconv.Itoa(e.Index) + "]")
		default:
			if i > 0 {
				sb.WriteByte('.')
			}
			sb.WriteString(quoteName(e.Name))
		}
	}
	return sb.String()
}

// errString renders the path as DynamoDB's messages do: [a, b, [2]].
func (p Path) errString() string {
	parts := make([]string, len(p))
	for i, e := range p {
		parts[i] = e.Name
		if e.IsIndex {
			parts[i] = "[" + strconv.Itoa(e.Index) + "]"
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (p Path) equal(q Path) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i].IsIndex != q[i].IsIndex || p[i].Name != q[i].Name || p[i].Index != q[i].Index {
			return false
		}
	}
	return true
}

func quoteName(name string) string {
	if name == "" || !isLetter(name[0]) || scanIDChars(name, 0) != len(name) {
		return strconv.Quote(name)
	}
	return name
}

// operandKind says what an operand node is.
type operandKind uint8

const (
	opPath  operandKind = iota
	opValue             // :placeholder, substituted
	opFunc              // function call: fn(args...)
	opArith             // update only: args[0] fn args[1], fn is "+" or "-"
)

// operand is a value-producing node.
type operand struct {
	kind        operandKind
	path        Path
	value       attr.Value
	placeholder string // opValue: ":v"
	fn          string // opFunc: the name; opArith: "+" or "-"
	args        []*operand
	parens      bool // written inside parentheses
}

func (o *operand) String() string {
	switch o.kind {
	case opPath:
		return o.path.String()
	case opValue:
		return o.placeholder
	case opArith:
		return o.args[0].String() + " " + o.fn + " " + o.args[1].String()
	}
	return o.fn + "(" + joinOperands(o.args, ", ") + ")"
}

func joinOperands(ops []*operand, sep string) string {
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = o.String()
	}
	return strings.Join(parts, sep)
}

// condKind says what a condition node is.
type condKind uint8

const (
	condCompare condKind = iota // operands[0] op operands[1]
	condBetween                 // operands[0] BETWEEN operands[1] AND operands[2]
	condIn                      // operands[0] IN (operands[1:]...)
	condFunc                    // operands[0] is a boolean function call
	condAnd
	condOr
	condNot // left only
)

// condNode is one node of a condition tree.
type condNode struct {
	kind        condKind
	op          string // condCompare: = <> < <= > >=
	operands    []*operand
	left, right *condNode
}

// String renders the node fully parenthesized so precedence is visible.
func (c *condNode) String() string {
	switch c.kind {
	case condCompare:
		return "(" + c.operands[0].String() + " " + c.op + " " + c.operands[1].String() + ")"
	case condBetween:
		return "(" + c.operands[0].String() + " BETWEEN " + c.operands[1].String() + " AND " + c.operands[2].String() + ")"
	case condIn:
		return "(" + c.operands[0].String() + " IN (" + joinOperands(c.operands[1:], ", ") + "))"
	case condFunc:
		return c.operands[0].String()
	case condAnd:
		return "(" + c.left.String() + " AND " + c.right.String() + ")"
	case condOr:
		return "(" + c.left.String() + " OR " + c.right.String() + ")"
	}
	return "(NOT " + c.left.String() + ")"
}

// walkOperands calls fn on every operand of the tree, depth first in source
// order, including function arguments; fn's result stops the walk when
// non-nil.
func (c *condNode) walkOperands(fn func(o *operand, inCondition bool) *Error) *Error {
	switch c.kind {
	case condAnd, condOr:
		if err := c.left.walkOperands(fn); err != nil {
			return err
		}
		return c.right.walkOperands(fn)
	case condNot:
		return c.left.walkOperands(fn)
	}
	for _, o := range c.operands {
		if err := walkOperand(o, c.kind == condFunc, fn); err != nil {
			return err
		}
	}
	return nil
}

// walkOperand calls fn on o and then on its arguments.
func walkOperand(o *operand, top bool, fn func(o *operand, top bool) *Error) *Error {
	if err := fn(o, top); err != nil {
		return err
	}
	for _, a := range o.args {
		if err := walkOperand(a, false, fn); err != nil {
			return err
		}
	}
	return nil
}

// walkConds calls fn on every leaf condition in source order.
func (c *condNode) walkConds(fn func(c *condNode) *Error) *Error {
	switch c.kind {
	case condAnd, condOr:
		if err := c.left.walkConds(fn); err != nil {
			return err
		}
		return c.right.walkConds(fn)
	case condNot:
		return c.left.walkConds(fn)
	}
	return fn(c)
}
