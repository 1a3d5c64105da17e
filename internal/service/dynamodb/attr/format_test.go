package attr

import "testing"

func TestValueString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    Value
		want string
	}{
		{NewS("x\"y"), `S:"x\"y"`},
		{NewN("1.5"), "N:1.5"},
		{NewB([]byte{1, 2}), "B:AQI="},
		{NewBool(true), "BOOL:true"},
		{NewNull(), "NULL"},
		{NewL(NewN("1"), NewS("a")), `L:[N:1, S:"a"]`},
		{NewM(map[string]Value{"b": NewNull(), "a": NewS("x")}), `M:{a: S:"x", b: NULL}`},
		{NewSS("a", "b"), `SS:["a", "b"]`},
		{NewNS("1", "2"), "NS:[1, 2]"},
		{NewBS([]byte{1}), "BS:[AQ==]"},
		{Value{}, "INVALID"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("String() = %s, want %s", got, tc.want)
		}
	}
}
