package partiql

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// TestDataDriven runs testdata/parse (run with -rewrite to regenerate).
// Commands:
//
//	parse                        prints the statement's kind, parameter count and canonical form
//	value [params=<json list>]   prints an INSERT's item as AttributeValue JSON
func TestDataDriven(t *testing.T) {
	t.Parallel()
	datadriven.RunTest(t, "testdata/parse", func(t *testing.T, td *datadriven.TestData) string {
		switch td.Cmd {
		case "parse":
			return parseCommand(td.Input)
		case "value":
			return valueCommand(t, td)
		}
		t.Fatalf("%s: unknown command %q", td.Pos, td.Cmd)
		return ""
	})
}

// parseCommand parses each input line.
func parseCommand(input string) string {
	var sb strings.Builder
	for line := range strings.SplitSeq(input, "\n") {
		st, err := Parse(line)
		if err != nil {
			fmt.Fprintf(&sb, "error: %v\n", err)
			continue
		}
		fmt.Fprintf(&sb, "%T params=%d: %s\n", st, st.ParamCount(), st)
	}
	return sb.String()
}

// valueCommand evaluates the item of the INSERT in the input.
func valueCommand(t *testing.T, td *datadriven.TestData) string {
	var params []attr.Value
	for _, arg := range td.CmdArgs {
		if arg.Key == "params" && len(arg.Vals) > 0 {
			if err := json.Unmarshal([]byte(arg.Vals[0]), &params); err != nil {
				t.Fatalf("%s: params: %v", td.Pos, err)
			}
		}
	}
	st, err := Parse(td.Input)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	ins, ok := st.(*Insert)
	if !ok {
		t.Fatalf("%s: not an INSERT", td.Pos)
	}
	v, err := Value(ins.Item, params)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: marshal: %v", td.Pos, err)
	}
	return string(out) + "\n"
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`SELECT * FROM "t" WHERE "pk" = ? AND NOT ("n" BETWEEN 1 AND 2 OR a.b[3] IN [1, 'x'])`,
		`UPDATE t SET a = a + 1, b = list_append(b, [?]) SET c = {'k': <<1, 2>>} REMOVE d.e WHERE pk = 'x'`,
		`DELETE FROM "t" WHERE pk = -1.50 AND x IS NOT MISSING`,
		`INSERT INTO t VALUE {'pk': ?, 'n': NULL, 'b': TRUE}`,
	} {
		st, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		again, err := Parse(st.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", st.String(), err)
		}
		if diff := cmp.Diff(st, again); diff != "" {
			t.Errorf("Parse(String(Parse(%q))) differs (-first +second):\n%s", src, diff)
		}
	}
}

func TestValueParams(t *testing.T) {
	t.Parallel()
	st, err := Parse(`INSERT INTO t VALUE {'a': ?, 'b': [?, 'x']}`)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	ins := st.(*Insert)
	for _, tc := range []struct {
		name    string
		params  []attr.Value
		want    attr.Value
		wantErr string
	}{
		{"both", []attr.Value{attr.NewN("1"), attr.NewBool(true)},
			attr.NewM(map[string]attr.Value{"a": attr.NewN("1"), "b": attr.NewL(attr.NewBool(true), attr.NewS("x"))}), ""},
		{"too few", []attr.Value{attr.NewN("1")}, attr.Value{}, MsgParamCount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Value(ins.Item, tc.params)
			if tc.wantErr != "" {
				var ve *ValueError
				if !errorAs(err, &ve) || ve.Msg != tc.wantErr {
					t.Fatalf("Value() error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Value(): %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Value() (-want +got):\n%s", diff)
			}
		})
	}
}
