package storagetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/storage"
)

var scanTests = []conformanceTest{
	{"ScanRanges", testScanRanges},
	{"ScanEarlyStop", testScanEarlyStop},
	{"ScanPrefix", testScanPrefix},
}

// scanKeys is the data set of the scan tests; each value is its key.
var scanKeys = []string{"a", "b", "ba", "bb", "b\xff", "c", "d", "\xff", "\xff\xff"}

// loadKeys stores each key with itself as value.
func loadKeys(t *testing.T, e storage.Engine, keys []string) {
	t.Helper()
	var kvs []string
	for _, k := range keys {
		kvs = append(kvs, k, k)
	}
	set(t, e, kvs...)
}

// scanKeysOf runs r in a View and returns the keys visited.
func scanKeysOf(t *testing.T, e storage.Engine, r storage.Range) []string {
	t.Helper()
	var got []string
	err := e.View(t.Context(), func(tx storage.ReadTx) error {
		return tx.Scan(r, func(k, v []byte) bool {
			if string(k) != string(v) {
				t.Errorf("Scan visited %q with value %q, want the key as value", k, v)
			}
			got = append(got, string(k))
			return true
		})
	})
	if err != nil {
		t.Fatalf("View(Scan(%+v)): %v", r, err)
	}
	return got
}

func testScanRanges(t *testing.T, e storage.Engine) {
	loadKeys(t, e, scanKeys)
	for _, tc := range []struct {
		name string
		r    storage.Range
		want []string
	}{
		{"all", storage.Range{}, scanKeys},
		{"all reverse", storage.Range{Reverse: true},
			[]string{"\xff\xff", "\xff", "d", "c", "b\xff", "bb", "ba", "b", "a"}},
		{"start inclusive", storage.Range{Start: []byte("b")},
			[]string{"b", "ba", "bb", "b\xff", "c", "d", "\xff", "\xff\xff"}},
		{"end exclusive", storage.Range{End: []byte("c")},
			[]string{"a", "b", "ba", "bb", "b\xff"}},
		{"bounds", storage.Range{Start: []byte("b"), End: []byte("c")},
			[]string{"b", "ba", "bb", "b\xff"}},
		{"bounds between keys", storage.Range{Start: []byte("az"), End: []byte("bc")},
			[]string{"b", "ba", "bb"}},
		{"bounds reverse", storage.Range{Start: []byte("b"), End: []byte("c"), Reverse: true},
			[]string{"b\xff", "bb", "ba", "b"}},
		{"limit", storage.Range{Limit: 3}, []string{"a", "b", "ba"}},
		{"limit reverse", storage.Range{Reverse: true, Limit: 2}, []string{"\xff\xff", "\xff"}},
		{"limit with bounds reverse", storage.Range{Start: []byte("a"), End: []byte("bb"), Reverse: true, Limit: 2},
			[]string{"ba", "b"}},
		{"limit above count", storage.Range{Start: []byte("c"), Limit: 100},
			[]string{"c", "d", "\xff", "\xff\xff"}},
		{"start equals end", storage.Range{Start: []byte("b"), End: []byte("b")}, nil},
		{"start after end", storage.Range{Start: []byte("c"), End: []byte("b")}, nil},
		{"start after end reverse", storage.Range{Start: []byte("c"), End: []byte("b"), Reverse: true}, nil},
		{"empty end", storage.Range{End: []byte{}}, nil},
		{"past last key", storage.Range{Start: []byte("\xff\xff\x00")}, nil},
		{"before first key", storage.Range{End: []byte("a")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, scanKeysOf(t, e, tc.r)); diff != "" {
				t.Errorf("Scan(%+v) mismatch (-want +got):\n%s", tc.r, diff)
			}
		})
	}
}

func testScanEarlyStop(t *testing.T, e storage.Engine) {
	loadKeys(t, e, scanKeys)
	for _, reverse := range []bool{false, true} {
		var got []string
		err := e.View(t.Context(), func(tx storage.ReadTx) error {
			return tx.Scan(storage.Range{Reverse: reverse}, func(k, _ []byte) bool {
				got = append(got, string(k))
				return len(got) < 2
			})
		})
		if err != nil {
			t.Fatalf("View: %v", err)
		}
		want := []string{"a", "b"}
		if reverse {
			want = []string{"\xff\xff", "\xff"}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Scan(reverse=%v) stopping after 2 mismatch (-want +got):\n%s", reverse, diff)
		}
	}
}

func testScanPrefix(t *testing.T, e storage.Engine) {
	loadKeys(t, e, scanKeys)
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"b", []string{"b", "ba", "bb", "b\xff"}},
		{"ba", []string{"ba"}},
		{"b\xff", []string{"b\xff"}},
		{"\xff", []string{"\xff", "\xff\xff"}}, // PrefixEnd is nil: scan to the end
		{"e", nil},
		{"", scanKeys},
	} {
		r := storage.Range{Start: []byte(tc.prefix), End: storage.PrefixEnd([]byte(tc.prefix))}
		if diff := cmp.Diff(tc.want, scanKeysOf(t, e, r)); diff != "" {
			t.Errorf("prefix %q scan mismatch (-want +got):\n%s", tc.prefix, diff)
		}
	}
}
