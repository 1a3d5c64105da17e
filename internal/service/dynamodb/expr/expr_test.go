package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/fogbank/fogbank/internal/service/dynamodb/attr"
)

// TestDataDriven runs the scripts in testdata (run with -rewrite to
// regenerate the expected output). Commands:
//
//	parse kind=condition|filter|update|projection|key [names=<json>] [values=<json>]
//	eval item=<json> [names=<json>] [values=<json>]
//	update item=<json> [names=<json>] [values=<json>] [returns]
//	project item=<json> [names=<json>]
//	request [names=<json>] [values=<json>]   (input: "<kind>: <expression>" lines)
func TestDataDriven(t *testing.T) {
	t.Parallel()
	for _, path := range dataFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			datadriven.RunTest(t, path, func(t *testing.T, td *datadriven.TestData) string {
				out, err := runCommand(t, td)
				if err != nil {
					t.Fatalf("%s: %v", td.Pos, err)
				}
				return out
			})
		})
	}
}

func dataFiles(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}
	var paths []string
	for _, e := range entries {
		if !e.IsDir() {
			paths = append(paths, filepath.Join("testdata", e.Name()))
		}
	}
	return paths
}

// testArgs are the JSON arguments a command may carry.
type testArgs struct {
	item  attr.Item
	attrs *Attrs
}

func parseArgs(td *datadriven.TestData) (testArgs, error) {
	args := testArgs{attrs: &Attrs{}}
	for _, arg := range td.CmdArgs {
		if len(arg.Vals) == 0 {
			continue
		}
		var target any
		switch arg.Key {
		case "item":
			target = &args.item
		case "names":
			target = &args.attrs.Names
		case "values":
			target = &args.attrs.Values
		default:
			continue
		}
		if err := json.Unmarshal([]byte(arg.Vals[0]), target); err != nil {
			return args, fmt.Errorf("argument %s: %w", arg.Key, err)
		}
	}
	return args, nil
}

func runCommand(t *testing.T, td *datadriven.TestData) (string, error) {
	args, err := parseArgs(td)
	if err != nil {
		return "", err
	}
	input := strings.TrimSpace(td.Input)
	switch td.Cmd {
	case "parse":
		var kind string
		td.ScanArgs(t, "kind", &kind)
		return parseAndPrint(kind, input, args.attrs)
	case "eval":
		c, err := ParseCondition(input, args.attrs)
		if err != nil {
			return message(err), nil
		}
		ok, err := c.Eval(args.item)
		if err != nil {
			return message(err), nil
		}
		return fmt.Sprint(ok), nil
	case "update":
		return runUpdate(td, input, args)
	case "project":
		p, err := ParseProjection(input, args.attrs)
		if err != nil {
			return message(err), nil
		}
		return itemJSON(p.Apply(args.item))
	case "request":
		return runRequest(input, args.attrs)
	}
	return "", fmt.Errorf("unknown command %q", td.Cmd)
}

func runUpdate(td *datadriven.TestData, input string, args testArgs) (string, error) {
	u, err := ParseUpdate(input, args.attrs)
	if err != nil {
		return message(err), nil
	}
	before, err := itemJSON(args.item)
	if err != nil {
		return "", err
	}
	next, err := u.Apply(args.item)
	if err != nil {
		return message(err), nil
	}
	if after, _ := itemJSON(args.item); after != before {
		return "", errors.New("Apply modified its input item")
	}
	out, err := itemJSON(next)
	if err != nil || !td.HasArg("returns") {
		return out, err
	}
	old, err := itemJSON(u.Project(args.item))
	if err != nil {
		return "", err
	}
	updated, err := itemJSON(u.Project(next))
	return fmt.Sprintf("%s\nupdated_old: %s\nupdated_new: %s", out, old, updated), err
}

// parseAndPrint parses input as the named kind and prints its tree.
func parseAndPrint(kind, input string, a *Attrs) (string, error) {
	var (
		tree fmt.Stringer
		err  error
	)
	switch kind {
	case "condition":
		tree, err = ParseCondition(input, a)
	case "filter":
		tree, err = ParseFilter(input, a)
	case "update":
		tree, err = ParseUpdate(input, a)
	case "projection":
		tree, err = ParseProjection(input, a)
	case "key":
		tree, err = ParseKeyCondition(input, a)
	default:
		return "", fmt.Errorf("unknown kind %q", kind)
	}
	if err != nil {
		return message(err), nil
	}
	return tree.String(), nil
}

// runRequest parses several "<kind>: <expression>" lines with one Attrs and
// then checks for unused placeholders.
func runRequest(input string, a *Attrs) (string, error) {
	for line := range strings.Lines(input) {
		kind, expr, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			return "", fmt.Errorf("bad request line %q", line)
		}
		out, err := parseAndPrint(kind, expr, a)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(out, "error: ") {
			return out, nil
		}
	}
	if err := a.CheckUnused(); err != nil {
		return message(err), nil
	}
	return "ok", nil
}

// message renders an error as the AWS message a client would see.
func message(err error) string {
	var e interface{ ValidationMessage() string }
	if errors.As(err, &e) {
		return "error: " + e.ValidationMessage()
	}
	return "unexpected error: " + err.Error()
}

func itemJSON(item attr.Item) (string, error) {
	if item == nil {
		return "null", nil
	}
	b, err := json.Marshal(item)
	return string(b), err
}
