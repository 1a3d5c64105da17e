package soak

import (
	"fmt"
	"strings"
)

// MinSamples is the fewest samples a trend check accepts.
const MinSamples = 6

// trend is one metric's leak check: the mean of the last third of the
// samples may exceed the first third's by at most factor times it plus
// slack.
type trend struct {
	name          string
	of            func(Point) float64
	factor, slack float64
	unit          string
}

var trends = []trend{
	{name: "RSS", of: func(p Point) float64 { return mib(float64(p.RSS)) }, factor: 1.25, slack: 16, unit: "MiB"},
	{name: "goroutines", of: func(p Point) float64 { return float64(p.Goroutines) }, factor: 1.25, slack: 20},
	{name: "open files", of: func(p Point) float64 { return float64(p.OpenFiles) }, factor: 1, slack: 16},
	// Latency on a shared machine is noisy: only a large, sustained rise fails.
	{name: "p99 (ms)", of: func(p Point) float64 { return p.P99.Seconds() * 1000 }, factor: 3, slack: 50, unit: "ms"},
}

// Verdict is one metric's trend check.
type Verdict struct {
	// Metric names the metric, e.g. "RSS".
	Metric string
	// Unit is the unit of First, Last and Limit; empty for counts.
	Unit string
	// First and Last are the means of the first and last thirds of the
	// samples.
	First, Last float64
	// Limit is the highest Last that passes.
	Limit float64
}

// OK reports whether the metric stayed within its limit.
func (v Verdict) OK() bool { return v.Last <= v.Limit }

// Trends checks every metric of points for an upward trend; it needs at
// least MinSamples points.
func Trends(points []Point) ([]Verdict, error) {
	if len(points) < MinSamples {
		return nil, fmt.Errorf("soak: only %d samples; want at least %d", len(points), MinSamples)
	}
	third := len(points) / 3
	verdicts := make([]Verdict, 0, len(trends))
	for _, tr := range trends {
		first, last := meanOf(points[:third], tr.of), meanOf(points[len(points)-third:], tr.of)
		verdicts = append(verdicts, Verdict{Metric: tr.name, Unit: tr.unit, First: first, Last: last, Limit: first*tr.factor + tr.slack})
	}
	return verdicts, nil
}

// VerdictTable renders verdicts as a markdown table ending in "met" or
// "NOT met" per metric.
func VerdictTable(verdicts []Verdict) string {
	var b strings.Builder
	b.WriteString("| metric | first third | last third | limit | verdict |\n|---|---|---|---|---|\n")
	for _, v := range verdicts {
		limit := strings.TrimSpace(fmt.Sprintf("<= %.1f %s", v.Limit, v.Unit))
		fmt.Fprintf(&b, "| %s | %.1f | %.1f | %s | %s |\n", v.Metric, v.First, v.Last, limit, verdictWord(v.OK()))
	}
	return b.String()
}

func verdictWord(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func meanOf(points []Point, of func(Point) float64) float64 {
	var sum float64
	for _, p := range points {
		sum += of(p)
	}
	return sum / float64(len(points))
}
