package client

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// TestServiceWorkerShell checks that sw.js is served with the shell's file
// list and a content version filled in, and that every module is in the list.
func TestServiceWorkerShell(t *testing.T) {
	sw, err := fs.ReadFile(Files(), "sw.js")
	if err != nil {
		t.Fatal(err)
	}
	s := string(sw)
	if strings.Contains(s, "__VERSION__") || strings.Contains(s, "__SHELL__") {
		t.Fatalf("sw.js placeholders not filled:\n%s", s[:300])
	}
	if !regexp.MustCompile(`const VERSION = '[0-9a-f]{12}'`).MatchString(s) {
		t.Errorf("sw.js has no content version")
	}
	for _, want := range []string{`"/"`, `"/app.js"`, `"/vendor/idb/idb.js"`, `"/vendor/noble-ciphers/chacha.js"`, `"/manifest.webmanifest"`, `"/icons/icon-192.png"`} {
		if !strings.Contains(s, want) {
			t.Errorf("shell list lacks %s", want)
		}
	}
	if strings.Contains(s, `"/index.html"`) || strings.Contains(s, `"/sw.js"`) {
		t.Errorf("shell list must not hold /index.html (served as /) or /sw.js")
	}
	if st, err := fs.Stat(Files(), "sw.js"); err != nil || st.Size() != int64(len(sw)) {
		t.Errorf("Stat(sw.js) = %v, %v; want size %d", st, err, len(sw))
	}
}

// staticImport matches an import or re-export at the start of a line (not the
// examples inside doc comments, which start with " * ").
var staticImport = regexp.MustCompile(`(?m)^(?:import\s|export\s*[{*])[^'";]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']`)

// TestModuleImportsResolve checks that every static import in the app's
// modules (vendored ones included) is a relative path to a file that is
// embedded and in the service worker's shell: the browser has no import map,
// so a bare specifier ("@noble/ciphers/utils.js") would fail to load, and a
// module missing from the shell would fail offline.
func TestModuleImportsResolve(t *testing.T) {
	root := Files()
	shell, _ := Shell(root)
	inShell := map[string]bool{}
	for _, u := range shell {
		inShell[u] = true
	}
	checked := 0
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".js" {
			return err
		}
		src, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		for _, m := range staticImport.FindAllStringSubmatch(string(src), -1) {
			spec := m[1] + m[2]
			checked++
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q: not a relative path, the browser cannot resolve it", p, spec)
				continue
			}
			target := path.Join(path.Dir(p), spec)
			if _, err := fs.Stat(root, target); err != nil {
				t.Errorf("%s imports %q: %s is not embedded", p, spec, target)
			} else if !inShell["/"+target] {
				t.Errorf("%s imports %q: /%s is not in the service worker's shell", p, spec, target)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Errorf("found only %d imports; the pattern no longer matches the modules", checked)
	}
}
