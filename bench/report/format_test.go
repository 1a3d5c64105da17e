package main

import (
	"go/ast"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormatStartup(t *testing.T) {
	t.Parallel()
	out := "ready on an empty data dir: median 61.2ms, max 73.6ms (target < 50ms)\n" +
		"idle RSS: median 27.7 MiB, max 27.9 MiB (target < 30 MiB)\n" +
		"something else\n"
	want := "| measure | median | max | target | verdict |\n|---|---|---|---|---|\n" +
		"| ready on an empty data dir | 61.2ms | 73.6ms | < 50ms | NOT met |\n" +
		"| idle RSS | 27.7 MiB | 27.9 MiB | < 30 MiB | met |\n" +
		"\n```text\nsomething else\n```\n"
	if diff := cmp.Diff(want, formatStartup([]string{out})); diff != "" {
		t.Errorf("formatStartup mismatch (-want +got):\n%s", diff)
	}
}

func TestVerdict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ figure, op, bound, want string }{
		{"44ms", "<", "50ms", "met"},
		{"1.2s", "<", "50ms", "NOT met"},
		{"31 MiB", "<", "30 MiB", "NOT met"},
		{"31 MiB", ">=", "30 MiB", "met"},
		{"31 MiB", "<", "30ms", "?"},
		{"lots", "<", "30 MiB", "?"},
	} {
		if got := verdict(tc.figure, tc.op, tc.bound); got != tc.want {
			t.Errorf("verdict(%q, %q, %q) = %q, want %q", tc.figure, tc.op, tc.bound, got, tc.want)
		}
	}
}

func TestFormatStorage(t *testing.T) {
	t.Parallel()
	pebble := "goos: linux\n" +
		"BenchmarkEngine/Get-2         	  200000	      6123 ns/op	    163312 ops/s	     512 B/op	       9 allocs/op\n" +
		"BenchmarkEngine/Put-2         	     700	   1423123 ns/op	       702.7 ops/s\n" +
		"PASS\n"
	postgres := "BenchmarkEngine/Get-2   2000   450000 ns/op   2222 ops/s\n"
	want := "| benchmark | Pebble | PostgreSQL (loopback) |\n|---|---|---|\n" +
		"| Get (one View) | 163,312 ops/s | 2,222 ops/s |\n" +
		"| Put (one synced Update, one writer) | 703 ops/s | - |\n" +
		"| Put, 16 goroutines per core (group commit) | - | - |\n" +
		"| Scan of 100 keys | - | - |\n"
	if diff := cmp.Diff(want, formatStorage([]string{pebble, postgres})); diff != "" {
		t.Errorf("formatStorage mismatch (-want +got):\n%s", diff)
	}
}

func TestCountTargets(t *testing.T) {
	t.Parallel()
	met, notMet := countTargets("| a | >= 0.40: met |\n| b | >= 0.20: NOT met |\n| c | met |\nmetre, unmet")
	if diff := cmp.Diff([2]int{2, 1}, [2]int{met, notMet}); diff != "" {
		t.Errorf("countTargets mismatch (-want +got):\n%s", diff)
	}
}

func TestAsMarkdown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, out, want string }{
		{"table", "| a |\n|---|", "| a |\n|---|"},
		{"note then table", "dynalite skipped: no npm\n\n| a |", "dynalite skipped: no npm\n\n| a |"},
		{"section", "## Query\n\n| a |", "### Query\n\n| a |"},
		{"text", "ready: 5ms", "```text\nready: 5ms\n```"},
	} {
		if diff := cmp.Diff(tc.want, asMarkdown(tc.out)); diff != "" {
			t.Errorf("%s: asMarkdown mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestDirectiveArgs(t *testing.T) {
	t.Parallel()
	group := func(lines ...string) []*ast.CommentGroup {
		g := &ast.CommentGroup{}
		for _, l := range lines {
			g.List = append(g.List, &ast.Comment{Text: l})
		}
		return []*ast.CommentGroup{g}
	}
	for _, tc := range []struct {
		name   string
		groups []*ast.CommentGroup
		want   []string
		found  bool
	}{
		{"args", group("// Command x.", "//", "//fogbank:report -duration 2s -c 64"), []string{"-duration", "2s", "-c", "64"}, true},
		{"no args", group("//fogbank:report"), []string{}, true},
		{"other directive", group("//fogbank:reporter -x"), nil, false},
		{"none", group("// Command x."), nil, false},
	} {
		got, found := directiveArgs(tc.groups)
		if diff := cmp.Diff(tc.want, got); diff != "" || found != tc.found {
			t.Errorf("%s: directiveArgs = %q, %v, want %q, %v", tc.name, got, found, tc.want, tc.found)
		}
	}
}

func TestAnchor(t *testing.T) {
	t.Parallel()
	if got, want := anchor("Start-up and idle memory (issue 3)"), "start-up-and-idle-memory-issue-3"; got != want {
		t.Errorf("anchor = %q, want %q", got, want)
	}
}
