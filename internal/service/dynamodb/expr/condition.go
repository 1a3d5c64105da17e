package expr

import (
	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// Condition is a parsed ConditionExpression or FilterExpression with its
// placeholders substituted. It is immutable and safe for concurrent use.
type Condition struct {
	root *condNode
}

// String renders the condition fully parenthesized, with value placeholders
// by name and attribute names substituted.
func (c *Condition) String() string { return c.root.String() }

// ParseCondition parses a ConditionExpression.
func ParseCondition(s string, a *Attrs) (*Condition, error) {
	return parseConditionKind(s, a, kindCondition)
}

// ParseFilter parses a FilterExpression: the condition grammar, with errors
// naming FilterExpression.
func ParseFilter(s string, a *Attrs) (*Condition, error) {
	return parseConditionKind(s, a, kindFilter)
}

func parseConditionKind(s string, a *Attrs, kind exprKind) (*Condition, error) {
	root, err := parseConditionTree(s, a, kind)
	if err != nil {
		return nil, err
	}
	return &Condition{root: root}, nil
}

// parseConditionTree parses and validates a condition, returning the first
// error in DynamoDB's order: syntax, redundant parentheses, operator limits,
// function names, function placement, reserved words, placeholders, operand
// counts, distinct operands, operand types.
func parseConditionTree(s string, a *Attrs, kind exprKind) (*condNode, *Error) {
	p, err := newParser(s, kind)
	if err != nil {
		return nil, err
	}
	if err := p.checkUnknownTokens(); err != nil {
		return nil, err
	}
	it, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if err := p.expectEOF(); err != nil {
		return nil, err
	}
	root, err := p.asCond(it)
	if err != nil {
		return nil, err
	}
	if p.redundant {
		return nil, kind.invalid(msgRedundantParen)
	}
	for _, check := range []func(*condNode, exprKind, *Attrs) *Error{
		checkConditionLimits, checkConditionFunctionNames, checkMisusedFunctions,
		checkConditionReserved, resolveConditionPlaceholders, checkConditionOperandCounts,
		checkDistinctOperands, checkConditionTypes,
	} {
		if err := check(root, kind, a); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// item is what a condition parser step yields: a condition, or an operand
// that an enclosing step must still compare or accept as a function call.
type item struct {
	cond   *condNode
	op     *operand
	parens bool
}

// asCond turns it into a condition: a bare function call becomes a function
// condition; any other operand is a syntax error at the current token.
func (p *parser) asCond(it item) (*condNode, *Error) {
	switch {
	case it.cond != nil:
		return it.cond, nil
	case it.op.kind == opFunc:
		return &condNode{kind: condFunc, operands: []*operand{it.op}}, nil
	}
	return nil, p.syntaxError()
}

func (p *parser) parseOr() (item, *Error) {
	return p.parseBinary("OR", condOr, p.parseAnd)
}

func (p *parser) parseAnd() (item, *Error) {
	return p.parseBinary("AND", condAnd, p.parseNot)
}

// parseBinary parses operand (word self)? with right associativity.
func (p *parser) parseBinary(word string, kind condKind, next func() (item, *Error)) (item, *Error) {
	left, err := next()
	if err != nil || !p.isKeyword(word) {
		return left, err
	}
	l, err := p.asCond(left)
	if err != nil {
		return item{}, err
	}
	p.advance()
	right, err := p.parseBinary(word, kind, next)
	if err != nil {
		return item{}, err
	}
	r, err := p.asCond(right)
	if err != nil {
		return item{}, err
	}
	return item{cond: &condNode{kind: kind, left: l, right: r}}, nil
}

func (p *parser) parseNot() (item, *Error) {
	if !p.isKeyword("NOT") {
		return p.parsePrimary()
	}
	p.advance()
	inner, err := p.parseNot()
	if err != nil {
		return item{}, err
	}
	c, err := p.asCond(inner)
	if err != nil {
		return item{}, err
	}
	return item{cond: &condNode{kind: condNot, left: c}}, nil
}

// parsePrimary parses a parenthesized condition or operand, or a
// comparison, BETWEEN, IN or function call.
func (p *parser) parsePrimary() (item, *Error) {
	if !p.isPunct("(") {
		op, err := p.parseOperand()
		if err != nil {
			return item{}, err
		}
		return p.parseComparison(op)
	}
	p.advance()
	inner, err := p.parseOr()
	if err != nil {
		return item{}, err
	}
	if err := p.expectPunct(")"); err != nil {
		return item{}, err
	}
	if inner.cond != nil {
		if inner.parens {
			p.redundant = true
		}
		return item{cond: inner.cond, parens: true}, nil
	}
	p.markParens(inner.op)
	return p.parseComparison(inner.op)
}

var comparators = map[string]bool{"=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true}

// parseComparison parses what may follow a first operand.
func (p *parser) parseComparison(first *operand) (item, *Error) {
	t := p.cur()
	switch {
	case t.kind == tokPunct && comparators[t.text]:
		p.advance()
		second, err := p.parseOperand()
		if err != nil {
			return item{}, err
		}
		return item{cond: &condNode{kind: condCompare, op: t.text, operands: []*operand{first, second}}}, nil
	case p.isKeyword("BETWEEN"):
		return p.parseBetween(first)
	case p.isKeyword("IN"):
		return p.parseIn(first)
	}
	return item{op: first}, nil
}

func (p *parser) parseBetween(first *operand) (item, *Error) {
	p.advance()
	low, err := p.parseOperand()
	if err != nil {
		return item{}, err
	}
	if !p.isKeyword("AND") {
		return item{}, p.syntaxError()
	}
	p.advance()
	high, err := p.parseOperand()
	if err != nil {
		return item{}, err
	}
	return item{cond: &condNode{kind: condBetween, operands: []*operand{first, low, high}}}, nil
}

func (p *parser) parseIn(first *operand) (item, *Error) {
	p.advance()
	if err := p.expectPunct("("); err != nil {
		return item{}, err
	}
	ops := []*operand{first}
	for {
		op, err := p.parseOperand()
		if err != nil {
			return item{}, err
		}
		ops = append(ops, op)
		if !p.isPunct(",") {
			break
		}
		p.advance()
	}
	if err := p.expectPunct(")"); err != nil {
		return item{}, err
	}
	return item{cond: &condNode{kind: condIn, operands: ops}}, nil
}

// conditionFunctions maps each condition function to its operand count.
var conditionFunctions = map[string]int{
	"attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2,
	"begins_with": 2, "contains": 2, "size": 1,
}

func checkConditionLimits(root *condNode, kind exprKind, _ *Attrs) *Error {
	count := 0
	var inErr *Error
	countOps := func(c *condNode) {
		count++
		if c.kind == condIn && len(c.operands)-1 > maxInOperands && inErr == nil {
			inErr = kind.invalid("The IN operator is provided with too many operands; number of operands: %d", len(c.operands)-1)
		}
	}
	walkConditionNodes(root, countOps)
	root.walkOperands(func(o *operand, _ bool) *Error {
		if o.kind == opFunc {
			count++
		}
		return nil
	})
	if count > maxOperators {
		return kind.invalid("The expression contains too many operators; operator count: %d", count)
	}
	return inErr
}

// walkConditionNodes calls fn on every node, parents first.
func walkConditionNodes(c *condNode, fn func(*condNode)) {
	fn(c)
	if c.left != nil {
		walkConditionNodes(c.left, fn)
	}
	if c.right != nil {
		walkConditionNodes(c.right, fn)
	}
}

func checkConditionFunctionNames(root *condNode, kind exprKind, _ *Attrs) *Error {
	return root.walkOperands(func(o *operand, _ bool) *Error {
		if _, ok := conditionFunctions[o.fn]; o.kind == opFunc && !ok {
			return kind.invalid("Invalid function name; function: %s", o.fn)
		}
		return nil
	})
}

// checkMisusedFunctions allows only size() as an operand and forbids size()
// as a whole condition.
func checkMisusedFunctions(root *condNode, kind exprKind, _ *Attrs) *Error {
	return root.walkOperands(func(o *operand, top bool) *Error {
		if o.kind == opFunc && top == (o.fn == "size") {
			return kind.invalid("The function is not allowed to be used this way in an expression; function: %s", o.fn)
		}
		return nil
	})
}

func checkConditionReserved(root *condNode, kind exprKind, _ *Attrs) *Error {
	return root.walkOperands(func(o *operand, _ bool) *Error {
		if o.kind == opPath {
			return checkReservedPath(kind, o.path)
		}
		return nil
	})
}

func resolveConditionPlaceholders(root *condNode, kind exprKind, a *Attrs) *Error {
	return root.walkOperands(func(o *operand, _ bool) *Error {
		return resolveOperand(kind, o, a, true, true)
	})
}

func checkConditionOperandCounts(root *condNode, kind exprKind, _ *Attrs) *Error {
	return root.walkOperands(func(o *operand, _ bool) *Error {
		if want := conditionFunctions[o.fn]; o.kind == opFunc && len(o.args) != want {
			return kind.invalid("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", o.fn, len(o.args))
		}
		return nil
	})
}

// checkDistinctOperands rejects comparing a path with itself, as in a = a.
func checkDistinctOperands(root *condNode, kind exprKind, _ *Attrs) *Error {
	return root.walkConds(func(c *condNode) *Error {
		name, ops := c.op, c.operands
		switch c.kind {
		case condBetween:
			name = "BETWEEN"
		case condIn:
			name = "IN"
		case condFunc:
			name, ops = c.operands[0].fn, c.operands[0].args
		}
		if len(ops) < 2 || ops[0].kind != opPath {
			return nil
		}
		for _, o := range ops[1:] {
			if o.kind == opPath && o.path.equal(ops[0].path) {
				return kind.invalid("The first operand must be distinct from the remaining operands for this operator or function; operator: %s, first operand: %s", name, ops[0].path.errString())
			}
		}
		return nil
	})
}

func checkConditionTypes(root *condNode, kind exprKind, _ *Attrs) *Error {
	err := root.walkOperands(func(o *operand, _ bool) *Error {
		if o.kind != opFunc {
			return nil
		}
		return checkFunctionTypes(kind, o)
	})
	if err != nil {
		return err
	}
	return root.walkConds(func(c *condNode) *Error {
		if c.kind != condBetween {
			return nil
		}
		return checkBetweenBounds(kind, c.operands[1], c.operands[2])
	})
}

// staticKind is the type of o known at parse time: a value's kind, N for
// size(), or KindInvalid for a path.
func staticKind(o *operand) attr.Kind {
	switch {
	case o.kind == opValue:
		return o.value.Kind
	case o.kind == opFunc && o.fn == "size":
		return attr.N
	}
	return attr.KindInvalid
}

func checkFunctionTypes(kind exprKind, fn *operand) *Error {
	badType := func(k string) *Error {
		return kind.invalid("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", fn.fn, k)
	}
	switch fn.fn {
	case "attribute_exists", "attribute_not_exists":
		if fn.args[0].kind != opPath {
			return kind.invalid("Operator or function requires a document path; operator or function: %s", fn.fn)
		}
	case "attribute_type":
		return checkAttributeTypeArg(kind, fn.args[1], badType)
	case "begins_with":
		for _, a := range fn.args {
			if k := staticKind(a); k != attr.KindInvalid && k != attr.S && k != attr.B {
				return badType(k.String())
			}
		}
	case "size":
		if k := staticKind(fn.args[0]); k == attr.N || k == attr.BOOL || k == attr.NULL {
			return badType(k.String())
		}
	}
	return nil
}

// validTypeNames lists the names attribute_type accepts, in DynamoDB's order.
const validTypeNames = "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"

func checkAttributeTypeArg(kind exprKind, arg *operand, badType func(string) *Error) *Error {
	switch k := staticKind(arg); k {
	case attr.KindInvalid:
		return badType("{NS,SS,L,BS,N,M,B,BOOL,NULL,S}")
	case attr.S:
		if !isTypeName(arg.value.Str) {
			return kind.invalid("Invalid attribute type name found; type: %s, valid types: %s", arg.value.Str, validTypeNames)
		}
		return nil
	default:
		return badType(k.String())
	}
}

func isTypeName(s string) bool {
	switch s {
	case "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS":
		return true
	}
	return false
}

// checkBetweenBounds checks two literal bounds: same type, low <= high.
func checkBetweenBounds(kind exprKind, low, high *operand) *Error {
	if low.kind != opValue || high.kind != opValue {
		return nil
	}
	bounds := "lower bound operand: AttributeValue: " + describeValue(low.value) +
		", upper bound operand: AttributeValue: " + describeValue(high.value)
	if low.value.Kind != high.value.Kind {
		return kind.invalid("The BETWEEN operator requires same data type for lower and upper bounds; %s", bounds)
	}
	if c, ok := attr.Compare(low.value, high.value); ok && c > 0 {
		return kind.invalid("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; %s", bounds)
	}
	return nil
}
