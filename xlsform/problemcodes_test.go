package xlsform_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"testing"

	"inspecta/internal/clientstrings"
	"inspecta/schema"
	"inspecta/xlsform"
)

// writtenProblemCodes collects the code of every problem the importer (and
// the server's list of a JSON checklist's problems) writes: the code
// argument of im.problem, s.problem and newProblem, and Code in a Problem
// literal. A code given by anything but a literal fails the test.
func writtenProblemCodes(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "server", "checklists.go"))
	fset := token.NewFileSet()
	codes := map[string]string{}
	take := func(e ast.Expr, at token.Pos, what string) {
		bl, ok := e.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			t.Errorf("%s: %s's code is not a literal", fset.Position(at), what)
			return
		}
		c, _ := strconv.Unquote(bl.Value)
		codes[c] = fset.Position(at).String()
	}
	for _, name := range files {
		if filepath.Ext(name) != ".go" || len(name) > 8 && name[len(name)-8:] == "_test.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					if fn.Sel.Name != "problem" {
						return true
					}
					// im.problem(sheet, code, …); s.problem(row, col, code, …)
					i := 2
					if id, ok := fn.X.(*ast.Ident); ok && id.Name == "im" {
						i = 1
					}
					if len(n.Args) > i {
						take(n.Args[i], n.Pos(), "problem")
					}
				case *ast.Ident:
					if fn.Name == "newProblem" && len(n.Args) > 1 {
						if _, isParam := n.Args[1].(*ast.Ident); !isParam {
							take(n.Args[1], n.Pos(), "newProblem")
						}
					}
				}
			case *ast.CompositeLit:
				if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Problem" {
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
								take(kv.Value, n.Pos(), "Problem")
							}
						}
					}
				}
			}
			return true
		})
	}
	// The template's own rules are placed with their codes (placeRule).
	for _, c := range schema.RuleCodes {
		codes[c] = "schema.RuleCodes"
	}
	return codes
}

// TestProblemCodes: every code a problem is written with is listed in
// ProblemCodes, every listed code is written somewhere, and each has its
// words (xp_<code>) in English, Russian and Kazakh in the web client, which
// says the problem in the user's language.
func TestProblemCodes(t *testing.T) {
	written := writtenProblemCodes(t)
	if len(written) < 50 {
		t.Fatalf("found %d problem codes in the source; the collector is broken", len(written))
	}
	for c, where := range written {
		if !slices.Contains(xlsform.ProblemCodes, c) {
			t.Errorf("%s: code %q is not in ProblemCodes", where, c)
		}
	}
	for _, c := range xlsform.ProblemCodes {
		if _, ok := written[c]; !ok {
			t.Errorf("ProblemCodes lists %q, which no problem is written with", c)
		}
	}
	table, err := clientstrings.Load(filepath.Join("..", "client", "web", "i18n.js"))
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, c := range xlsform.ProblemCodes {
		missing = append(missing, clientstrings.Missing(table, "xp_"+c)...)
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
}
