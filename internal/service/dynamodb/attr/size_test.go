package attr

import (
	"strings"
	"testing"
)

func TestValueSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		v    Value
		want int
	}{
		{"S ASCII", NewS("hello"), 5},
		{"S UTF-8 bytes", NewS("é😀"), 6},
		{"S empty", NewS(""), 0},
		{"B raw bytes", NewB([]byte{1, 2, 3}), 3},
		{"BOOL", NewBool(false), 1},
		{"NULL", NewNull(), 1},
		{"N zero", NewN("0"), 1},
		{"N one digit", NewN("1"), 2},
		{"N two digits odd exponent", NewN("12"), 2},
		{"N two digits even exponent", NewN("1.2"), 3},
		{"N three digits", NewN("123"), 3},
		{"N negative", NewN("-1"), 3},
		// Sizes DynamoDB reports, as pinned by dynalite's item-size limit tests.
		{"N 38 digits", NewN(strings.Repeat("1", 38) + strings.Repeat("0", 88)), 20},
		{"N 1e125", NewN("1" + strings.Repeat("0", 125)), 2},
		{"N 11e124", NewN("11" + strings.Repeat("0", 124)), 2},
		{"N five digits", NewN("11111" + strings.Repeat("0", 121)), 4},
		{"N six digits", NewN("111111" + strings.Repeat("0", 120)), 4},
		{"N seven digits", NewN("1111111" + strings.Repeat("0", 119)), 5},
		{"L empty", NewL(), 3},
		{"M empty", NewM(nil), 3},
		{"L", NewL(NewS("ab"), NewBool(true)), 3 + (1 + 2) + (1 + 1)},
		{"M counts names", NewM(map[string]Value{"key": NewS("ab")}), 3 + 1 + 3 + 2},
		{"nested", NewL(NewL(NewNull())), 3 + 1 + 3 + 1 + 1},
		{"SS", NewSS("ab", "c"), 3},
		{"NS", NewNS("1", "-1"), 5},
		{"BS", NewBS([]byte{1, 2}, []byte{}), 2},
		{"invalid", Value{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ValueSize(tc.v); got != tc.want {
				t.Errorf("ValueSize(%v) = %d, want %d", tc.v, got, tc.want)
			}
		})
	}
}

func TestItemSize(t *testing.T) {
	t.Parallel()
	// The developer guide's example attribute sizes: name bytes plus value.
	it := Item{
		"id":     NewS("abc"),              // 2 + 3
		"flag":   NewBool(true),            // 4 + 1
		"nothin": NewNull(),                // 6 + 1
		"bin":    NewB([]byte{1, 2, 3, 4}), // 3 + 4
		"doc":    NewM(map[string]Value{}), // 3 + 3
	}
	if got, want := ItemSize(it), 5+5+7+7+6; got != want {
		t.Errorf("ItemSize(%v) = %d, want %d", it, got, want)
	}
	if got := ItemSize(nil); got != 0 {
		t.Errorf("ItemSize(nil) = %d, want 0", got)
	}
}
