package lint

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/fogbank/fogbank/"

// pkg is the part of `go list -json` output the rules read.
type pkg struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
}

// rel strips the module prefix: "internal/storage/pebble".
func rel(path string) string { return strings.TrimPrefix(path, module) }

// under reports whether path is dir or inside it.
func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

// pureLibraries import only the standard library, third-party modules and
// the listed Fogbank packages.
var pureLibraries = map[string][]string{
	"internal/apierr":                      nil,
	"internal/sigv4":                       nil,
	"internal/config":                      nil,
	"internal/storage":                     nil,
	"internal/storage/keyenc":              nil,
	"internal/storage/docstore":            {"internal/storage"},
	"internal/service/dynamodb/attr":       nil,
	"internal/service/dynamodb/expr":       {"internal/service/dynamodb/attr"},
	"internal/storage/pebble":              {"internal/storage"},
	"internal/storage/storagetest":         {"internal/storage"},
	"internal/awsproto/awsjson":            {"internal/apierr", "internal/logging"},
	"internal/logging":                     nil,
	"internal/logship":                     nil,
	"internal/blob":                        nil,
	"internal/blob/blobtest":               {"internal/blob"},
	"internal/awsproto/restxml":            {"internal/apierr", "internal/logging"},
	"internal/awsproto/restxml/awschunked": nil,
}

func TestDependencyRules(t *testing.T) {
	for _, p := range listPackages(t) {
		from := rel(p.ImportPath)
		for _, imp := range p.Imports {
			if err := checkImport(from, imp); err != "" {
				t.Errorf("%s imports %s: %s", from, imp, err)
			}
		}
	}
}

func checkImport(from, imp string) string {
	switch imp {
	case "io/ioutil", "github.com/pkg/errors":
		return "forbidden import"
	}
	if !strings.HasPrefix(imp, module) {
		return ""
	}
	to := rel(imp)
	if allowed, pure := pureLibraries[from]; pure && !slices.Contains(allowed, to) {
		return "a pure library may import only " + strings.Join(allowed, ", ")
	}
	if under(to, "internal/app") && !under(from, "internal/cli") && !under(from, "internal/fogtest") {
		return "only cli and fogtest import the composition root"
	}
	if svc, ok := serviceOf(from); ok {
		if other, ok := serviceOf(to); ok && other != svc {
			return "services never import each other; declare an interface and let internal/app wire it"
		}
		for _, banned := range []string{"internal/gateway", "internal/website", "internal/server", "internal/app"} {
			if under(to, banned) {
				return "services never import " + banned
			}
		}
	}
	if under(from, "internal/awsproto") && under(to, "internal/service") {
		return "protocol bindings never import a service"
	}
	if (under(from, "internal/gateway") || under(from, "internal/website")) && under(to, "internal/service") {
		return "data planes never import a service; they read through interfaces wired by internal/app"
	}
	return ""
}

// serviceOf returns the service a package belongs to ("dynamodb" for
// internal/service/dynamodb/attr).
func serviceOf(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "internal/service/")
	if !ok {
		return "", false
	}
	svc, _, _ := strings.Cut(rest, "/")
	return svc, true
}

func TestNoLogPackageOutsideMain(t *testing.T) {
	for _, p := range listPackages(t) {
		if p.Name == "main" || strings.HasPrefix(rel(p.ImportPath), "bench/") {
			continue
		}
		for _, imp := range p.Imports {
			if imp == "log" {
				t.Errorf("%s imports log; use log/slog with an injected *slog.Logger", rel(p.ImportPath))
			}
		}
	}
}
