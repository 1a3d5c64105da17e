package storagetest

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/cockroachdb/datadriven"

	"github.com/fogbank/fogbank/internal/storage"
)

// scripts holds the datadriven scripts. They are embedded so that the suite
// runs from any engine's package directory; -rewrite therefore does not
// apply, and expected output is edited by hand.
//
//go:embed testdata/*.txt
var scripts embed.FS

// Script commands, one transaction each at top level:
//
//	put k=v [k=v ...]             set keys in one Update
//	delete k [k ...]              delete keys in one Update
//	get k [k ...]                 read keys in one View
//	scan [start=s] [end=e] [prefix=p] [reverse] [limit=n]
//	                              scan in one View ("(empty)" when nothing)
//	txn [fail]                    run the input lines (put, delete, get,
//	                              scan) in one Update; with fail, return an
//	                              error afterwards so that nothing commits
//	view                          run the input lines (get, scan, and writes,
//	                              which fail) in one View; a line
//	                              "commit <cmd>" runs <cmd> in its own
//	                              transaction while the View is open
//
// Keys and values are shown as key=value, Go-quoted when not plain text.

// errScriptFail is returned by a "txn fail" block's function.
var errScriptFail = errors.New("txn failed")

// runScripts runs every script against a fresh engine.
func runScripts(t *testing.T, open opener) {
	names, err := fs.Glob(scripts, "testdata/*.txt")
	if err != nil || len(names) == 0 {
		t.Fatalf("no scripts embedded: %v", err)
	}
	for _, name := range names {
		t.Run(strings.TrimSuffix(path.Base(name), ".txt"), func(t *testing.T) {
			t.Parallel()
			script, err := scripts.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			r := &scriptRunner{e: openEngine(t, open)}
			datadriven.RunTestFromString(t, string(script), r.run)
		})
	}
}

// scriptRunner runs script commands against one engine.
type scriptRunner struct {
	e storage.Engine
}

// run executes one datadriven directive and returns its output.
func (r *scriptRunner) run(t *testing.T, td *datadriven.TestData) string {
	var out strings.Builder
	var err error
	switch td.Cmd {
	case "txn":
		fail := td.HasArg("fail")
		err = r.e.Update(t.Context(), func(tx storage.Tx) error {
			out.Reset() // in case the engine retries fn
			r.lines(t, tx, td.Input, &out, false)
			if fail {
				return errScriptFail
			}
			return nil
		})
	case "view":
		err = r.e.View(t.Context(), func(tx storage.ReadTx) error {
			out.Reset()
			r.lines(t, tx, td.Input, &out, true)
			return nil
		})
	default:
		out.WriteString(r.single(t, td.Cmd, td.CmdArgs))
	}
	if err != nil {
		fmt.Fprintf(&out, "error: %v\n", err)
	}
	return out.String()
}

// lines runs each input line of a txn or view block through tx.
func (r *scriptRunner) lines(t *testing.T, tx storage.ReadTx, input string, out *strings.Builder, allowCommit bool) {
	for line := range strings.Lines(input) {
		cmd, args, err := datadriven.ParseLine(line)
		switch {
		case err != nil:
			t.Fatalf("%q: %v", line, err)
		case cmd == "":
			continue
		case cmd == "commit" && allowCommit:
			cmd, args, _ = datadriven.ParseLine(strings.TrimPrefix(strings.TrimSpace(line), "commit"))
			out.WriteString(r.single(t, cmd, args))
		default:
			out.WriteString(exec(t, tx, cmd, args))
		}
	}
}

// single runs one command in its own transaction: a View for reads, an
// Update for writes.
func (r *scriptRunner) single(t *testing.T, cmd string, args []datadriven.CmdArg) string {
	var out string
	var err error
	switch cmd {
	case "put", "delete":
		err = r.e.Update(t.Context(), func(tx storage.Tx) error {
			out = exec(t, tx, cmd, args)
			return nil
		})
	default:
		err = r.e.View(t.Context(), func(tx storage.ReadTx) error {
			out = exec(t, tx, cmd, args)
			return nil
		})
	}
	if err != nil {
		return fmt.Sprintf("error: %v\n", err)
	}
	return out
}

// exec runs one command through tx and returns its output.
func exec(t *testing.T, tx storage.ReadTx, cmd string, args []datadriven.CmdArg) string {
	switch cmd {
	case "put", "delete":
		return execWrite(tx, cmd, args)
	case "get":
		return execGet(tx, args)
	case "scan":
		return execScan(t, tx, args)
	}
	t.Fatalf("unknown command %q", cmd)
	return ""
}

// execWrite runs put or delete; a write through a read-only transaction
// reports storage.ErrReadOnly.
func execWrite(tx storage.ReadTx, cmd string, args []datadriven.CmdArg) string {
	w, ok := tx.(storage.Tx)
	if !ok {
		return fmt.Sprintf("error: %v\n", storage.ErrReadOnly)
	}
	for _, a := range args {
		var err error
		if cmd == "put" {
			err = w.Set([]byte(a.Key), []byte(strings.Join(a.Vals, ",")))
		} else {
			err = w.Delete([]byte(a.Key))
		}
		if err != nil {
			return fmt.Sprintf("error: %v\n", err)
		}
	}
	return "ok\n"
}

// execGet prints each requested key's value, or that it is missing.
func execGet(tx storage.ReadTx, args []datadriven.CmdArg) string {
	var out strings.Builder
	for _, a := range args {
		v, err := tx.Get([]byte(a.Key))
		switch {
		case errors.Is(err, storage.ErrNotFound):
			fmt.Fprintf(&out, "%s: not found\n", show(a.Key))
		case err != nil:
			fmt.Fprintf(&out, "error: %v\n", err)
		default:
			fmt.Fprintf(&out, "%s=%s\n", show(a.Key), show(string(v)))
		}
	}
	return out.String()
}

// execScan parses a scan command's range and prints the pairs it visits.
func execScan(t *testing.T, tx storage.ReadTx, args []datadriven.CmdArg) string {
	var r storage.Range
	for _, a := range args {
		switch a.Key {
		case "start":
			r.Start = []byte(a.SingleVal(t))
		case "end":
			r.End = []byte(a.SingleVal(t))
		case "prefix":
			r.Start = []byte(a.SingleVal(t))
			r.End = storage.PrefixEnd(r.Start)
		case "reverse":
			r.Reverse = true
		case "limit":
			n, err := strconv.Atoi(a.SingleVal(t))
			if err != nil {
				t.Fatalf("scan limit: %v", err)
			}
			r.Limit = n
		default:
			t.Fatalf("unknown scan argument %q", a.Key)
		}
	}
	var out strings.Builder
	err := tx.Scan(r, func(k, v []byte) bool {
		fmt.Fprintf(&out, "%s=%s\n", show(string(k)), show(string(v)))
		return true
	})
	if err != nil {
		return fmt.Sprintf("error: %v\n", err)
	}
	if out.Len() == 0 {
		return "(empty)\n"
	}
	return out.String()
}

// show returns s as is when it is plain printable text, else Go-quoted.
func show(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) || r == utf8.RuneError || r == ' ' || r == '=' || r == '"' {
			return strconv.Quote(s)
		}
	}
	return s
}
