package partiql

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// maxDepth bounds expression nesting, so hostile input cannot exhaust the stack.
const maxDepth = 100

// ParseError is a statement that is not well formed. Msg is worded for the
// "Statement wasn't well formed, can't be processed: " message.
type ParseError struct {
	// Pos is the byte offset of the offending token.
	Pos int
	// Msg describes the problem.
	Msg string
}

// Error returns the error with its position.
func (e *ParseError) Error() string { return fmt.Sprintf("partiql: %s at offset %d", e.Msg, e.Pos) }

// keywords are the reserved words this parser knows; they cannot be bare
// attribute names (double-quote them instead).
var keywords = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "INSERT": true, "INTO": true, "VALUE": true,
	"UPDATE": true, "SET": true, "REMOVE": true, "DELETE": true, "AND": true, "OR": true,
	"NOT": true, "BETWEEN": true, "IN": true, "IS": true, "MISSING": true, "NULL": true,
	"TRUE": true, "FALSE": true,
}

// comparisons are the binary comparison operators; "!=" is normalized to "<>".
var comparisons = map[string]bool{"=": true, "<>": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

// parser is a recursive-descent parser over the lexed tokens.
type parser struct {
	toks   []token
	pos    int
	params int
	depth  int
}

// Parse parses one statement, with an optional trailing semicolon.
func Parse(src string) (Statement, error) {
	p := &parser{toks: lex(src)}
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	p.acceptPunct(";")
	if p.cur().kind != tokEOF {
		return nil, p.unexpected()
	}
	return st, nil
}

func (p *parser) cur() token { return p.toks[p.pos] }

func (p *parser) advance() {
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
}

// isKeyword reports whether the current token is the keyword word.
func (p *parser) isKeyword(word string) bool {
	t := p.cur()
	return t.kind == tokIdent && strings.EqualFold(t.text, word)
}

// acceptKeyword consumes the keyword word when it is next.
func (p *parser) acceptKeyword(word string) bool {
	if p.isKeyword(word) {
		p.advance()
		return true
	}
	return false
}

// expectKeyword consumes the keyword word or fails.
func (p *parser) expectKeyword(word string) error {
	if !p.acceptKeyword(word) {
		return p.unexpected()
	}
	return nil
}

// isPunct reports whether the current token is the punctuation text.
func (p *parser) isPunct(text string) bool {
	t := p.cur()
	return t.kind == tokPunct && t.text == text
}

// acceptPunct consumes the punctuation text when it is next.
func (p *parser) acceptPunct(text string) bool {
	if p.isPunct(text) {
		p.advance()
		return true
	}
	return false
}

// expectPunct consumes the punctuation text or fails.
func (p *parser) expectPunct(text string) error {
	if !p.acceptPunct(text) {
		return p.unexpected()
	}
	return nil
}

// errorf returns a ParseError at the current token.
func (p *parser) errorf(format string, args ...any) error {
	return &ParseError{Pos: p.cur().pos, Msg: fmt.Sprintf(format, args...)}
}

// unexpected describes the current token as unexpected.
func (p *parser) unexpected() error {
	t := p.cur()
	switch {
	case t.kind == tokEOF:
		return p.errorf("Unexpected end of statement")
	case t.kind == tokBad && (t.text[0] == '\'' || t.text[0] == '"'):
		return p.errorf("Unterminated quoted text")
	case t.kind == tokIdent && keywords[strings.ToUpper(t.text)]:
		return p.errorf("Unexpected keyword: %s", strings.ToUpper(t.text))
	}
	return p.errorf("Unexpected token: %s", t.text)
}

// statement parses a SELECT, INSERT, UPDATE or DELETE.
func (p *parser) statement() (Statement, error) {
	switch {
	case p.acceptKeyword("SELECT"):
		return p.selectStmt()
	case p.acceptKeyword("INSERT"):
		return p.insertStmt()
	case p.acceptKeyword("UPDATE"):
		return p.updateStmt()
	case p.acceptKeyword("DELETE"):
		return p.deleteStmt()
	}
	return nil, p.errorf("Expected data manipulation")
}

// selectStmt parses the rest of a SELECT.
func (p *parser) selectStmt() (Statement, error) {
	s := &Select{}
	if !p.acceptPunct("*") {
		for {
			path, err := p.path()
			if err != nil {
				return nil, err
			}
			s.Projection = append(s.Projection, path)
			if !p.acceptPunct(",") {
				break
			}
		}
	}
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	var err error
	if s.Table, err = p.name(); err != nil {
		return nil, err
	}
	if p.acceptPunct(".") {
		if s.Index, err = p.name(); err != nil {
			return nil, err
		}
	}
	if s.Where, err = p.where(); err != nil {
		return nil, err
	}
	s.Params = p.params
	return s, nil
}

// insertStmt parses the rest of an INSERT.
func (p *parser) insertStmt() (Statement, error) {
	if err := p.expectKeyword("INTO"); err != nil {
		return nil, err
	}
	table, err := p.name()
	if err != nil {
		return nil, err
	}
	if err := p.expectKeyword("VALUE"); err != nil {
		return nil, err
	}
	item, err := p.additive()
	if err != nil {
		return nil, err
	}
	return &Insert{Table: table, Item: item, Params: p.params}, nil
}

// updateStmt parses the rest of an UPDATE.
func (p *parser) updateStmt() (Statement, error) {
	table, err := p.name()
	if err != nil {
		return nil, err
	}
	u := &Update{Table: table}
	for {
		var err error
		switch {
		case p.acceptKeyword("SET"):
			err = p.setActions(u)
		case p.acceptKeyword("REMOVE"):
			err = p.removePaths(u)
		default:
			if len(u.Set)+len(u.Remove) == 0 {
				return nil, p.unexpected()
			}
			if u.Where, err = p.where(); err != nil {
				return nil, err
			}
			u.Params = p.params
			return u, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// setActions parses "path = value [, ...]".
func (p *parser) setActions(u *Update) error {
	for {
		path, err := p.path()
		if err != nil {
			return err
		}
		if err := p.expectPunct("="); err != nil {
			return err
		}
		v, err := p.additive()
		if err != nil {
			return err
		}
		u.Set = append(u.Set, SetAction{Path: path, Value: v})
		if !p.acceptPunct(",") {
			return nil
		}
	}
}

// removePaths parses "path [, ...]".
func (p *parser) removePaths(u *Update) error {
	for {
		path, err := p.path()
		if err != nil {
			return err
		}
		u.Remove = append(u.Remove, path)
		if !p.acceptPunct(",") {
			return nil
		}
	}
}

// deleteStmt parses the rest of a DELETE.
func (p *parser) deleteStmt() (Statement, error) {
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	table, err := p.name()
	if err != nil {
		return nil, err
	}
	where, err := p.where()
	if err != nil {
		return nil, err
	}
	return &Delete{Table: table, Where: where, Params: p.params}, nil
}

// where parses an optional WHERE clause.
func (p *parser) where() (Expr, error) {
	if !p.acceptKeyword("WHERE") {
		return nil, nil
	}
	return p.or()
}

// name parses a bare (non-keyword) or double-quoted identifier.
func (p *parser) name() (string, error) {
	t := p.cur()
	switch {
	case t.kind == tokQuoted:
	case t.kind == tokIdent && !keywords[strings.ToUpper(t.text)]:
	default:
		return "", p.unexpected()
	}
	p.advance()
	return t.text, nil
}

// path parses name { .name | [index] }.
func (p *parser) path() (Path, error) {
	first, err := p.name()
	if err != nil {
		return nil, err
	}
	return p.pathRest(Path{{Name: first}})
}

// pathRest parses the steps after a path's first name.
func (p *parser) pathRest(path Path) (Path, error) {
	for {
		switch {
		case p.acceptPunct("."):
			t := p.cur()
			if t.kind != tokIdent && t.kind != tokQuoted {
				return nil, p.unexpected()
			}
			p.advance()
			path = append(path, PathElem{Name: t.text})
		case p.acceptPunct("["):
			t := p.cur()
			n, err := strconv.Atoi(t.text)
			if t.kind != tokNumber || err != nil || n < 0 {
				return nil, p.errorf("Invalid list index: %s", t.text)
			}
			p.advance()
			if err := p.expectPunct("]"); err != nil {
				return nil, err
			}
			path = append(path, PathElem{Index: n, IsIndex: true})
		default:
			return path, nil
		}
	}
}

// enter guards recursion depth; leave must follow.
func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf("Expression nested too deeply")
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// or parses cond {OR cond}.
func (p *parser) or() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.binaryChain("OR", p.and)
}

// and parses not {AND not}.
func (p *parser) and() (Expr, error) { return p.binaryChain("AND", p.not) }

// binaryChain parses next {word next} into left-associative Binary nodes.
func (p *parser) binaryChain(word string, next func() (Expr, error)) (Expr, error) {
	left, err := next()
	if err != nil {
		return nil, err
	}
	for p.acceptKeyword(word) {
		right, err := next()
		if err != nil {
			return nil, err
		}
		left = &Binary{Op: word, Left: left, Right: right}
	}
	return left, nil
}

// not parses NOT not | comparison.
func (p *parser) not() (Expr, error) {
	if !p.acceptKeyword("NOT") {
		return p.comparison()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.not()
	if err != nil {
		return nil, err
	}
	return &Not{X: x}, nil
}

// comparison parses an additive expression and an optional comparison,
// BETWEEN, IN or IS suffix.
func (p *parser) comparison() (Expr, error) {
	left, err := p.additive()
	if err != nil {
		return nil, err
	}
	t := p.cur()
	if t.kind == tokPunct && comparisons[t.text] {
		p.advance()
		right, err := p.additive()
		if err != nil {
			return nil, err
		}
		op := t.text
		if op == "!=" {
			op = "<>"
		}
		return &Binary{Op: op, Left: left, Right: right}, nil
	}
	if p.acceptKeyword("IS") {
		return p.isSuffix(left)
	}
	negated := p.acceptKeyword("NOT")
	var e Expr
	switch {
	case p.acceptKeyword("BETWEEN"):
		e, err = p.betweenSuffix(left)
	case p.acceptKeyword("IN"):
		e, err = p.inSuffix(left)
	case negated:
		return nil, p.unexpected()
	default:
		return left, nil
	}
	if err != nil || !negated {
		return e, err
	}
	return &Not{X: e}, nil
}

// isSuffix parses the rest of "x IS [NOT] MISSING|NULL".
func (p *parser) isSuffix(x Expr) (Expr, error) {
	is := &Is{X: x, Not: p.acceptKeyword("NOT")}
	switch {
	case p.acceptKeyword("MISSING"):
		is.What = "MISSING"
	case p.acceptKeyword("NULL"):
		is.What = "NULL"
	default:
		return nil, p.unexpected()
	}
	return is, nil
}

// betweenSuffix parses the rest of "x BETWEEN low AND high".
func (p *parser) betweenSuffix(x Expr) (Expr, error) {
	low, err := p.additive()
	if err != nil {
		return nil, err
	}
	if err := p.expectKeyword("AND"); err != nil {
		return nil, err
	}
	high, err := p.additive()
	if err != nil {
		return nil, err
	}
	return &Between{X: x, Low: low, High: high}, nil
}

// inSuffix parses the rest of "x IN [a, b]" or "x IN (a, b)".
func (p *parser) inSuffix(x Expr) (Expr, error) {
	closer := "]"
	if p.acceptPunct("(") {
		closer = ")"
	} else if err := p.expectPunct("["); err != nil {
		return nil, err
	}
	list, err := p.exprList(closer)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, p.errorf("IN requires at least one value")
	}
	return &In{X: x, List: list}, nil
}

// additive parses primary {(+|-) primary}.
func (p *parser) additive() (Expr, error) {
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.isPunct("+") || p.isPunct("-") {
		op := p.cur().text
		p.advance()
		right, err := p.primary()
		if err != nil {
			return nil, err
		}
		left = &Binary{Op: op, Left: left, Right: right}
	}
	return left, nil
}

// primary parses a literal, parameter, path, call, collection or
// parenthesized condition.
func (p *parser) primary() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.cur()
	switch t.kind {
	case tokString:
		p.advance()
		return &Literal{Value: attr.NewS(t.text)}, nil
	case tokNumber:
		e, err := p.number(t.text)
		p.advance()
		return e, err
	case tokQuoted:
		return p.pathExpr()
	case tokIdent:
		return p.identExpr()
	case tokPunct:
		return p.punctExpr()
	}
	return nil, p.unexpected()
}

// number returns the literal for numeric text.
func (p *parser) number(text string) (Expr, error) {
	n, err := attr.ParseNumber(text)
	if err != nil {
		var vm interface{ ValidationMessage() string }
		if errors.As(err, &vm) {
			return nil, p.errorf("%s", vm.ValidationMessage())
		}
		return nil, p.errorf("Invalid number: %s", text)
	}
	return &Literal{Value: attr.NewN(n)}, nil
}

// pathExpr parses a path operand.
func (p *parser) pathExpr() (Expr, error) {
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	return &PathRef{Path: path}, nil
}

// identExpr parses a keyword literal, a function call or a path.
func (p *parser) identExpr() (Expr, error) {
	t := p.cur()
	switch strings.ToUpper(t.text) {
	case "TRUE", "FALSE":
		p.advance()
		return &Literal{Value: attr.NewBool(strings.EqualFold(t.text, "TRUE"))}, nil
	case "NULL":
		p.advance()
		return &Literal{Value: attr.NewNull()}, nil
	case "MISSING":
		return nil, p.errorf("MISSING must be compared using IS operator")
	}
	if keywords[strings.ToUpper(t.text)] {
		return nil, p.unexpected()
	}
	if p.toks[p.pos+1].kind == tokPunct && p.toks[p.pos+1].text == "(" {
		p.advance()
		p.advance()
		args, err := p.exprList(")")
		if err != nil {
			return nil, err
		}
		return &Call{Name: strings.ToLower(t.text), Args: args}, nil
	}
	return p.pathExpr()
}

// punctExpr parses an expression that starts with punctuation.
func (p *parser) punctExpr() (Expr, error) {
	switch {
	case p.acceptPunct("?"):
		p.params++
		return &Param{Index: p.params - 1}, nil
	case p.acceptPunct("("):
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		return e, p.expectPunct(")")
	case p.acceptPunct("-"):
		t := p.cur()
		if t.kind != tokNumber {
			return nil, p.unexpected()
		}
		e, err := p.number("-" + t.text)
		p.advance()
		return e, err
	case p.acceptPunct("{"):
		return p.mapLiteral()
	case p.acceptPunct("["):
		elems, err := p.exprList("]")
		return &List{Elems: elems}, err
	case p.acceptPunct("<<"):
		elems, err := p.exprList(">>")
		return &Set{Elems: elems}, err
	}
	return nil, p.unexpected()
}

// exprList parses "[value {, value}] closer".
func (p *parser) exprList(closer string) ([]Expr, error) {
	var list []Expr
	if p.acceptPunct(closer) {
		return list, nil
	}
	for {
		e, err := p.additive()
		if err != nil {
			return nil, err
		}
		list = append(list, e)
		if p.acceptPunct(closer) {
			return list, nil
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
}

// mapLiteral parses the rest of "{'key': value, ...}".
func (p *parser) mapLiteral() (Expr, error) {
	m := &Map{}
	if p.acceptPunct("}") {
		return m, nil
	}
	for {
		t := p.cur()
		if t.kind != tokString && t.kind != tokQuoted {
			return nil, p.unexpected()
		}
		p.advance()
		if err := p.expectPunct(":"); err != nil {
			return nil, err
		}
		v, err := p.additive()
		if err != nil {
			return nil, err
		}
		m.Keys = append(m.Keys, t.text)
		m.Values = append(m.Values, v)
		if p.acceptPunct("}") {
			return m, nil
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
}
