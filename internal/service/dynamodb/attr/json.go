package attr

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// MarshalJSON encodes v as DynamoDB JSON, such as {"S":"x"} or {"N":"1.5"}.
// Map members are written in name order.
func (v Value) MarshalJSON() ([]byte, error) {
	return v.appendJSON(make([]byte, 0, 2*ValueSize(v)+16))
}

// MarshalJSON encodes it as a JSON object of DynamoDB JSON values, in
// attribute-name order.
func (it Item) MarshalJSON() ([]byte, error) {
	if it == nil {
		return []byte("null"), nil
	}
	return appendMembers(make([]byte, 0, 2*ItemSize(it)+16*len(it)), it)
}

func (v Value) appendJSON(buf []byte) ([]byte, error) {
	buf = append(buf, `{"`...)
	buf = append(buf, v.Kind.String()...)
	buf = append(buf, `":`...)
	var err error
	switch v.Kind {
	case S, N:
		buf = appendString(buf, v.Str)
	case B:
		buf = appendBase64(buf, v.Bytes)
	case BOOL:
		buf = strconv.AppendBool(buf, v.Bool)
	case NULL:
		buf = append(buf, "true"...)
	case M:
		buf, err = appendMembers(buf, v.Map)
	case L:
		buf, err = appendList(buf, v.List)
	case SS, NS:
		buf = appendStrings(buf, v.Strs)
	case BS:
		buf = appendBinaries(buf, v.Bins)
	default:
		return nil, fmt.Errorf("attr: marshal value of invalid kind %d", v.Kind)
	}
	if err != nil {
		return nil, err
	}
	return append(buf, '}'), nil
}

// appendMembers writes m as a JSON object in name order.
func appendMembers(buf []byte, m map[string]Value) ([]byte, error) {
	var nameBuf [16]string
	names := nameBuf[:0]
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	buf = append(buf, '{')
	for i, k := range names {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, k)
		buf = append(buf, ':')
		var err error
		if buf, err = m[k].appendJSON(buf); err != nil {
			return nil, err
		}
	}
	return append(buf, '}'), nil
}

func appendList(buf []byte, list []Value) ([]byte, error) {
	buf = append(buf, '[')
	for i, e := range list {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = e.appendJSON(buf); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

func appendStrings(buf []byte, strs []string) []byte {
	buf = append(buf, '[')
	for i, s := range strs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, s)
	}
	return append(buf, ']')
}

func appendBinaries(buf []byte, bins [][]byte) []byte {
	buf = append(buf, '[')
	for i, b := range bins {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendBase64(buf, b)
	}
	return append(buf, ']')
}

func appendBase64(buf, b []byte) []byte {
	buf = append(buf, '"')
	buf = base64.StdEncoding.AppendEncode(buf, b)
	return append(buf, '"')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string, escaping quotes, backslashes and
// control characters and replacing invalid UTF-8 with U+FFFD.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				buf = append(buf, s[start:i]...)
				buf = append(buf, `\ufffd`...)
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		buf = append(buf, s[start:i]...)
		buf = appendEscape(buf, c)
		i++
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

func appendEscape(buf []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(buf, '\\', c)
	case '\n':
		return append(buf, `\n`...)
	case '\r':
		return append(buf, `\r`...)
	case '\t':
		return append(buf, `\t`...)
	}
	return append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
