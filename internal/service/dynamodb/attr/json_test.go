package attr

import (
	"encoding/json"
	"testing"
)

func TestMarshalInvalidKind(t *testing.T) {
	t.Parallel()
	if _, err := json.Marshal(Value{}); err == nil {
		t.Error("Marshal(Value{}) succeeded, want error")
	}
	if _, err := json.Marshal(Item{"a": NewL(Value{})}); err == nil {
		t.Error("Marshal of item holding an invalid value succeeded, want error")
	}
}

func TestMarshalStringEscapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
	}{
		{"plain", `"plain"`},
		{`q"b\`, `"q\"b\\"`},
		{"\n\r\t\x00\x1f", `"\n\r\t\u0000\u001f"`},
		{"<&>", `"<&>"`},
		{"é😀", `"é😀"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
	} {
		got := string(appendString(nil, tc.in))
		if got != tc.want {
			t.Errorf("appendString(%q) = %s, want %s", tc.in, got, tc.want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Errorf("encoding/json rejects %s: %v", got, err)
		}
	}
}
