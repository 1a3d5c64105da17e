package expr

import (
	"testing"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

const benchCondition = "attribute_exists(pk) AND #st IN (:a, :b) AND (size(tags) > :n OR begins_with(title, :p)) AND NOT contains(tags, :t)"

func benchAttrs() *Attrs {
	return &Attrs{
		Names: map[string]string{"#st": "status"},
		Values: map[string]attr.Value{
			":a": attr.NewS("open"), ":b": attr.NewS("held"), ":n": attr.NewN("2"),
			":p": attr.NewS("fog"), ":t": attr.NewS("spam"), ":one": attr.NewN("1"),
			":new": attr.NewL(attr.NewS("x")), ":empty": attr.NewL(),
		},
	}
}

var benchItem = attr.Item{
	"pk":     attr.NewS("user#1"),
	"status": attr.NewS("open"),
	"title":  attr.NewS("fogbank design"),
	"tags":   attr.NewL(attr.NewS("a"), attr.NewS("b"), attr.NewS("c")),
	"count":  attr.NewN("41"),
}

func BenchmarkParseCondition(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCondition(benchCondition, benchAttrs()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvalCondition(b *testing.B) {
	c, err := ParseCondition(benchCondition, benchAttrs())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := c.Eval(benchItem); !ok {
			b.Fatal("Eval = false, want true")
		}
	}
}

func BenchmarkApplyUpdate(b *testing.B) {
	u, err := ParseUpdate("SET #c = #c + :one, tags = list_append(if_not_exists(tags, :empty), :new) REMOVE title", &Attrs{
		Names:  map[string]string{"#c": "count"},
		Values: benchAttrs().Values,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := u.Apply(benchItem); err != nil {
			b.Fatal(err)
		}
	}
}
