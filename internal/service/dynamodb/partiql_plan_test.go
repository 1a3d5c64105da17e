package dynamodb

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/expr"
	"github.com/fogbank/fogbank/internal/service/dynamodb/partiql"
)

// TestPlanQuery checks which SELECTs become Queries and the expressions
// they are translated into.
func TestPlanQuery(t *testing.T) {
	t.Parallel()
	keys := []keyAttr{{name: "pk", kind: attr.S}, {name: "sk", kind: attr.N}}
	for _, tc := range []struct {
		where      string
		key, rest  string // "" for a Scan
		wantValues int
	}{
		{"pk = 'a'", "#l0 = :l0", "", 1},
		{"'a' = pk AND sk >= 2 AND x <> 1", "#l0 = :l0 AND #l1 >= :l1", "#l2 <> :l2", 3},
		{"pk = 'a' AND begins_with(sk, 'x')", "#l0 = :l0 AND begins_with(#l1, :l1)", "", 2},
		{"pk = 'a' AND sk > 1 AND sk < 5", "", "", 0},
		{"pk = 'a' AND sk IN [1, 2]", "", "", 0},
		{"pk = 'a' OR pk = 'b'", "", "", 0},
		{"x = 1", "", "", 0},
	} {
		t.Run(tc.where, func(t *testing.T) {
			st, err := partiql.Parse("SELECT * FROM t WHERE " + tc.where)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			q, ok := planQuery(keys, st.(*partiql.Select).Where)
			if !ok {
				if tc.key != "" {
					t.Errorf("planQuery(%s) = Scan, want a Query", tc.where)
				}
				return
			}
			a := &expr.Attrs{}
			qi := &QueryInput{}
			if err := q.translate(&translator{p: &placeholders{a: a}}, qi); err != nil {
				t.Fatalf("translate: %v", err)
			}
			got := []string{*qi.KeyConditionExpression, ""}
			if qi.FilterExpression != nil {
				got[1] = *qi.FilterExpression
			}
			if diff := cmp.Diff([]string{tc.key, tc.rest}, got); diff != "" {
				t.Errorf("planQuery(%s) key condition and filter (-want +got):\n%s", tc.where, diff)
			}
			if len(a.Values) != tc.wantValues {
				t.Errorf("planQuery(%s) used %d values, want %d", tc.where, len(a.Values), tc.wantValues)
			}
		})
	}
}
