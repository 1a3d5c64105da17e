package attr

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSetUnion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		a, b    Value
		want    Value
		wantErr string
	}{
		{"SS", NewSS("b", "a"), NewSS("c", "a", "d"), NewSS("b", "a", "c", "d"), ""},
		{"SS same", NewSS("a"), NewSS("a"), NewSS("a"), ""},
		{"NS", NewNS("1", "2"), NewNS("2", "3"), NewNS("1", "2", "3"), ""},
		{"BS", NewBS([]byte{1}), NewBS([]byte{2}, []byte{1}), NewBS([]byte{1}, []byte{2}), ""},
		{"kinds differ", NewSS("a"), NewNS("1"), Value{}, "An operand in the update expression has an incorrect data type"},
		{"not a set", NewS("a"), NewS("b"), Value{}, "An operand in the update expression has an incorrect data type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := SetUnion(tc.a, tc.b)
			if msg := validationMessage(err); msg != tc.wantErr {
				t.Fatalf("SetUnion(%v, %v) error = %q, want %q", tc.a, tc.b, msg, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SetUnion(%v, %v) mismatch (-want +got):\n%s", tc.a, tc.b, diff)
			}
		})
	}
}

func TestSetUnionDoesNotAlias(t *testing.T) {
	t.Parallel()
	a := Value{Kind: SS, Strs: make([]string, 1, 8)}
	a.Strs[0] = "a"
	got, err := SetUnion(a, NewSS("b"))
	if err != nil {
		t.Fatal(err)
	}
	got.Strs[0] = "changed"
	if a.Strs[0] != "a" {
		t.Errorf("SetUnion result aliases its operand: %v", a)
	}
}

func TestSetDifference(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		a, b   Value
		want   Value
		wantOK bool
	}{
		{"SS", NewSS("a", "b", "c"), NewSS("b", "x"), NewSS("a", "c"), true},
		{"SS nothing removed", NewSS("a"), NewSS("x"), NewSS("a"), true},
		{"SS emptied", NewSS("a", "b"), NewSS("b", "a"), Value{Kind: SS}, false},
		{"NS", NewNS("1", "2"), NewNS("1"), NewNS("2"), true},
		{"NS emptied", NewNS("1"), NewNS("1"), Value{Kind: NS}, false},
		{"BS", NewBS([]byte{1}, []byte{2}), NewBS([]byte{1}), NewBS([]byte{2}), true},
		{"BS emptied", NewBS([]byte{1}), NewBS([]byte{1}), Value{Kind: BS}, false},
		{"kinds differ", NewSS("a"), NewNS("1"), NewSS("a"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := SetDifference(tc.a, tc.b)
			if ok != tc.wantOK {
				t.Errorf("SetDifference(%v, %v) ok = %v, want %v", tc.a, tc.b, ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SetDifference(%v, %v) mismatch (-want +got):\n%s", tc.a, tc.b, diff)
			}
		})
	}
}

func TestSetOpsLarge(t *testing.T) {
	t.Parallel()
	var a, b []string
	for i := range 100 {
		a = append(a, fmt.Sprint(i))
		b = append(b, fmt.Sprint(i+50))
	}
	union, err := SetUnion(NewNS(a...), NewNS(b...))
	if err != nil || len(union.Strs) != 150 || union.Strs[100] != "100" {
		t.Errorf("SetUnion of overlapping 100-member sets = %d members (%v), want 150 with 100 at index 100", len(union.Strs), err)
	}
	diff, ok := SetDifference(NewNS(a...), NewNS(b...))
	if !ok || len(diff.Strs) != 50 || diff.Strs[49] != "49" {
		t.Errorf("SetDifference = %v, %v, want members 0..49", diff, ok)
	}
	bins := func(from, to int) Value {
		v := Value{Kind: BS}
		for i := from; i < to; i++ {
			v.Bins = append(v.Bins, []byte{byte(i)})
		}
		return v
	}
	if got, err := SetUnion(bins(0, 20), bins(10, 30)); err != nil || !Equal(got, bins(0, 30)) {
		t.Errorf("SetUnion of binary sets = %v, %v, want 0..29", got, err)
	}
	if got, ok := SetDifference(bins(0, 20), bins(10, 30)); !ok || !Equal(got, bins(0, 10)) {
		t.Errorf("SetDifference of binary sets = %v, %v, want 0..9", got, ok)
	}
}
