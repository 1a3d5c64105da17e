package attr

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxSkipDepth bounds the nesting of ignored JSON members, so that hostile
// input cannot exhaust the stack.
const maxSkipDepth = 512

// SyntaxError is malformed DynamoDB JSON: invalid JSON, or a member of the
// wrong JSON type. The awsJson binding reports it as a SerializationException.
type SyntaxError struct {
	// Offset is the byte offset in the input where the problem was found.
	Offset int
	// Msg describes the problem, in the Coral framework's words where known.
	Msg string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("attr: %s (at offset %d)", e.Msg, e.Offset)
}

func (d *decoder) syntaxErr(msg string) error {
	return &SyntaxError{Offset: d.pos, Msg: msg}
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of input.
func (d *decoder) peek() byte {
	d.skipSpace()
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

func (d *decoder) consume(c byte) error {
	if d.peek() != c {
		return d.syntaxErr(fmt.Sprintf("expected %q", c))
	}
	d.pos++
	return nil
}

// literal consumes word (true, false or null) if it comes next.
func (d *decoder) literal(word string) bool {
	d.skipSpace()
	if len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word {
		d.pos += len(word)
		return true
	}
	return false
}

// end reports an error unless only white space is left.
func (d *decoder) end() error {
	if d.skipSpace(); d.pos < len(d.data) {
		return d.syntaxErr("unexpected data after value")
	}
	return nil
}

// more reports whether another element follows in an object or array that
// ends with closer, consuming the separating comma.
func (d *decoder) more(closer byte, first bool) (bool, error) {
	switch c := d.peek(); {
	case c == closer:
		d.pos++
		return false, nil
	case first:
		return true, nil
	case c == ',':
		d.pos++
		return true, nil
	}
	return false, d.syntaxErr(fmt.Sprintf("expected ',' or %q", closer))
}

// text reads a JSON string at the current position as a Go string.
func (d *decoder) text() (string, error) {
	start := d.pos + 1
	raw, aliased, err := d.rawStr()
	if err != nil || !aliased {
		return string(raw), err
	}
	return d.src[start : start+len(raw)], nil
}

// rawStr reads a JSON string at the current position (just before its
// opening quote). aliased reports whether the result is a slice of the input,
// as it is when the string has no escapes and is valid UTF-8.
func (d *decoder) rawStr() (raw []byte, aliased bool, err error) {
	d.pos++ // opening quote
	start := d.pos
	ascii := true
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			raw := d.data[start:d.pos]
			d.pos++
			if !ascii && !utf8.Valid(raw) {
				return []byte(strings.ToValidUTF8(string(raw), "\uFFFD")), false, nil
			}
			return raw, true, nil
		case c == '\\':
			raw, err := d.escapedStr(start)
			return raw, false, err
		case c < 0x20:
			return nil, false, d.syntaxErr("control character in string")
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.pos++
	}
	return nil, false, d.syntaxErr("unterminated string")
}

// escapedStr finishes reading a string that contains escapes, from start.
func (d *decoder) escapedStr(start int) ([]byte, error) {
	out := append([]byte(nil), d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			if !utf8.Valid(out) {
				out = []byte(strings.ToValidUTF8(string(out), "\uFFFD"))
			}
			return out, nil
		case c == '\\':
			var err error
			if out, err = d.escape(out); err != nil {
				return nil, err
			}
			continue
		case c < 0x20:
			return nil, d.syntaxErr("control character in string")
		}
		out = append(out, c)
		d.pos++
	}
	return nil, d.syntaxErr("unterminated string")
}

// escape decodes one backslash escape onto out.
func (d *decoder) escape(out []byte) ([]byte, error) {
	if d.pos+1 >= len(d.data) {
		return nil, d.syntaxErr("unterminated string")
	}
	c := d.data[d.pos+1]
	d.pos += 2
	switch c {
	case '"', '\\', '/':
		return append(out, c), nil
	case 'b':
		return append(out, '\b'), nil
	case 'f':
		return append(out, '\f'), nil
	case 'n':
		return append(out, '\n'), nil
	case 'r':
		return append(out, '\r'), nil
	case 't':
		return append(out, '\t'), nil
	case 'u':
		r, err := d.unicodeEscape()
		if err != nil {
			return nil, err
		}
		return utf8.AppendRune(out, r), nil
	}
	return nil, d.syntaxErr("invalid escape in string")
}

// unicodeEscape decodes the hex digits of a \u escape, joining surrogate
// pairs; unpaired surrogates become U+FFFD.
func (d *decoder) unicodeEscape() (rune, error) {
	r, ok := d.hex4()
	if !ok {
		return 0, d.syntaxErr("invalid \\u escape in string")
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	if d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
		save := d.pos
		d.pos += 2
		if r2, ok := d.hex4(); ok {
			if joined := utf16.DecodeRune(r, r2); joined != utf8.RuneError {
				return joined, nil
			}
		}
		d.pos = save
	}
	return utf8.RuneError, nil
}

func (d *decoder) hex4() (rune, bool) {
	if d.pos+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range d.data[d.pos : d.pos+4] {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	d.pos += 4
	return r, true
}

// skip consumes and checks any JSON value, for members AttributeValue does
// not define.
func (d *decoder) skip(depth int) error {
	if depth > maxSkipDepth {
		return d.syntaxErr("JSON nested too deeply")
	}
	switch c := d.peek(); {
	case c == '"':
		_, _, err := d.rawStr()
		return err
	case c == '{':
		return d.skipContainer('}', depth, true)
	case c == '[':
		return d.skipContainer(']', depth, false)
	case d.literal("true"), d.literal("false"), d.literal("null"):
		return nil
	case c == '-' || c >= '0' && c <= '9':
		return d.skipNumber()
	}
	return d.syntaxErr("unexpected input where a value was expected")
}

func (d *decoder) skipContainer(closer byte, depth int, keyed bool) error {
	d.pos++
	for first := true; ; first = false {
		ok, err := d.more(closer, first)
		if err != nil || !ok {
			return err
		}
		if keyed {
			if _, err := d.key(); err != nil {
				return err
			}
		}
		if err := d.skip(depth + 1); err != nil {
			return err
		}
	}
}

// skipNumber consumes a JSON number literal.
func (d *decoder) skipNumber() error {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	intDigits := d.digits()
	if intDigits == 0 || intDigits > 1 && d.data[d.pos-intDigits] == '0' {
		return d.syntaxErr("invalid number")
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if d.digits() == 0 {
			return d.syntaxErr("invalid number")
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if d.digits() == 0 {
			return d.syntaxErr("invalid number")
		}
	}
	if d.pos == start {
		return d.syntaxErr("invalid number")
	}
	return nil
}

func (d *decoder) digits() int {
	n := 0
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
		n++
	}
	return n
}
