package keyenc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Number encoding. A non-zero number is written as 0.d1d2...dn × 10^E with
// d1 != 0 and dn != 0 (trailing zeros removed, so equal values encode alike):
//
//	sign byte | exponent byte (E + exponentBias) | digit pairs
//
// Each pair of digits (the last one padded with a zero) becomes one byte
// 2*pair+1, except the final pair which becomes 2*pair: the encoding ends at
// the first even byte, and a number that stops sooner sorts first. Negative
// numbers invert the exponent and digit bytes, which reverses their order.
const (
	numNegative = 0x01
	numZero     = 0x02
	numPositive = 0x03

	// MaxNumberDigits is the most significant digits a DynamoDB number has.
	MaxNumberDigits = 38
	// minExponent and maxExponent bound E: 1E-130 is 0.1 × 10^-129 and
	// 9.99...E+125 is 0.999... × 10^126.
	minExponent  = -129
	maxExponent  = 126
	exponentBias = -minExponent // maps E onto 0..255
)

// ErrInvalidNumber is returned (wrapped) by AppendNumber for text that is not
// a finite decimal within DynamoDB's precision and range.
var ErrInvalidNumber = errors.New("keyenc: invalid number")

// AppendNumber appends the order-preserving encoding of the DynamoDB number
// written as decimal text in s (for example "-12.50" or "1.5E+3") to dst and
// returns the extended slice. Numerically equal inputs encode identically.
// It fails with ErrInvalidNumber for text that is not a finite decimal, has
// more than 38 significant digits, or lies outside 1E-130 to
// 9.9999999999999999999999999999999999999E+125 in magnitude; dst is then
// returned unchanged.
func AppendNumber(dst []byte, s string) ([]byte, error) {
	negative, digits, exp, ok := parseNumber(s)
	if !ok {
		return dst, fmt.Errorf("%w: %q is not a decimal", ErrInvalidNumber, s)
	}
	if digits == "" {
		return append(dst, numZero), nil
	}
	if len(digits) > MaxNumberDigits {
		return dst, fmt.Errorf("%w: %q has more than %d significant digits", ErrInvalidNumber, s, MaxNumberDigits)
	}
	if exp < minExponent || exp > maxExponent {
		return dst, fmt.Errorf("%w: %q is out of range", ErrInvalidNumber, s)
	}
	return appendDigits(dst, negative, exp, []byte(digits)), nil
}

// parseNumber reads decimal text: an optional sign, digits with at most one
// decimal point, and an optional exponent (e or E, an optional sign and
// digits, within 32 bits). It returns the sign, the significant digits (no
// leading or trailing zeros; none for zero) and the exponent E of
// 0.digits × 10^E.
func parseNumber(s string) (negative bool, digits string, exp int, ok bool) {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		negative, s = s[0] == '-', s[1:]
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.ParseInt(s[i+1:], 10, 32)
		if err != nil {
			return false, "", 0, false
		}
		s, exp = s[:i], int(e)
	}
	intPart, fracPart, _ := strings.Cut(s, ".")
	if intPart == "" && fracPart == "" || !isDigits(intPart) || !isDigits(fracPart) {
		return false, "", 0, false
	}
	all := intPart + fracPart
	significant := strings.TrimLeft(all, "0")
	exp += len(intPart) - (len(all) - len(significant))
	return negative, strings.TrimRight(significant, "0"), exp, true
}

// isDigits reports whether s holds only ASCII digits.
func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// appendDigits writes a non-zero number given as its sign, scientific
// exponent E and significant digits (ASCII, no leading or trailing zeros).
func appendDigits(dst []byte, negative bool, exp int, digits []byte) []byte {
	var invert byte // XOR mask: 0xFF inverts the bytes of negative numbers
	sign := byte(numPositive)
	if negative {
		invert, sign = 0xFF, numNegative
	}
	dst = append(dst, sign, byte(exp+exponentBias)^invert)
	for i := 0; i < len(digits); i += 2 {
		pair := (digits[i] - '0') * 10
		if i+1 < len(digits) {
			pair += digits[i+1] - '0'
		}
		b := 2*pair + 1
		if i+2 >= len(digits) {
			b = 2 * pair
		}
		dst = append(dst, b^invert)
	}
	return dst
}

// DecodeNumber decodes one number written by AppendNumber from the front of b.
// It returns the number as plain decimal text without exponent, leading or
// trailing zeros (for example "-12.5", "0.001", "1500"), and the bytes that
// follow the number's encoding.
func DecodeNumber(b []byte) (canonical string, rest []byte, err error) {
	if len(b) == 0 {
		return "", nil, fmt.Errorf("%w: empty number", ErrMalformed)
	}
	var invert byte
	switch b[0] {
	case numZero:
		return "0", b[1:], nil
	case numNegative:
		invert = 0xFF
	case numPositive:
	default:
		return "", nil, fmt.Errorf("%w: bad number sign byte 0x%02x", ErrMalformed, b[0])
	}
	if len(b) < 3 {
		return "", nil, fmt.Errorf("%w: truncated number", ErrMalformed)
	}
	exp := int(b[1]^invert) - exponentBias
	digits, n, err := decodeDigits(b[2:], invert)
	if err != nil {
		return "", nil, err
	}
	return formatDecimal(invert != 0, exp, digits), b[2+n:], nil
}

// decodeDigits reads the digit-pair bytes at the front of b (after XOR with
// invert) and returns the significant digits and the number of bytes read.
func decodeDigits(b []byte, invert byte) (digits []byte, n int, err error) {
	digits = make([]byte, 0, MaxNumberDigits+1)
	for i, c := range b {
		c ^= invert
		pair, last := c/2, c%2 == 0
		switch {
		case pair > 99:
			return nil, 0, fmt.Errorf("%w: bad digit byte 0x%02x", ErrMalformed, c)
		case i == 0 && pair < 10:
			return nil, 0, fmt.Errorf("%w: number has a leading zero", ErrMalformed)
		}
		digits = append(digits, '0'+pair/10, '0'+pair%10)
		if last {
			if pair == 0 {
				return nil, 0, fmt.Errorf("%w: number has trailing zeros", ErrMalformed)
			}
			if pair%10 == 0 {
				digits = digits[:len(digits)-1]
			}
			return digits, i + 1, nil
		}
		if len(digits) >= MaxNumberDigits {
			return nil, 0, fmt.Errorf("%w: number has more than %d digits", ErrMalformed, MaxNumberDigits)
		}
	}
	return nil, 0, fmt.Errorf("%w: unterminated number", ErrMalformed)
}

// formatDecimal writes 0.digits × 10^exp as plain decimal text.
func formatDecimal(negative bool, exp int, digits []byte) string {
	out := make([]byte, 0, len(digits)+max(exp, -exp)+3)
	if negative {
		out = append(out, '-')
	}
	switch {
	case exp <= 0:
		out = append(out, '0', '.')
		out = appendZeros(out, -exp)
		out = append(out, digits...)
	case exp >= len(digits):
		out = append(out, digits...)
		out = appendZeros(out, exp-len(digits))
	default:
		out = append(out, digits[:exp]...)
		out = append(out, '.')
		out = append(out, digits[exp:]...)
	}
	return string(out)
}

// appendZeros appends n '0' characters to dst.
func appendZeros(dst []byte, n int) []byte {
	for range n {
		dst = append(dst, '0')
	}
	return dst
}
