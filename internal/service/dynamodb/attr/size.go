package attr

// Per-value overheads from AWS's "Item sizes and formats".
const (
	containerOverhead = 3 // every L or M
	elementOverhead   = 1 // each L element or M member
	boolNullSize      = 1
)

// ValueSize returns v's size in bytes by DynamoDB's item-size rules: S is its
// UTF-8 length, N about one byte per two significant digits plus one, B its
// raw length, BOOL and NULL one byte, L and M three bytes plus one byte and
// the size of each element (and M's member names), and a set the sum of its
// members.
func ValueSize(v Value) int {
	switch v.Kind {
	case S:
		return len(v.Str)
	case N:
		return numberSize(v.Str)
	case B:
		return len(v.Bytes)
	case BOOL, NULL:
		return boolNullSize
	case M:
		n := containerOverhead
		for k, e := range v.Map {
			n += len(k) + elementOverhead + ValueSize(e)
		}
		return n
	case L:
		n := containerOverhead
		for _, e := range v.List {
			n += elementOverhead + ValueSize(e)
		}
		return n
	case SS:
		n := 0
		for _, s := range v.Strs {
			n += len(s)
		}
		return n
	case NS:
		n := 0
		for _, s := range v.Strs {
			n += numberSize(s)
		}
		return n
	case BS:
		n := 0
		for _, b := range v.Bins {
			n += len(b)
		}
		return n
	}
	return 0
}

// ItemSize returns the size of it: the UTF-8 length of each attribute name
// plus its value's size.
func ItemSize(it Item) int {
	n := 0
	for k, v := range it {
		n += len(k) + ValueSize(v)
	}
	return n
}

// numberSize is a number's stored size: one byte of exponent, one byte per
// base-100 digit pair (pairs are aligned on even powers of ten, so an even
// number of digits starting at an even exponent needs an extra pair), and
// one terminator byte for negative numbers that use fewer than the maximum 20
// mantissa bytes (so no number exceeds 21 bytes). Zero takes one byte. This refines
// the documented "1 byte per two significant digits, plus 1" with the exact
// sizes DynamoDB reports.
func numberSize(s string) int {
	const maxMantissaBytes = 20
	sh := numberShape(s)
	if sh.digits == 0 {
		return 1
	}
	size := 1 + (sh.digits+1)/2
	if sh.digits%2 == 0 && sh.adjusted%2 == 0 {
		size++
	}
	if sh.neg && size-1 < maxMantissaBytes {
		size++
	}
	return size
}
