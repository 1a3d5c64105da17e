package keyenc

import (
	"bytes"
	"errors"
	"fmt"
)

// Escape bytes for the byte-string encoding.
const (
	escapeByte     = 0x00 // introduces an escape sequence
	escapedZero    = 0xFF // escapeByte, escapedZero stands for a 0x00 in the value
	terminatorByte = 0x01 // escapeByte, terminatorByte ends the value
)

// ErrMalformed is returned (wrapped) by the Decode functions when the input is
// not a valid encoding.
var ErrMalformed = errors.New("keyenc: malformed key")

// AppendBytes appends the order-preserving encoding of b to dst and returns
// the extended slice.
func AppendBytes(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, escapeByte)
		if i < 0 {
			break
		}
		dst = append(dst, b[:i]...)
		dst = append(dst, escapeByte, escapedZero)
		b = b[i+1:]
	}
	dst = append(dst, b...)
	return append(dst, escapeByte, terminatorByte)
}

// AppendString appends the order-preserving encoding of s to dst and returns
// the extended slice. It encodes s exactly as AppendBytes encodes []byte(s).
func AppendString(dst []byte, s string) []byte {
	for {
		i := indexZero(s)
		if i < 0 {
			break
		}
		dst = append(dst, s[:i]...)
		dst = append(dst, escapeByte, escapedZero)
		s = s[i+1:]
	}
	dst = append(dst, s...)
	return append(dst, escapeByte, terminatorByte)
}

// indexZero returns the index of the first 0x00 byte in s, or -1.
func indexZero(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == escapeByte {
			return i
		}
	}
	return -1
}

// DecodeBytes decodes one value written by AppendBytes or AppendString from
// the front of b. It returns the value (a new slice, never nil) and the bytes
// that follow the value's encoding.
func DecodeBytes(b []byte) (value, rest []byte, err error) {
	value = make([]byte, 0, len(b))
	for {
		i := bytes.IndexByte(b, escapeByte)
		if i < 0 || i+1 >= len(b) {
			return nil, nil, fmt.Errorf("%w: unterminated byte string", ErrMalformed)
		}
		value = append(value, b[:i]...)
		switch b[i+1] {
		case terminatorByte:
			return value, b[i+2:], nil
		case escapedZero:
			value = append(value, 0)
			b = b[i+2:]
		default:
			return nil, nil, fmt.Errorf("%w: bad escape 0x00 0x%02x in byte string", ErrMalformed, b[i+1])
		}
	}
}
