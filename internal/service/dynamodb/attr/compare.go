package attr

import (
	"bytes"
	"strings"
)

// Compare orders two scalars of the same kind: S by UTF-8 bytes, N
// numerically and B by bytes. ok is false when the kinds differ or are not
// S, N or B, in which case DynamoDB's comparison operators are false.
func Compare(a, b Value) (int, bool) {
	if a.Kind != b.Kind {
		return 0, false
	}
	switch a.Kind {
	case S:
		return strings.Compare(a.Str, b.Str), true
	case N:
		return compareNumbers(a.Str, b.Str), true
	case B:
		return bytes.Compare(a.Bytes, b.Bytes), true
	}
	return 0, false
}

// Equal reports whether a and b are the same value: numbers compare by
// numeric value, sets as sets (ignoring order), lists element-wise and maps
// member-wise.
func Equal(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case S:
		return a.Str == b.Str
	case N:
		return compareNumbers(a.Str, b.Str) == 0
	case B:
		return bytes.Equal(a.Bytes, b.Bytes)
	case BOOL:
		return a.Bool == b.Bool
	case NULL:
		return true
	case M:
		return equalMaps(a.Map, b.Map)
	case L:
		return equalLists(a.List, b.List)
	case SS:
		return equalStringSets(a.Strs, b.Strs, func(x, y string) bool { return x == y })
	case NS:
		return equalStringSets(a.Strs, b.Strs, func(x, y string) bool { return compareNumbers(x, y) == 0 })
	case BS:
		return equalBinarySets(a.Bins, b.Bins)
	}
	return true
}

func equalMaps(a, b map[string]Value) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		bv, ok := b[k]
		if !ok || !Equal(av, bv) {
			return false
		}
	}
	return true
}

func equalLists(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// equalStringSets compares two duplicate-free sets.
func equalStringSets(a, b []string, eq func(x, y string) bool) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if indexString(b, x, eq) < 0 {
			return false
		}
	}
	return true
}

func equalBinarySets(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if indexBytes(b, x) < 0 {
			return false
		}
	}
	return true
}

func indexString(set []string, x string, eq func(x, y string) bool) int {
	for i, y := range set {
		if eq(x, y) {
			return i
		}
	}
	return -1
}

func indexBytes(set [][]byte, x []byte) int {
	for i, y := range set {
		if bytes.Equal(x, y) {
			return i
		}
	}
	return -1
}
