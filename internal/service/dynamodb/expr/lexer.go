package expr

import (
	"strings"
	"unicode/utf8"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tokEOF     tokKind = iota
	tokIdent           // attribute or function name: [A-Za-z][A-Za-z0-9_]*
	tokName            // #name placeholder
	tokValue           // :value placeholder
	tokIndex           // list index: 0 or [1-9][0-9]*
	tokKeyword         // IN BETWEEN NOT AND OR SET ADD DELETE REMOVE (text upper-cased in word)
	tokPunct           // = <> < <= > >= + - ( ) [ ] , .
	tokUnknown         // anything else, including string literals
)

// token is one lexeme; start and end are byte offsets into the source.
type token struct {
	kind       tokKind
	text       string // the source text
	word       string // tokKeyword: the upper-cased keyword
	start, end int
}

var keywords = map[string]bool{
	"IN": true, "BETWEEN": true, "NOT": true, "AND": true, "OR": true,
	"SET": true, "ADD": true, "DELETE": true, "REMOVE": true,
}

// lex splits src into tokens, ending with a tokEOF token. It never fails:
// characters outside the language become tokUnknown tokens that the parser
// reports as syntax errors.
func lex(src string) []token {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		tok := lexOne(src, i)
		toks = append(toks, tok)
		i = tok.end
	}
	return append(toks, token{kind: tokEOF, text: "<EOF>", start: len(src), end: len(src)})
}

func lexOne(src string, i int) token {
	c := src[i]
	switch {
	case isLetter(c):
		end := scanIDChars(src, i+1)
		tok := token{kind: tokIdent, text: src[i:end], start: i, end: end}
		if up := strings.ToUpper(tok.text); keywords[up] {
			tok.kind, tok.word = tokKeyword, up
		}
		return tok
	case c == '#' || c == ':':
		end := scanIDChars(src, i+1)
		if end == i+1 {
			return token{kind: tokUnknown, text: src[i : i+1], start: i, end: i + 1}
		}
		kind := tokName
		if c == ':' {
			kind = tokValue
		}
		return token{kind: kind, text: src[i:end], start: i, end: end}
	case c == '0':
		return token{kind: tokIndex, text: "0", start: i, end: i + 1}
	case c >= '1' && c <= '9':
		end := i + 1
		for end < len(src) && isDigit(src[end]) {
			end++
		}
		return token{kind: tokIndex, text: src[i:end], start: i, end: end}
	case c == '"' || c == '\'':
		return lexString(src, i)
	}
	return lexPunct(src, i)
}

func lexPunct(src string, i int) token {
	if i+1 < len(src) {
		switch two := src[i : i+2]; two {
		case "<>", "<=", ">=":
			return token{kind: tokPunct, text: two, start: i, end: i + 2}
		}
	}
	if strings.IndexByte("=<>+-()[],.", src[i]) >= 0 {
		return token{kind: tokPunct, text: src[i : i+1], start: i, end: i + 1}
	}
	_, size := utf8.DecodeRuneInString(src[i:])
	return token{kind: tokUnknown, text: src[i : i+size], start: i, end: i + size}
}

// lexString scans a quoted string literal, which the grammar lexes as one
// token but never accepts.
func lexString(src string, i int) token {
	quote := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case quote:
			return token{kind: tokUnknown, text: src[i : j+1], start: i, end: j + 1}
		}
	}
	return token{kind: tokUnknown, text: src[i : i+1], start: i, end: i + 1}
}

func scanIDChars(src string, i int) int {
	for i < len(src) && (isLetter(src[i]) || isDigit(src[i]) || src[i] == '_') {
		i++
	}
	return i
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
