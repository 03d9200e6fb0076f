package schema

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRuleCodes: every code validation writes (rule("code", …), and the
// indicators' addc and the relevance check's add with a code) is listed in
// RuleCodes, and every listed code is written somewhere: an importer says
// each in the user's language.
func TestRuleCodes(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	written := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || (fn.Name != "rule" && fn.Name != "addc" && fn.Name != "add") {
				return true
			}
			code, ok := call.Args[0].(*ast.BasicLit)
			second, isLit := call.Args[1].(*ast.BasicLit)
			if !ok || code.Kind != token.STRING {
				if id, param := call.Args[0].(*ast.Ident); fn.Name == "rule" && !(param && id.Name == "code") {
					t.Errorf("%s: rule's code is not a literal", fset.Position(call.Pos()))
				}
				return true
			}
			if fn.Name == "add" && (!isLit || second.Kind != token.STRING) {
				return true // add(format, args…): a rule with no code
			}
			c, _ := strconv.Unquote(code.Value)
			if fn.Name == "add" && strings.ContainsAny(c, " %") {
				return true // a format, not a code
			}
			written[c] = fset.Position(call.Pos()).String()
			return true
		})
	}
	if len(written) < 40 {
		t.Fatalf("found %d rule codes in the source; the collector is broken", len(written))
	}
	for c, where := range written {
		if !slices.Contains(RuleCodes, c) {
			t.Errorf("%s: code %q is not in RuleCodes", where, c)
		}
	}
	for _, c := range RuleCodes {
		if _, ok := written[c]; !ok {
			t.Errorf("RuleCodes lists %q, which no rule is written with", c)
		}
	}
}
