package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// startupLine is one figure of bench/startup, e.g.
// "idle RSS: median 27.7 MiB, max 27.9 MiB (target < 30 MiB)".
var startupLine = regexp.MustCompile(`^(.+): median (.+), max (.+) \(target ([<>]=?) (.+)\)$`)

// formatStartup renders bench/startup's lines as a table with a verdict
// per figure; lines it does not recognise are fenced after the table.
func formatStartup(outs []string) string {
	var b, rest strings.Builder
	b.WriteString("| measure | median | max | target | verdict |\n|---|---|---|---|---|\n")
	for line := range strings.SplitSeq(strings.Join(outs, "\n"), "\n") {
		m := startupLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			if strings.TrimSpace(line) != "" {
				rest.WriteString(line + "\n")
			}
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s %s | %s |\n", m[1], m[2], m[3], m[4], m[5], verdict(m[2], m[4], m[5]))
	}
	if rest.Len() > 0 {
		b.WriteString("\n```text\n" + rest.String() + "```\n")
	}
	return b.String()
}

// verdict compares a figure with its target ("<" or ">" and a bound of the
// same unit): "met", "NOT met", or "?" when they cannot be compared.
func verdict(figure, op, bound string) string {
	v, unit, ok1 := quantity(figure)
	t, tunit, ok2 := quantity(bound)
	if !ok1 || !ok2 || unit != tunit {
		return "?"
	}
	var ok bool
	switch op {
	case "<":
		ok = v < t
	case "<=":
		ok = v <= t
	case ">":
		ok = v > t
	case ">=":
		ok = v >= t
	}
	if ok {
		return "met"
	}
	return "NOT met"
}

// quantity parses "61.2ms" (as seconds, unit "s") or "27.7 MiB".
func quantity(s string) (float64, string, bool) {
	s = strings.TrimSpace(s)
	if d, err := time.ParseDuration(s); err == nil {
		return d.Seconds(), "s", true
	}
	num, unit, _ := strings.Cut(s, " ")
	v, err := strconv.ParseFloat(num, 64)
	return v, unit, err == nil
}

// benchLine is one result of go test -bench with an ops/s metric, e.g.
// "BenchmarkEngine/Get-2   123   8123 ns/op   123115 ops/s   ...".
var benchLine = regexp.MustCompile(`^BenchmarkEngine/(\w+)(?:-\d+)?\s.*?\s([\d.e+]+) ops/s`)

// storageRows names the storage benchmarks in report order.
var storageRows = []struct{ name, label string }{
	{"Get", "Get (one View)"},
	{"Put", "Put (one synced Update, one writer)"},
	{"PutParallel", "Put, 16 goroutines per core (group commit)"},
	{"Scan100", "Scan of 100 keys"},
}

// formatStorage renders the go test -bench outputs of the Pebble engine
// (and of PostgreSQL, when run) as one table.
func formatStorage(outs []string) string {
	engines := []string{"Pebble", "PostgreSQL (loopback)"}[:len(outs)]
	figures := make([]map[string]float64, len(outs))
	for i, out := range outs {
		figures[i] = map[string]float64{}
		for line := range strings.SplitSeq(out, "\n") {
			if m := benchLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				figures[i][m[1]], _ = strconv.ParseFloat(m[2], 64)
			}
		}
	}
	var b strings.Builder
	b.WriteString("| benchmark | " + strings.Join(engines, " | ") + " |\n|---|" + strings.Repeat("---|", len(engines)) + "\n")
	for _, row := range storageRows {
		b.WriteString("| " + row.label + " |")
		for _, f := range figures {
			if v, ok := f[row.name]; ok {
				fmt.Fprintf(&b, " %s ops/s |", thousands(v))
			} else {
				b.WriteString(" - |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// thousands renders v rounded, with thousands separators: 12,345.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
