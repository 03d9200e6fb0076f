package server_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"inspecta/internal/clientstrings"
	"inspecta/store"
)

// refusalCodes collects from the server's source every error code an answer
// can carry and every field it names, each with one place it comes from:
// writeError's code and field when written out, APIError{Code: …}, the
// fieldProblem and refusal literals answered later, the codes a function
// returns as its second string, "code" variables given a literal, and the
// sync engine's ErrorCode constants. A code passed on through a variable
// not listed in passedOn fails the test: the collector must learn it.
func refusalCodes(t *testing.T) (codes, fields map[string]string) {
	t.Helper()
	codes, fields = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "sync", "protocol.go"))
	passedOn := map[string]bool{"fe.code": true, "problem.code": true, "refused.code": true, "code": true, "weak.Reason": true}
	literal := func(e ast.Expr) (string, bool) {
		if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			s, err := strconv.Unquote(bl.Value)
			return s, err == nil
		}
		return "", false
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		at := func(n ast.Node) string { return fset.Position(n.Pos()).String() }
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); !ok || id.Name != "writeError" || len(n.Args) != 5 {
					return true
				}
				if c, ok := literal(n.Args[2]); ok {
					codes[c] = at(n)
				} else if expr := exprString(n.Args[2]); !passedOn[expr] {
					t.Errorf("%s: writeError's code is %s, which the collector does not follow", at(n), expr)
				}
				if fl, ok := literal(n.Args[4]); ok && fl != "" {
					fields[fl] = at(n)
				}
			case *ast.CompositeLit:
				id, ok := n.Type.(*ast.Ident)
				if !ok {
					return true
				}
				switch id.Name {
				case "APIError":
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && exprString(kv.Key) == "Code" {
							if c, ok := literal(kv.Value); ok {
								codes[c] = at(n)
							}
						}
					}
				case "fieldProblem", "refusal":
					if len(n.Elts) != 4 {
						t.Errorf("%s: %s literal without its four values", at(n), id.Name)
						return true
					}
					if c, ok := literal(n.Elts[1]); ok {
						codes[c] = at(n)
					} else if expr := exprString(n.Elts[1]); !passedOn[expr] {
						t.Errorf("%s: %s's code is %s, which the collector does not follow", at(n), id.Name, expr)
					}
					if fl, ok := literal(n.Elts[3]); ok && fl != "" {
						fields[fl] = at(n)
					}
				}
			case *ast.FuncDecl:
				// canWriteVisit and its kind: (status int, code, message string).
				res := n.Type.Results
				if res == nil || res.NumFields() != 3 || n.Body == nil {
					return true
				}
				ast.Inspect(n.Body, func(m ast.Node) bool {
					if r, ok := m.(*ast.ReturnStmt); ok && len(r.Results) == 3 {
						if _, isStatus := r.Results[0].(*ast.SelectorExpr); isStatus {
							if c, ok := literal(r.Results[1]); ok && c != "" {
								codes[c] = at(r)
							}
						}
					}
					return true
				})
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "code" && i < len(n.Rhs) {
						if c, ok := literal(n.Rhs[i]); ok {
							codes[c] = at(n)
						}
					}
				}
			case *ast.ValueSpec:
				if exprString(n.Type) != "ErrorCode" {
					return true
				}
				for _, v := range n.Values {
					if c, ok := literal(v); ok {
						codes[c] = at(n)
					}
				}
			}
			return true
		})
	}
	for _, r := range store.PasswordReasons {
		codes[r] = "store.PasswordReasons"
	}
	return codes, fields
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case nil:
		return ""
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	}
	return "?"
}

// TestEveryRefusalCodeHasWords: every code the server can answer, and every
// field it names, has its words in English, Russian and Kazakh in the web
// client's table (client/web/refusals.js says a refusal from them), so no
// user is ever shown the server's English message alone.
func TestEveryRefusalCodeHasWords(t *testing.T) {
	codes, fields := refusalCodes(t)
	// What the collector must find; a collector that found nothing would pass anything.
	for _, c := range []string{"invalid", "forbidden", "locked", "missing_parent", "open_items", "visit_photos_full", "last_admin", "password_common", "photo_too_large"} {
		if _, ok := codes[c]; !ok {
			t.Errorf("the collector did not find code %q", c)
		}
	}
	table, err := clientstrings.Load(filepath.Join("..", "client", "web", "i18n.js"))
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for c, where := range codes {
		for _, m := range clientstrings.Missing(table, "rf_"+c) {
			missing = append(missing, where+": code "+c+": "+m)
		}
	}
	for f, where := range fields {
		for _, m := range clientstrings.Missing(table, "fld_"+f) {
			missing = append(missing, where+": field "+f+": "+m)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
	t.Logf("%d codes, %d fields", len(codes), len(fields))
}
