package expr

// The seed corpora in testdata/fuzz hold the inputs of the datadriven
// scripts, so fuzzing starts from every documented case.

import (
	"testing"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// fuzzAttrs returns placeholders that most fuzzed expressions can use.
func fuzzAttrs() *Attrs {
	return &Attrs{
		Names: map[string]string{"#n": "name", "#a": "a"},
		Values: map[string]attr.Value{
			":v": {Kind: attr.N, Str: "1"}, ":s": {Kind: attr.S, Str: "a"},
			":l": {Kind: attr.L}, ":ss": {Kind: attr.SS, Strs: []string{"a"}},
		},
	}
}

var fuzzItem = attr.Item{
	"a": {Kind: attr.N, Str: "1"},
	"l": {Kind: attr.L, List: []attr.Value{{Kind: attr.S, Str: "x"}}},
	"m": {Kind: attr.M, Map: map[string]attr.Value{"b": {Kind: attr.S, Str: "y"}}},
}

func FuzzParseCondition(f *testing.F) {
	f.Add("a = :v AND (attribute_exists(#n) OR NOT contains(l, :s))")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCondition(s, fuzzAttrs())
		if err != nil {
			return
		}
		_ = c.String()
		if _, err := c.Eval(fuzzItem); err != nil {
			t.Fatalf("Eval(%q): %v", s, err)
		}
		_, _ = ParseKeyCondition(s, fuzzAttrs())
	})
}

func FuzzParseUpdate(f *testing.F) {
	f.Add("SET a = a + :v, l = list_append(l, :l) REMOVE m.b ADD s :ss")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUpdate(s, fuzzAttrs())
		if err != nil {
			return
		}
		_ = u.String()
		_ = u.TopLevelNames()
		if next, err := u.Apply(fuzzItem); err == nil {
			_ = u.Project(next)
		}
	})
}

func FuzzParseProjection(f *testing.F) {
	f.Add("a, m.b, l[0], #n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProjection(s, fuzzAttrs())
		if err != nil {
			return
		}
		_ = p.String()
		_ = p.Apply(fuzzItem)
	})
}
