package expr

import (
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// actionKind is the clause an update action belongs to.
type actionKind uint8

const (
	actionSet actionKind = iota
	actionRemove
	actionAdd
	actionDelete
)

var actionWords = [...]string{"SET", "REMOVE", "ADD", "DELETE"}

// action is one comma-separated item of an update clause.
type action struct {
	kind  actionKind
	path  Path
	value *operand // SET: the value expression; ADD, DELETE: the :value
}

func (a *action) String() string {
	switch a.kind {
	case actionSet:
		return "SET " + a.path.String() + " = " + a.value.String()
	case actionRemove:
		return "REMOVE " + a.path.String()
	}
	return actionWords[a.kind] + " " + a.path.String() + " " + a.value.String()
}

// Update is a parsed UpdateExpression with its placeholders substituted. It
// is immutable and safe for concurrent use.
type Update struct {
	actions []*action
}

// String renders one action per line in source order.
func (u *Update) String() string {
	lines := make([]string, len(u.actions))
	for i, a := range u.actions {
		lines[i] = a.String()
	}
	return strings.Join(lines, "\n")
}

// ParseUpdate parses an UpdateExpression, returning the first error in
// DynamoDB's order: syntax, redundant parentheses, reserved words, function
// names, repeated clauses, names, values, overlapping paths, ADD/DELETE
// operand types, then function operands.
func ParseUpdate(s string, a *Attrs) (*Update, error) {
	u, err := parseUpdate(s, a)
	if err != nil {
		return nil, err
	}
	return u, nil
}

func parseUpdate(s string, a *Attrs) (*Update, *Error) {
	p, err := newParser(s, kindUpdate)
	if err != nil {
		return nil, err
	}
	if err := p.checkUnknownTokens(); err != nil {
		return nil, err
	}
	u := &Update{}
	var clauses []actionKind
	for p.cur().kind != tokEOF {
		kind, err := p.parseClauseWord()
		if err != nil {
			return nil, err
		}
		clauses = append(clauses, kind)
		if err := p.parseActions(kind, u); err != nil {
			return nil, err
		}
	}
	if p.redundant {
		return nil, kindUpdate.invalid(msgRedundantParen)
	}
	if err := validateUpdate(u, clauses, a); err != nil {
		return nil, err
	}
	return u, nil
}

func (p *parser) parseClauseWord() (actionKind, *Error) {
	if t := p.cur(); t.kind == tokKeyword {
		for i, w := range actionWords {
			if t.word == w {
				p.advance()
				return actionKind(i), nil
			}
		}
	}
	return 0, p.syntaxError()
}

func (p *parser) parseActions(kind actionKind, u *Update) *Error {
	for {
		act, err := p.parseAction(kind)
		if err != nil {
			return err
		}
		u.actions = append(u.actions, act)
		if !p.isPunct(",") {
			return nil
		}
		p.advance()
	}
}

func (p *parser) parseAction(kind actionKind) (*action, *Error) {
	path, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	act := &action{kind: kind, path: path}
	switch kind {
	case actionSet:
		if err := p.expectPunct("="); err != nil {
			return nil, err
		}
		act.value, err = p.parseSetValue()
	case actionAdd, actionDelete:
		t := p.cur()
		if t.kind != tokValue {
			return nil, p.syntaxError()
		}
		p.advance()
		act.value = &operand{kind: opValue, placeholder: t.text}
	}
	return act, err
}

// parseSetValue parses operand, operand + operand, operand - operand, or a
// parenthesized form of either.
func (p *parser) parseSetValue() (*operand, *Error) {
	var left *operand
	if p.isPunct("(") {
		p.advance()
		inner, err := p.parseSetValue()
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct(")"); err != nil {
			return nil, err
		}
		p.markParens(inner)
		if inner.kind == opArith {
			return inner, nil
		}
		left = inner
	} else {
		var err *Error
		if left, err = p.parseOperand(); err != nil {
			return nil, err
		}
	}
	if !p.isPunct("+") && !p.isPunct("-") {
		return left, nil
	}
	op := p.cur().text
	p.advance()
	right, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	return &operand{kind: opArith, fn: op, args: []*operand{left, right}}, nil
}

// updateFunctions maps each update function to its operand count.
var updateFunctions = map[string]int{"if_not_exists": 2, "list_append": 2}

func validateUpdate(u *Update, clauses []actionKind, a *Attrs) *Error {
	for _, check := range []func(*Update) *Error{checkUpdateLimits, checkUpdateReserved, checkUpdateFunctionNames} {
		if err := check(u); err != nil {
			return err
		}
	}
	if err := checkClausesOnce(clauses); err != nil {
		return err
	}
	if err := resolveUpdate(u, a, true, false); err != nil {
		return err
	}
	if err := resolveUpdate(u, a, false, true); err != nil {
		return err
	}
	if err := checkPathSet(kindUpdate, u.Paths()); err != nil {
		return err
	}
	if err := checkAddDeleteTypes(u); err != nil {
		return err
	}
	return checkUpdateFunctions(u)
}

// walkUpdateOperands calls fn on every operand of every action, in order.
func walkUpdateOperands(u *Update, fn func(o *operand) *Error) *Error {
	for _, act := range u.actions {
		if act.value == nil {
			continue
		}
		if err := walkOperand(act.value, false, func(o *operand, _ bool) *Error { return fn(o) }); err != nil {
			return err
		}
	}
	return nil
}

func checkUpdateLimits(u *Update) *Error {
	count := 0
	walkUpdateOperands(u, func(o *operand) *Error {
		if o.kind == opFunc || o.kind == opArith {
			count++
		}
		return nil
	})
	if count > maxOperators {
		return kindUpdate.invalid("The expression contains too many operators; operator count: %d", count)
	}
	return nil
}

func checkUpdateReserved(u *Update) *Error {
	for _, act := range u.actions {
		if err := checkReservedPath(kindUpdate, act.path); err != nil {
			return err
		}
		if act.value == nil {
			continue
		}
		err := walkOperand(act.value, false, func(o *operand, _ bool) *Error {
			if o.kind == opPath {
				return checkReservedPath(kindUpdate, o.path)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func checkUpdateFunctionNames(u *Update) *Error {
	return walkUpdateOperands(u, func(o *operand) *Error {
		if _, ok := updateFunctions[o.fn]; o.kind == opFunc && !ok {
			return kindUpdate.invalid("Invalid function name; function: %s", o.fn)
		}
		return nil
	})
}

func checkClausesOnce(clauses []actionKind) *Error {
	var seen [len(actionWords)]bool
	for _, c := range clauses {
		if seen[c] {
			return kindUpdate.invalid("The \"%s\" section can only be used once in an update expression;", actionWords[c])
		}
		seen[c] = true
	}
	return nil
}

// resolveUpdate substitutes names or values in source order.
func resolveUpdate(u *Update, a *Attrs, names, values bool) *Error {
	for _, act := range u.actions {
		if names {
			if err := resolveNames(kindUpdate, act.path, a); err != nil {
				return err
			}
		}
		if act.value == nil {
			continue
		}
		err := walkOperand(act.value, false, func(o *operand, _ bool) *Error {
			return resolveOperand(kindUpdate, o, a, names, values)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// longTypeNames are the type names ADD and DELETE errors use.
var longTypeNames = map[attr.Kind]string{
	attr.S: "STRING", attr.N: "NUMBER", attr.B: "BINARY", attr.BOOL: "BOOLEAN",
	attr.NULL: "NULL", attr.L: "LIST", attr.M: "MAP",
}

func checkAddDeleteTypes(u *Update) *Error {
	for _, act := range u.actions {
		if act.kind != actionAdd && act.kind != actionDelete {
			continue
		}
		k := act.value.value.Kind
		if k.IsSet() || (act.kind == actionAdd && k == attr.N) {
			continue
		}
		return kindUpdate.invalid("Incorrect operand type for operator or function; operator: %s, operand type: %s", actionWords[act.kind], longTypeNames[k])
	}
	return nil
}

func checkUpdateFunctions(u *Update) *Error {
	return walkUpdateOperands(u, func(o *operand) *Error {
		switch o.kind {
		case opFunc:
			if len(o.args) != updateFunctions[o.fn] {
				return kindUpdate.invalid("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", o.fn, len(o.args))
			}
			if o.fn == "if_not_exists" && o.args[0].kind != opPath {
				return kindUpdate.invalid("Operator or function requires a document path; operator or function: %s", o.fn)
			}
			if o.fn == "list_append" {
				return checkLiteralKinds(o, attr.L)
			}
		case opArith:
			return checkLiteralKinds(o, attr.N)
		}
		return nil
	})
}

// checkLiteralKinds requires every :value argument of o to be of kind want.
func checkLiteralKinds(o *operand, want attr.Kind) *Error {
	for _, a := range o.args {
		if a.kind == opValue && a.value.Kind != want {
			return kindUpdate.invalid("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", o.fn, a.value.Kind)
		}
	}
	return nil
}

// Paths returns the document paths the update writes or removes, in source
// order.
func (u *Update) Paths() []Path {
	paths := make([]Path, len(u.actions))
	for i, a := range u.actions {
		paths[i] = a.path
	}
	return paths
}

// TopLevelNames returns the distinct top-level attributes the update
// writes or removes, in source order, so the service can reject key updates.
func (u *Update) TopLevelNames() []string {
	var names []string
	seen := make(map[string]bool)
	for _, a := range u.actions {
		if n := a.path[0].Name; !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return names
}
