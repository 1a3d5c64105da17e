package partiql

import (
	"errors"
	"testing"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// errorAs is errors.As, named for the tests.
func errorAs(err error, target any) bool { return errors.As(err, target) }

// FuzzParse checks that Parse never panics, and that every accepted
// statement's canonical form parses back to the same canonical form with the
// same parameter count.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`SELECT a, b.c[0] FROM "t"."i" WHERE pk = ? AND begins_with(sk, 'x')`,
		`INSERT INTO t VALUE {'pk': 'a', 's': <<1, 2>>, 'l': [TRUE, NULL]}`,
		`UPDATE t SET a = a - 1 REMOVE b WHERE pk = ? AND c IS NOT MISSING`,
		`DELETE FROM t WHERE pk = 'a' AND (n < 5 OR n IN (1, 2))`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		st, err := Parse(src)
		if err != nil {
			return
		}
		again, err := Parse(st.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", src, st, err)
		}
		if again.String() != st.String() || again.ParamCount() != st.ParamCount() {
			t.Fatalf("round trip of %q: %q (%d params), then %q (%d params)", src, st, st.ParamCount(), again, again.ParamCount())
		}
		if ins, ok := st.(*Insert); ok {
			params := make([]attr.Value, st.ParamCount())
			for i := range params {
				params[i] = attr.NewS("p")
			}
			_, _ = Value(ins.Item, params)
		}
	})
}
