package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// TestNoRegexpCompiledAtInit keeps package-level regexp.MustCompile calls
// out of the binary's start-up: every package initialises before `fogbank
// serve` answers, and one counted repetition such as {1,128} costs
// milliseconds to compile. Compile on first use (sync.OnceValue) instead.
func TestNoRegexpCompiledAtInit(t *testing.T) {
	fset := token.NewFileSet()
	for _, p := range listPackages(t) {
		if under(rel(p.ImportPath), "bench") || under(rel(p.ImportPath), "test") {
			continue // not part of the fogbank binary
		}
		for _, name := range p.GoFiles {
			path := filepath.Join(p.Dir, name)
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.VAR {
					checkInitCompiles(t, fset, gen)
				}
			}
		}
	}
}

// checkInitCompiles reports regexp.MustCompile calls made directly in a
// package-level var declaration (not inside a function literal).
func checkInitCompiles(t *testing.T, fset *token.FileSet, gen *ast.GenDecl) {
	t.Helper()
	ast.Inspect(gen, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "MustCompile" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "regexp" {
					t.Errorf("%s: regexp compiled at package initialisation; wrap it in sync.OnceValue", fset.Position(n.Pos()))
				}
			}
		}
		return true
	})
}
