package attr

import "strings"

// DynamoDB's number limits.
const (
	maxDigits   = 38   // significant digits
	maxAdjusted = 125  // largest decimal exponent of the leading digit
	minAdjusted = -130 // smallest decimal exponent of the leading digit
	// expClamp bounds parsed exponents so that huge ones cannot overflow an
	// int; anything beyond it is out of range anyway.
	expClamp = 1 << 20
	// maxExponentText is the largest exponent magnitude a number's text may
	// carry: DynamoDB parses numbers as Java's BigDecimal, whose exponent is
	// a 32-bit int.
	maxExponentText = 1<<31 - 1
)

// decimal is a parsed number: (-1)^neg × digits × 10^exp, where digits has
// no leading or trailing zeros and is empty for zero.
type decimal struct {
	neg    bool
	digits string
	exp    int
}

// adjusted returns the decimal exponent of d's leading digit.
func (d decimal) adjusted() int { return d.exp + len(d.digits) - 1 }

// ParseNumber validates s as a DynamoDB number and returns its canonical
// text: plain decimal notation without leading or trailing zeros ("01.50"
// becomes "1.5", "-0" becomes "0", "1E+2" becomes "100"). A malformed or out of
// range number yields an *[Error] with AWS's message.
func ParseNumber(s string) (string, error) {
	if sh, ok := canonicalShape(s); ok {
		if err := sh.check(); err != nil {
			return "", err
		}
		return s, nil
	}
	d, err := parseDecimal(s)
	if err != nil {
		return "", err
	}
	if err := d.shape().check(); err != nil {
		return "", err
	}
	return d.text(), nil
}

// shape is what DynamoDB's limits and item sizes need to know of a number.
type shape struct {
	neg      bool
	digits   int // significant digits; 0 for zero
	adjusted int // decimal exponent of the leading digit
}

func (d decimal) shape() shape {
	if d.digits == "" {
		return shape{}
	}
	return shape{neg: d.neg, digits: len(d.digits), adjusted: d.adjusted()}
}

// numberShape returns the shape of the number text s; malformed text has
// the shape of zero.
func numberShape(s string) shape {
	if sh, ok := canonicalShape(s); ok {
		return sh
	}
	d, _ := parseDecimal(s)
	return d.shape()
}

// canonicalShape returns the shape of s when s is a number in canonical
// text, without allocating.
func canonicalShape(s string) (shape, bool) {
	if !isCanonicalText(s) {
		return shape{}, false
	}
	if s == "0" {
		return shape{}, true
	}
	body := strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(body, ".")
	sh := shape{neg: len(body) < len(s)}
	switch {
	case intPart == "0":
		sig := strings.TrimLeft(frac, "0")
		sh.digits = len(sig)
		sh.adjusted = len(sig) - len(frac) - 1
	case frac == "":
		sh.digits = len(strings.TrimRight(intPart, "0"))
		sh.adjusted = len(intPart) - 1
	default:
		sh.digits = len(intPart) + len(frac)
		sh.adjusted = len(intPart) - 1
	}
	return sh, true
}

// parseDecimal parses s as Java's BigDecimal would: an optional sign, digits
// with an optional decimal point, and an optional exponent.
func parseDecimal(s string) (decimal, error) {
	if s == "" {
		return decimal{}, invalid(msgNotNumeric)
	}
	d, ok := parseDecimalText(s)
	if !ok {
		return decimal{}, invalid(msgNotNumeric + ": " + s)
	}
	return d, nil
}

func parseDecimalText(s string) (decimal, bool) {
	var d decimal
	rest := s
	if rest != "" && (rest[0] == '-' || rest[0] == '+') {
		d.neg = rest[0] == '-'
		rest = rest[1:]
	}
	mant, expText, hasExp := cutExponent(rest)
	intPart, fracPart, _ := strings.Cut(mant, ".")
	if intPart == "" && fracPart == "" || !allDigits(intPart) || !allDigits(fracPart) {
		return decimal{}, false
	}
	exp := 0
	if hasExp {
		e, ok := parseExponent(expText)
		if !ok {
			return decimal{}, false
		}
		exp = e
	}
	d.digits, d.exp = normalizeDigits(intPart, fracPart, exp)
	if d.digits == "" {
		d.neg = false
	}
	return d, true
}

// cutExponent splits s at its exponent marker.
func cutExponent(s string) (mant, exp string, found bool) {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// parseExponent parses a signed decimal exponent of at most
// maxExponentText, clamping its magnitude to expClamp.
func parseExponent(s string) (int, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || !allDigits(s) {
		return 0, false
	}
	s = strings.TrimLeft(s, "0")
	if len(s) > 10 {
		return 0, false
	}
	e := 0
	for i := 0; i < len(s); i++ {
		e = e*10 + int(s[i]-'0')
	}
	if e > maxExponentText {
		return 0, false
	}
	e = min(e, expClamp)
	if neg {
		e = -e
	}
	return e, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normalizeDigits joins integer and fraction digits and strips leading and
// trailing zeros, returning the significant digits and their exponent.
func normalizeDigits(intPart, fracPart string, exp int) (string, int) {
	exp -= len(fracPart)
	var all string
	switch {
	case fracPart == "":
		all = intPart
	case strings.Trim(intPart, "0") == "":
		all = fracPart
	default:
		all = intPart + fracPart
	}
	all = strings.TrimLeft(all, "0")
	trimmed := strings.TrimRight(all, "0")
	exp += len(all) - len(trimmed)
	if trimmed == "" {
		return "", 0
	}
	return trimmed, exp
}

// check reports AWS's error for a number DynamoDB cannot store.
func (sh shape) check() error {
	if sh.digits == 0 {
		return nil
	}
	switch {
	case sh.adjusted > maxAdjusted:
		return invalid(msgOverflow)
	case sh.adjusted < minAdjusted:
		return invalid(msgUnderflow)
	case sh.digits > maxDigits:
		return invalid(msgPrecision)
	}
	return nil
}

// text renders d in plain decimal notation.
func (d decimal) text() string {
	if d.digits == "" {
		return "0"
	}
	var sb strings.Builder
	sb.Grow(len(d.digits) + max(d.exp, -d.exp) + 3)
	if d.neg {
		sb.WriteByte('-')
	}
	switch point := len(d.digits) + d.exp; {
	case d.exp >= 0:
		sb.WriteString(d.digits)
		writeZeros(&sb, d.exp)
	case point > 0:
		sb.WriteString(d.digits[:point])
		sb.WriteByte('.')
		sb.WriteString(d.digits[point:])
	default:
		sb.WriteString("0.")
		writeZeros(&sb, -point)
		sb.WriteString(d.digits)
	}
	return sb.String()
}

func writeZeros(sb *strings.Builder, n int) {
	for range n {
		sb.WriteByte('0')
	}
}

// isCanonicalText reports whether s is a number in canonical text: an
// optional minus, an integer part without leading zeros and an optional
// fraction without trailing zeros, never "-0".
func isCanonicalText(s string) bool {
	if s == "0" {
		return true
	}
	body := strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(body, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) {
		return false
	}
	if !hasPoint {
		return intPart[0] != '0'
	}
	return frac != "" && frac[len(frac)-1] != '0' &&
		(intPart == "0" || intPart[0] != '0')
}
