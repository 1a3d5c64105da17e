package attr

import "testing"

func TestCompare(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		a, b   Value
		want   int
		wantOK bool
	}{
		{"S less", NewS("a"), NewS("b"), -1, true},
		{"S equal", NewS("a"), NewS("a"), 0, true},
		{"S prefix", NewS("ab"), NewS("a"), 1, true},
		{"S by UTF-8 bytes", NewS("\uFF5E"), NewS("\U0001F600"), -1, true},
		{"S empty", NewS(""), NewS("a"), -1, true},
		{"N numeric", NewN("9"), NewN("10"), -1, true},
		{"N negative", NewN("-10"), NewN("-9"), -1, true},
		{"N fraction", NewN("1.5"), NewN("1.25"), 1, true},
		{"N zero", NewN("0"), NewN("-0.0"), 0, true},
		{"B bytes", NewB([]byte{0x01}), NewB([]byte{0xff}), -1, true},
		{"B prefix", NewB([]byte{1, 2}), NewB([]byte{1}), 1, true},
		{"B equal", NewB([]byte{}), NewB(nil), 0, true},
		{"kinds differ", NewS("1"), NewN("1"), 0, false},
		{"BOOL not ordered", NewBool(false), NewBool(true), 0, false},
		{"sets not ordered", NewSS("a"), NewSS("b"), 0, false},
		{"NULL not ordered", NewNull(), NewNull(), 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Compare(tc.a, tc.b)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Compare(%v, %v) = %d, %v, want %d, %v", tc.a, tc.b, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestEqual(t *testing.T) {
	t.Parallel()
	doc := func(n string) Value {
		return NewM(map[string]Value{"a": NewL(NewN(n), NewS("x")), "b": NewNull()})
	}
	for _, tc := range []struct {
		name string
		a, b Value
		want bool
	}{
		{"S", NewS("a"), NewS("a"), true},
		{"S differ", NewS("a"), NewS("b"), false},
		{"N by value", NewN("1.50"), NewN("1.5"), true},
		{"N differ", NewN("1"), NewN("2"), false},
		{"B", NewB([]byte{1}), NewB([]byte{1}), true},
		{"B differ", NewB([]byte{1}), NewB([]byte{2}), false},
		{"BOOL", NewBool(true), NewBool(true), true},
		{"BOOL differ", NewBool(true), NewBool(false), false},
		{"NULL", NewNull(), NewNull(), true},
		{"kinds differ", NewS("1"), NewN("1"), false},
		{"SS order-insensitive", NewSS("a", "b"), NewSS("b", "a"), true},
		{"SS differ", NewSS("a", "b"), NewSS("a", "c"), false},
		{"SS size", NewSS("a"), NewSS("a", "b"), false},
		{"NS by value", NewNS("1", "2"), NewNS("2.0", "1"), true},
		{"NS differ", NewNS("1", "2"), NewNS("1", "3"), false},
		{"BS order-insensitive", NewBS([]byte{1}, []byte{2}), NewBS([]byte{2}, []byte{1}), true},
		{"BS differ", NewBS([]byte{1}), NewBS([]byte{3}), false},
		{"BS size", NewBS([]byte{1}), NewBS([]byte{1}, []byte{2}), false},
		{"L", NewL(NewS("a"), NewN("1")), NewL(NewS("a"), NewN("1.0")), true},
		{"L order matters", NewL(NewS("a"), NewS("b")), NewL(NewS("b"), NewS("a")), false},
		{"L length", NewL(NewS("a")), NewL(), false},
		{"M deep", doc("1"), doc("1.0"), true},
		{"M deep differ", doc("1"), doc("2"), false},
		{"M missing key", NewM(map[string]Value{"a": NewNull()}), NewM(map[string]Value{"b": NewNull()}), false},
		{"M size", NewM(map[string]Value{"a": NewNull()}), NewM(nil), false},
		{"invalid", Value{}, Value{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Equal(tc.a, tc.b); got != tc.want {
				t.Errorf("Equal(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
			if got := Equal(tc.b, tc.a); got != tc.want {
				t.Errorf("Equal(%v, %v) = %v, want %v", tc.b, tc.a, got, tc.want)
			}
		})
	}
}
