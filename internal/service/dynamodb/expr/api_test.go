package expr

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

func TestKeyConditionConds(t *testing.T) {
	t.Parallel()
	values := map[string]attr.Value{":p": attr.NewS("u1"), ":lo": attr.NewN("1"), ":hi": attr.NewN("9")}
	for _, tc := range []struct {
		name, expr string
		want       []KeyCond
	}{
		{"partition only", "pk = :p", []KeyCond{{Name: "pk", Op: KeyEQ, Values: []attr.Value{values[":p"]}}}},
		{"flipped sort", ":p = pk AND :lo <= #sk", []KeyCond{
			{Name: "pk", Op: KeyEQ, Values: []attr.Value{values[":p"]}},
			{Name: "sk", Op: KeyGE, Values: []attr.Value{values[":lo"]}},
		}},
		{"between", "pk = :p AND #sk BETWEEN :lo AND :hi", []KeyCond{
			{Name: "pk", Op: KeyEQ, Values: []attr.Value{values[":p"]}},
			{Name: "sk", Op: KeyBetween, Values: []attr.Value{values[":lo"], values[":hi"]}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := &Attrs{Names: map[string]string{"#sk": "sk"}, Values: values}
			kc, err := ParseKeyCondition(tc.expr, a)
			if err != nil {
				t.Fatalf("ParseKeyCondition(%q): %v", tc.expr, err)
			}
			if diff := cmp.Diff(tc.want, kc.Conds); diff != "" {
				t.Errorf("ParseKeyCondition(%q) conds mismatch (-want +got):\n%s", tc.expr, diff)
			}
		})
	}
}

func TestUpdateTopLevelNames(t *testing.T) {
	t.Parallel()
	a := &Attrs{Names: map[string]string{"#k": "pk"}, Values: map[string]attr.Value{":v": attr.NewN("1")}}
	u, err := ParseUpdate("SET a.b = :v, #k = :v REMOVE a.c, c[1] ADD d :v", a)
	if err != nil {
		t.Fatalf("ParseUpdate: %v", err)
	}
	want := []string{"a", "pk", "c", "d"}
	if diff := cmp.Diff(want, u.TopLevelNames()); diff != "" {
		t.Errorf("TopLevelNames() mismatch (-want +got):\n%s", diff)
	}
}

// TestConcurrentUse checks under -race that parsed expressions are safe to
// share between goroutines.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	a := &Attrs{Values: map[string]attr.Value{":v": attr.NewN("1")}}
	c, err := ParseCondition("n = :v", a)
	if err != nil {
		t.Fatalf("ParseCondition: %v", err)
	}
	u, err := ParseUpdate("SET n = n + :v, l[0] = :v", a)
	if err != nil {
		t.Fatalf("ParseUpdate: %v", err)
	}
	item := attr.Item{"n": attr.NewN("1"), "l": attr.NewL(attr.NewN("0"))}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				if ok, _ := c.Eval(item); !ok {
					t.Error("Eval = false, want true")
				}
				if _, err := u.Apply(item); err != nil {
					t.Errorf("Apply: %v", err)
				}
			}
		})
	}
	wg.Wait()
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := ParseCondition("", nil)
	want := "expr: Invalid ConditionExpression: The expression can not be empty;"
	if err == nil || err.Error() != want {
		t.Errorf("ParseCondition(\"\") error = %v, want %q", err, want)
	}
}
