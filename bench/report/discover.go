package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// tools are the programs under bench/ that are not benchmarks.
var tools = []string{"ceiling", "loadgen", "report"}

// directive marks the arguments of a benchmark's short run.
const directive = "//fogbank:report"

// curatedJob is a benchmark program whose section text the report keeps;
// args are used when the program has no directive.
type curatedJob struct {
	job
	args []string
}

// curated are the curated benchmark programs, in report order.
var curated = []curatedJob{{
	job: job{
		name:  "dynamodb",
		title: "DynamoDB GetItem / PutItem vs the JSON ceiling and dynalite (issues 3, 9)",
		intro: "The built `fogbank serve` (Pebble, SigV4 verified, PutItem synced to disk before it is\n" +
			"acknowledged) against `bench/ceiling`, a minimal net/http server that decodes the same JSON\n" +
			"into generic values, keeps items in a map and answers, and against\n" +
			"[dynalite](https://github.com/architect/dynalite) (Node.js, LevelDB without fsync), the npm\n" +
			"package users might run instead, installed on first use. All three are driven by the same\n" +
			"aws-sdk-go-v2 client (1 KB items, 1000 keys). The target is Fogbank's share of the ceiling at\n" +
			"c=64; \"fogbank / dynalite\" above 1 means Fogbank is faster.",
		notes: "PutItem at c=1 is bounded by one fsync per write; at c=64 concurrent commits share WAL fsyncs\n" +
			"(group commit), so durable writes get much closer to the ceiling.",
	},
	args: []string{"-duration", "2s", "-warmup", "500ms"},
}, {
	job: job{
		name:  "startup",
		title: "Start-up and idle memory (issue 3)",
		intro: "`fogbank serve` on an empty data dir, from fork/exec to the first 200 from\n" +
			"`/_fogbank/health`, then VmRSS after 2 s idle.",
		notes: "The binary is built as released, static and pure Go (`CGO_ENABLED=0`, ~41 MB; see\n" +
			"`internal/fogproc`): linked against libc the same code idles at ~32 MiB, 28 MiB of it the\n" +
			"binary's pages. Of the ready time, process start to the end of package initialisation is\n" +
			"~28 ms (`GODEBUG=inittrace=1` sums ~19 ms over 220 packages: Pebble's Prometheus/protobuf/Sentry\n" +
			"dependencies ~6 ms, the runtime's own; much of it page faults on the binary); `serve` then\n" +
			"takes ~8 ms. A new Pebble store is built in a staging directory with its syncs skipped (about\n" +
			"twenty in a row before) and made durable in the background by two rounds of syncs (its files,\n" +
			"then the directory it is renamed into); meanwhile the socket is bound (connections queue until\n" +
			"the server is built), the S3 master key written and synced, and the services built while the\n" +
			"root key is stored (its commit waits for those two rounds). DynamoDB numbers no longer use apd\n" +
			"(-3 ms of init) and `fogbank invoke`/`logs` no longer link the SDK's service clients (-5 MB,\n" +
			"-7 ms of init). Start-up time moves with machine load: the figure above is from this run's\n" +
			"machine state.",
		format: formatStartup,
	},
	args: []string{"-n", "10"},
}}

// storageJob runs the storage engines' conformance benchmarks.
func storageJob() job {
	j := job{
		name:  "storage",
		title: "Storage engines (issues 3, 4)",
		intro: "The storagetest benchmarks of each engine: a point read in its own View over 10,000 keys, one\n" +
			"synced 100-byte Update from one writer and from 16 goroutines per core (group commit), and a\n" +
			"View scanning 100 pairs.",
		cmds:   [][]string{benchCmd("./internal/storage/pebble/")},
		format: formatStorage,
	}
	if postgresConfigured() {
		j.cmds = append(j.cmds, benchCmd("./internal/storage/postgres/"))
	} else {
		j.notes = "PostgreSQL column: run with `FOGBANK_TEST_POSTGRES` set (`eval \"$(.ci/postgres.sh)\"`)."
	}
	return j
}

func benchCmd(pkg string) []string {
	return []string{"go", "test", "-run", "^$", "-bench", "^BenchmarkEngine$", "-benchtime", "1s", pkg}
}

// discover returns the report's jobs: the curated benchmarks, then every
// other benchmark program under dir in name order, then the storage
// engines.
func discover(dir string) ([]job, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var jobs, others []job
	for _, c := range curated {
		j, found, err := programJob(filepath.Join(dir, c.name), c.job, c.args)
		if err != nil {
			return nil, err
		}
		if found {
			jobs = append(jobs, j)
		}
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || name == "internal" || slices.Contains(tools, name) || isCurated(name) {
			continue
		}
		j, found, err := programJob(filepath.Join(dir, name), job{name: name, title: "bench/" + name}, nil)
		if err != nil {
			return nil, err
		}
		if found {
			others = append(others, j)
		}
	}
	return append(append(jobs, others...), storageJob()), nil
}

func isCurated(name string) bool {
	return slices.ContainsFunc(curated, func(c curatedJob) bool { return c.name == name })
}

// programJob completes j for the main package in dir, if there is one: the
// command with the directive's arguments (or args), and for an uncurated
// program the first paragraph of its package doc as the intro.
func programJob(dir string, j job, args []string) (job, bool, error) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, "main.go"), nil, parser.PackageClauseOnly|parser.ParseComments)
	if os.IsNotExist(err) {
		return j, false, nil
	}
	if err != nil {
		return j, false, fmt.Errorf("report: %w", err)
	}
	if f.Name.Name != "main" {
		return j, false, nil
	}
	if d, ok := directiveArgs(f.Comments); ok {
		args = d
	}
	j.cmds = [][]string{append([]string{"go", "run", "./" + filepath.ToSlash(dir)}, args...)}
	if j.intro == "" && f.Doc != nil {
		j.intro = firstParagraph(f.Doc.Text())
	}
	return j, true, nil
}

// directiveArgs finds the //fogbank:report line among the comments before
// the package clause and returns its arguments.
func directiveArgs(groups []*ast.CommentGroup) ([]string, bool) {
	for _, g := range groups {
		for _, c := range g.List {
			if rest, ok := strings.CutPrefix(c.Text, directive); ok && (rest == "" || rest[0] == ' ') {
				return strings.Fields(rest), true
			}
		}
	}
	return nil, false
}

func firstParagraph(doc string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(doc), "\n\n")
	return para
}
