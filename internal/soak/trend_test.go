package soak

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// steady returns n identical samples, the last third with bump applied.
func steady(n int, bump func(*Point)) []Point {
	points := make([]Point, n)
	for i := range points {
		points[i] = Point{RSS: 64 << 20, Goroutines: 40, OpenFiles: 20, P99: 2 * time.Millisecond}
		if i >= n-n/3 {
			bump(&points[i])
		}
	}
	return points
}

func TestTrends(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		points []Point
		want   []bool // OK per metric: RSS, goroutines, open files, p99
	}{
		{"flat", steady(6, func(*Point) {}), []bool{true, true, true, true}},
		{"RSS leak", steady(9, func(p *Point) { p.RSS = 120 << 20 }), []bool{false, true, true, true}},
		{"RSS within slack", steady(9, func(p *Point) { p.RSS = 96 << 20 }), []bool{true, true, true, true}},
		{"goroutine leak", steady(9, func(p *Point) { p.Goroutines = 71 }), []bool{true, false, true, true}},
		{"fd leak", steady(9, func(p *Point) { p.OpenFiles = 37 }), []bool{true, true, false, true}},
		{"p99 at limit", steady(9, func(p *Point) { p.P99 = 56 * time.Millisecond }), []bool{true, true, true, true}},
		{"p99 rise", steady(9, func(p *Point) { p.P99 = 57 * time.Millisecond }), []bool{true, true, true, false}},
	} {
		verdicts, err := Trends(tc.points)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []bool
		for _, v := range verdicts {
			got = append(got, v.OK())
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: OK per metric mismatch (-want +got):\n%s\n%s", tc.name, diff, VerdictTable(verdicts))
		}
	}
}

func TestTrendsTooFewSamples(t *testing.T) {
	t.Parallel()
	if _, err := Trends(steady(MinSamples-1, func(*Point) {})); err == nil {
		t.Error("Trends accepted too few samples")
	}
}

func TestTables(t *testing.T) {
	t.Parallel()
	points := []Point{{At: 7 * time.Second, RSS: 48 << 20, Goroutines: 33, OpenFiles: 19, P99: 1234567 * time.Nanosecond}}
	wantSamples := "| t | RSS | goroutines | open files | p99 |\n|---|---|---|---|---|\n" +
		"| 7s | 48.0 MiB | 33 | 19 | 1.23ms |\n"
	if diff := cmp.Diff(wantSamples, SamplesTable(points)); diff != "" {
		t.Errorf("SamplesTable mismatch (-want +got):\n%s", diff)
	}
	verdicts := []Verdict{
		{Metric: "RSS", Unit: "MiB", First: 40, Last: 41, Limit: 66},
		{Metric: "goroutines", First: 30, Last: 80, Limit: 57.5},
	}
	wantVerdicts := "| metric | first third | last third | limit | verdict |\n|---|---|---|---|---|\n" +
		"| RSS | 40.0 | 41.0 | <= 66.0 MiB | met |\n" +
		"| goroutines | 30.0 | 80.0 | <= 57.5 | NOT met |\n"
	if diff := cmp.Diff(wantVerdicts, VerdictTable(verdicts)); diff != "" {
		t.Errorf("VerdictTable mismatch (-want +got):\n%s", diff)
	}
}
