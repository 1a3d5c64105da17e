package expr

import (
	"strconv"
)

// parser is the token cursor shared by every expression kind.
type parser struct {
	src       string
	toks      []token
	pos       int
	kind      exprKind
	redundant bool // saw a doubly-parenthesized condition or operand
}

// newParser checks the length rules every expression shares and lexes src.
func newParser(src string, kind exprKind) (*parser, *Error) {
	if len(src) > maxExprBytes {
		return nil, kind.invalid("Expression size has exceeded the maximum allowed size; expression size: %d", len(src))
	}
	p := &parser{src: src, toks: lex(src), kind: kind}
	if p.toks[0].kind == tokEOF {
		return nil, kind.invalid(msgEmpty)
	}
	return p, nil
}

func (p *parser) cur() token { return p.toks[p.pos] }

func (p *parser) advance() {
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
}

func (p *parser) isPunct(text string) bool {
	t := p.cur()
	return t.kind == tokPunct && t.text == text
}

func (p *parser) isKeyword(word string) bool {
	t := p.cur()
	return t.kind == tokKeyword && t.word == word
}

// expectPunct consumes the punctuation text or reports a syntax error.
func (p *parser) expectPunct(text string) *Error {
	if !p.isPunct(text) {
		return p.syntaxError()
	}
	p.advance()
	return nil
}

// syntaxError reports the current token with DynamoDB's near context: the
// source from the previous token through the next one.
func (p *parser) syntaxError() *Error {
	i := p.pos
	t := p.toks[i]
	first, last := i, i
	if i > 0 {
		first = i - 1
	}
	if i+1 < len(p.toks) && p.toks[i+1].kind != tokEOF {
		last = i + 1
	}
	if p.toks[last].kind == tokEOF && last > first {
		last--
	}
	near := ""
	if p.toks[first].kind != tokEOF {
		near = p.src[p.toks[first].start:p.toks[last].end]
	}
	return p.kind.invalid("Syntax error; token: \"%s\", near: \"%s\"", t.text, near)
}

// checkUnknownTokens reports the first token outside the language, which
// the lexer turns into a syntax error before any parsing.
func (p *parser) checkUnknownTokens() *Error {
	for i, t := range p.toks {
		if t.kind == tokUnknown {
			p.pos = i
			return p.syntaxError()
		}
	}
	return nil
}

// parsePath parses id ('.' id | '[' INDEX ']')*.
func (p *parser) parsePath() (Path, *Error) {
	elem, err := p.parsePathName()
	if err != nil {
		return nil, err
	}
	path := Path{elem}
	for {
		switch {
		case p.isPunct("."):
			p.advance()
			elem, err := p.parsePathName()
			if err != nil {
				return nil, err
			}
			path = append(path, elem)
		case p.isPunct("["):
			p.advance()
			elem, err := p.parseIndex()
			if err != nil {
				return nil, err
			}
			path = append(path, elem)
		default:
			return path, nil
		}
	}
}

func (p *parser) parsePathName() (PathElem, *Error) {
	t := p.cur()
	switch t.kind {
	case tokIdent:
		p.advance()
		return PathElem{Name: t.text}, nil
	case tokName:
		p.advance()
		return PathElem{placeholder: t.text}, nil
	}
	return PathElem{}, p.syntaxError()
}

func (p *parser) parseIndex() (PathElem, *Error) {
	t := p.cur()
	if t.kind != tokIndex {
		return PathElem{}, p.syntaxError()
	}
	n, convErr := strconv.Atoi(t.text)
	if convErr != nil || n > maxListIndex {
		return PathElem{}, p.syntaxError()
	}
	p.advance()
	if err := p.expectPunct("]"); err != nil {
		return PathElem{}, err
	}
	return PathElem{Index: n, IsIndex: true}, nil
}

// maxListIndex bounds list indexes well above any list an item can hold.
const maxListIndex = 1 << 30

// parseOperand parses path | :value | name(args) | '(' operand ')'.
func (p *parser) parseOperand() (*operand, *Error) {
	t := p.cur()
	switch {
	case p.isPunct("("):
		p.advance()
		inner, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct(")"); err != nil {
			return nil, err
		}
		p.markParens(inner)
		return inner, nil
	case t.kind == tokIdent && p.toks[p.pos+1].kind == tokPunct && p.toks[p.pos+1].text == "(":
		return p.parseFunction()
	case t.kind == tokIdent || t.kind == tokName:
		path, err := p.parsePath()
		if err != nil {
			return nil, err
		}
		return &operand{kind: opPath, path: path}, nil
	case t.kind == tokValue:
		p.advance()
		return &operand{kind: opValue, placeholder: t.text}, nil
	}
	return nil, p.syntaxError()
}

// markParens records that o was wrapped in parentheses, flagging a second
// pair as redundant.
func (p *parser) markParens(o *operand) {
	if o.parens {
		p.redundant = true
	}
	o.parens = true
}

func (p *parser) parseFunction() (*operand, *Error) {
	fn := &operand{kind: opFunc, fn: p.cur().text}
	p.advance() // name
	p.advance() // (
	for {
		arg, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		fn.args = append(fn.args, arg)
		if !p.isPunct(",") {
			break
		}
		p.advance()
	}
	if err := p.expectPunct(")"); err != nil {
		return nil, err
	}
	return fn, nil
}

// expectEOF reports any token left after a complete expression.
func (p *parser) expectEOF() *Error {
	if p.cur().kind != tokEOF {
		return p.syntaxError()
	}
	return nil
}
