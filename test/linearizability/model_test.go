package linearizability

import (
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/google/go-cmp/cmp"
)

// call is one operation of a hand-written history: invoked at start and
// answered at end (Forever for a pending call).
type call struct {
	in         Input
	out        Output
	start, end int64
}

func item(ver, n int, val string) Item { return Item{Exists: true, Ver: ver, N: n, Val: val} }

func TestModel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		history []call
		want    porcupine.CheckResult
	}{{
		name: "put then get",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{}, 0, 1},
			{Input{Kind: Get, Key: "a"}, Output{Item: item(0, 0, "x")}, 2, 3},
		},
		want: porcupine.Ok,
	}, {
		name: "stale read after an acknowledged put",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{}, 0, 1},
			{Input{Kind: Get, Key: "a"}, Output{}, 2, 3},
		},
		want: porcupine.Illegal,
	}, {
		name: "concurrent read may see either side",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{}, 0, 10},
			{Input{Kind: Get, Key: "a"}, Output{}, 1, 2},
			{Input{Kind: Get, Key: "a"}, Output{Item: item(0, 0, "x")}, 3, 4},
		},
		want: porcupine.Ok,
	}, {
		name: "read goes back in time",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{}, 0, 10},
			{Input{Kind: Get, Key: "a"}, Output{Item: item(0, 0, "x")}, 1, 2},
			{Input{Kind: Get, Key: "a"}, Output{}, 3, 4},
		},
		want: porcupine.Illegal,
	}, {
		name: "racing updates on one version: one wins",
		history: []call{
			{Input{Kind: Update, Key: "a", Expect: -1, Val: "x"}, Output{}, 0, 10},
			{Input{Kind: Update, Key: "a", Expect: -1, Val: "y"}, Output{Failed: true}, 0, 10},
			{Input{Kind: Get, Key: "a"}, Output{Item: item(0, 0, "x")}, 11, 12},
		},
		want: porcupine.Ok,
	}, {
		name: "racing updates on one version: both win",
		history: []call{
			{Input{Kind: Update, Key: "a", Expect: -1, Val: "x"}, Output{}, 0, 10},
			{Input{Kind: Update, Key: "a", Expect: -1, Val: "y"}, Output{}, 0, 10},
		},
		want: porcupine.Illegal,
	}, {
		name: "versioned update chain and increments",
		history: []call{
			{Input{Kind: Increment, Key: "a"}, Output{Failed: true}, 0, 1},
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{}, 2, 3},
			{Input{Kind: Update, Key: "a", Expect: 0, Val: "y"}, Output{}, 4, 5},
			{Input{Kind: Increment, Key: "a"}, Output{Item: Item{N: 1}}, 6, 7},
			{Input{Kind: Update, Key: "a", Expect: 0, Val: "z"}, Output{Failed: true}, 8, 9},
			{Input{Kind: Delete, Key: "a"}, Output{Item: item(1, 1, "y")}, 10, 11},
			{Input{Kind: Get, Key: "a"}, Output{}, 12, 13},
		},
		want: porcupine.Ok,
	}, {
		name: "lost increment",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{}, 0, 1},
			{Input{Kind: Increment, Key: "a"}, Output{Item: Item{N: 1}}, 2, 5},
			{Input{Kind: Increment, Key: "a"}, Output{Item: Item{N: 1}}, 2, 5},
		},
		want: porcupine.Illegal,
	}, {
		name: "unknown write may not have happened",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{Unknown: true}, 0, Forever},
			{Input{Kind: Get, Key: "a"}, Output{}, 1, 2},
		},
		want: porcupine.Ok,
	}, {
		name: "unknown write may have happened",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{Unknown: true}, 0, Forever},
			{Input{Kind: Get, Key: "a"}, Output{Item: item(0, 0, "x")}, 1, 2},
		},
		want: porcupine.Ok,
	}, {
		name: "unknown write ended by a kill cannot happen after it",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{Unknown: true}, 0, 1},
			{Input{Kind: Get, Key: "a"}, Output{}, 2, 3},
			{Input{Kind: Get, Key: "a"}, Output{Item: item(0, 0, "x")}, 4, 5},
		},
		want: porcupine.Illegal,
	}, {
		name: "keys are independent",
		history: []call{
			{Input{Kind: Put, Key: "a", Val: "x"}, Output{}, 0, 1},
			{Input{Kind: Get, Key: "b"}, Output{}, 2, 3},
		},
		want: porcupine.Ok,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := NewHistory()
			for i, c := range tc.history {
				h.Add(i, c.in, c.start, c.end, c.out)
			}
			got := h.Check(10 * time.Second).Result
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Check() result mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
