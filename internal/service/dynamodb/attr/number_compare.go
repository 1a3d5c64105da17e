package attr

import "strings"

// compareDecimal orders two parsed numbers.
func compareDecimal(a, b decimal) int {
	sa, sb := a.sign(), b.sign()
	if sa != sb {
		return cmpInt(sa, sb)
	}
	if sa == 0 {
		return 0
	}
	c := compareMagnitude(a, b)
	if sa < 0 {
		return -c
	}
	return c
}

func (d decimal) sign() int {
	switch {
	case d.digits == "":
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// compareMagnitude orders the absolute values of two non-zero numbers.
func compareMagnitude(a, b decimal) int {
	if c := cmpInt(a.adjusted(), b.adjusted()); c != 0 {
		return c
	}
	// Same leading exponent: digit strings compare lexicographically, a
	// prefix being the smaller (its missing digits are zeros).
	return strings.Compare(a.digits, b.digits)
}

// compareCanonical orders two numbers in canonical text without parsing:
// integer parts compare by length and then digits, fractions by digits.
func compareCanonical(a, b string) int {
	sa, sb := canonicalSign(a), canonicalSign(b)
	if sa != sb || sa == 0 {
		return cmpInt(sa, sb)
	}
	c := compareCanonicalMagnitude(strings.TrimPrefix(a, "-"), strings.TrimPrefix(b, "-"))
	return c * sa
}

func canonicalSign(s string) int {
	switch {
	case s == "0":
		return 0
	case s[0] == '-':
		return -1
	}
	return 1
}

func compareCanonicalMagnitude(a, b string) int {
	ai, af, _ := strings.Cut(a, ".")
	bi, bf, _ := strings.Cut(b, ".")
	if ai == "0" {
		ai = ""
	}
	if bi == "0" {
		bi = ""
	}
	if c := cmpInt(len(ai), len(bi)); c != 0 {
		return c
	}
	if c := strings.Compare(ai, bi); c != 0 {
		return c
	}
	return strings.Compare(af, bf)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareNumbers orders two number texts; malformed texts sort as zero.
func compareNumbers(a, b string) int {
	if a == b {
		return 0
	}
	if isCanonicalText(a) && isCanonicalText(b) {
		return compareCanonical(a, b)
	}
	da, _ := parseDecimal(a)
	db, _ := parseDecimal(b)
	return compareDecimal(da, db)
}
