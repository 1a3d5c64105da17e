package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// defaultLimit bounds one benchmark's run when it sets no limit of its own.
const defaultLimit = 4 * time.Minute

// A job is one section of the report: the commands that measure it and how
// their output becomes markdown.
type job struct {
	// name is the short name used by -only and the summary.
	name string
	// title is the section heading.
	title string
	// intro and notes are markdown before and after the figures.
	intro, notes string
	// cmds are the commands to run, in order, from the module root. A
	// command starting with "go run" is built first, so that its build
	// time is not part of its run time.
	cmds [][]string
	// format turns the commands' outputs into markdown; nil renders each
	// output as markdown (or fenced text when it does not look like it).
	format func(outs []string) string
	// limit bounds the job's run time (defaultLimit when zero).
	limit time.Duration
}

// outcome is what running a job produced.
type outcome struct {
	job
	outs []string
	took time.Duration
	err  error
}

// status is a one-word verdict on the run.
func (o outcome) status() string {
	switch {
	case o.err == nil:
		return "ran"
	case errors.Is(o.err, context.DeadlineExceeded):
		return "timed out"
	}
	return "failed"
}

// run runs j's commands, stopping at the first failure or at its time
// limit, whichever comes first, and never after deadline.
func (j job) run(ctx context.Context, tmp string, deadline time.Time) outcome {
	limit := j.limit
	if limit == 0 {
		limit = defaultLimit
	}
	if d := time.Until(deadline); d < limit {
		limit = d
	}
	o := outcome{job: j}
	if limit <= 0 {
		o.err = errors.New("not run: the report's time budget was spent")
		return o
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for _, args := range j.cmds {
		argv, err := prepare(ctx, args, tmp)
		if err != nil {
			o.err = err
			return o
		}
		start := time.Now()
		out, err := execute(ctx, argv)
		o.took += time.Since(start)
		o.outs = append(o.outs, out)
		if err != nil {
			o.err = err
			return o
		}
	}
	return o
}

// prepare turns "go run ./pkg args" into a freshly built binary and args;
// other commands are returned as they are.
func prepare(ctx context.Context, args []string, tmp string) ([]string, error) {
	if len(args) < 3 || args[0] != "go" || args[1] != "run" {
		return args, nil
	}
	bin := filepath.Join(tmp, filepath.Base(args[2]))
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, args[2])
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build %s: %w: %s", args[2], err, lastLine(out))
	}
	return append([]string{bin}, args[3:]...), nil
}

// execute runs argv and returns its standard output; a failure carries the
// last line of its standard error.
func execute(ctx context.Context, argv []string) (string, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return stdout.String(), ctx.Err()
	}
	if err != nil {
		return stdout.String(), fmt.Errorf("%w: %s", err, lastLine(stderr.Bytes()))
	}
	return stdout.String(), nil
}

func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// commandLine renders j's commands as the reader would type them.
func (j job) commandLine() string {
	var parts []string
	for _, args := range j.cmds {
		parts = append(parts, "`"+strings.Join(args, " ")+"`")
	}
	return strings.Join(parts, ", then ")
}

// postgresConfigured reports whether a PostgreSQL test database is set, as
// the PostgreSQL benchmarks need.
func postgresConfigured() bool { return os.Getenv("FOGBANK_TEST_POSTGRES") != "" }
