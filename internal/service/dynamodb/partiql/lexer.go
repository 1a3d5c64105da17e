package partiql

import "strings"

// tokKind classifies a token.
type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokIdent          // bare identifier or keyword
	tokQuoted         // "double-quoted identifier"
	tokString         // 'string literal'
	tokNumber         // 12, 1.5, 1e3
	tokPunct          // operators and punctuation
	tokBad            // a character or unterminated literal that cannot start a token
)

// token is one lexed token; text is the unquoted value for quoted tokens.
type token struct {
	kind tokKind
	text string
	pos  int
}

// puncts lists the punctuation tokens, longest first.
var puncts = []string{"<<", ">>", "<>", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "?", "*", "=", "<", ">", "+", "-", ";"}

// lex splits src into tokens, ending with tokEOF (or at the first tokBad).
func lex(src string) []token {
	var toks []token
	i := 0
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			return append(toks, token{kind: tokEOF, pos: i})
		}
		t, next := lexOne(src, i)
		toks = append(toks, t)
		if t.kind == tokBad {
			return append(toks, token{kind: tokEOF, pos: len(src)})
		}
		i = next
	}
}

// lexOne lexes the token at src[i], returning it and the offset after it.
func lexOne(src string, i int) (token, int) {
	c := src[i]
	switch {
	case c == '\'' || c == '"':
		return lexQuoted(src, i)
	case isDigit(c):
		return lexNumber(src, i)
	case isIdentStart(c):
		j := i + 1
		for j < len(src) && isIdentChar(src[j]) {
			j++
		}
		return token{kind: tokIdent, text: src[i:j], pos: i}, j
	}
	for _, p := range puncts {
		if strings.HasPrefix(src[i:], p) {
			return token{kind: tokPunct, text: p, pos: i}, i + len(p)
		}
	}
	return token{kind: tokBad, text: src[i : i+1], pos: i}, i + 1
}

// lexQuoted lexes a '...' string or "..." identifier; a doubled quote
// stands for one quote character.
func lexQuoted(src string, i int) (token, int) {
	q := src[i]
	kind := tokString
	if q == '"' {
		kind = tokQuoted
	}
	var sb strings.Builder
	for j := i + 1; j < len(src); j++ {
		if src[j] != q {
			sb.WriteByte(src[j])
			continue
		}
		if j+1 < len(src) && src[j+1] == q {
			sb.WriteByte(q)
			j++
			continue
		}
		return token{kind: kind, text: sb.String(), pos: i}, j + 1
	}
	return token{kind: tokBad, text: src[i:], pos: i}, len(src)
}

// lexNumber lexes digits[.digits][e[+-]digits].
func lexNumber(src string, i int) (token, int) {
	j := skipDigits(src, i)
	if j < len(src) && src[j] == '.' {
		j = skipDigits(src, j+1)
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			j = skipDigits(src, k)
		}
	}
	return token{kind: tokNumber, text: src[i:j], pos: i}, j
}

// skipDigits returns the offset of the first non-digit at or after i.
func skipDigits(src string, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool      { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentChar(c byte) bool  { return isIdentStart(c) || isDigit(c) }
