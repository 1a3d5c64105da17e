package attr

import (
	"encoding/json"
	"strings"
	"testing"
)

// benchItem is a 1 KB item of ten attributes of mixed types.
func benchItem() Item {
	return Item{
		"pk":      NewS("user#0123456789"),
		"sk":      NewS("profile#2024-01-01T00:00:00Z"),
		"age":     NewN("42"),
		"balance": NewN("-1234.5678"),
		"avatar":  NewB([]byte(strings.Repeat("\x89PNG", 40))),
		"active":  NewBool(true),
		"deleted": NewNull(),
		"tags":    NewSS("admin", "beta", "early-adopter", "newsletter"),
		"scores":  NewNS("1", "2.5", "100", "-7"),
		"address": NewM(map[string]Value{
			"street": NewS(strings.Repeat("Long Street Name ", 10)),
			"city":   NewS("Springfield"),
			"zip":    NewN("12345"),
			"geo":    NewL(NewN("40.7128"), NewN("-74.006")),
		}),
		"history": NewL(
			NewM(map[string]Value{"at": NewN("1700000000"), "what": NewS("login from a new device")}),
			NewM(map[string]Value{"at": NewN("1700000100"), "what": NewS("changed password")}),
			NewS(strings.Repeat("note ", 30)),
		),
	}
}

func BenchmarkUnmarshalItem(b *testing.B) {
	data, err := json.Marshal(benchItem())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var it Item
		if err := it.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalItem(b *testing.B) {
	it := benchItem()
	data, _ := it.MarshalJSON()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := it.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmarshalItemViaEncodingJSON measures the path a request struct
// takes: encoding/json validates the document, then calls Item.UnmarshalJSON.
func BenchmarkUnmarshalItemViaEncodingJSON(b *testing.B) {
	data, _ := json.Marshal(struct{ Item Item }{benchItem()})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var req struct{ Item Item }
		if err := json.Unmarshal(data, &req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseNumber(b *testing.B) {
	for _, in := range []string{"42", "-1234.5678", "01.50e3"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseNumber(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAddNumbers(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AddNumbers("1234.5678", "-0.0078"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompareNumbers(b *testing.B) {
	b.ReportAllocs()
	x, y := NewN("1234.5678"), NewN("1234.5679")
	for b.Loop() {
		Compare(x, y)
	}
}
