package attr

import "testing"

func TestKindString(t *testing.T) {
	t.Parallel()
	want := map[Kind]string{S: "S", N: "N", B: "B", BOOL: "BOOL", NULL: "NULL", M: "M", L: "L",
		SS: "SS", NS: "NS", BS: "BS", KindInvalid: "INVALID", Kind(200): "INVALID"}
	for k, w := range want {
		if got := k.String(); got != w {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, w)
		}
	}
}
