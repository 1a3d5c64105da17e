package attr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClone(t *testing.T) {
	t.Parallel()
	orig := Item{
		"b":   NewB([]byte{1}),
		"doc": NewM(map[string]Value{"l": NewL(NewS("x"), NewB([]byte{2}))}),
		"ss":  NewSS("a"),
		"ns":  NewNS("1"),
		"bs":  NewBS([]byte{3}),
		"s":   NewS("s"),
	}
	want := Item{
		"b":   NewB([]byte{1}),
		"doc": NewM(map[string]Value{"l": NewL(NewS("x"), NewB([]byte{2}))}),
		"ss":  NewSS("a"),
		"ns":  NewNS("1"),
		"bs":  NewBS([]byte{3}),
		"s":   NewS("s"),
	}
	c := orig.Clone()
	if diff := cmp.Diff(want, c); diff != "" {
		t.Fatalf("Clone mismatch (-want +got):\n%s", diff)
	}
	// Mutate every shared-looking part of the clone; the original must not change.
	c["b"].Bytes[0] = 9
	c["doc"].Map["l"].List[1].Bytes[0] = 9
	c["doc"].Map["l"].List[0] = NewNull()
	c["doc"].Map["new"] = NewNull()
	c["ss"].Strs[0] = "z"
	c["ns"].Strs[0] = "9"
	c["bs"].Bins[0][0] = 9
	c["added"] = NewNull()
	if diff := cmp.Diff(want, orig); diff != "" {
		t.Errorf("original changed through its clone (-want +got):\n%s", diff)
	}
	if got := Item(nil).Clone(); got != nil {
		t.Errorf("Item(nil).Clone() = %v, want nil", got)
	}
	if got := NewB(nil).Clone(); got.Bytes != nil {
		t.Errorf("NewB(nil).Clone().Bytes = %v, want nil", got.Bytes)
	}
}
