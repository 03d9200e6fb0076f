package client

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
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
	if strings.Contains(s, "__VERSION__") || strings.Contains(s, "__SHELL__") || strings.Contains(s, "__LATER__") {
		t.Fatalf("sw.js placeholders not filled:\n%s", s[:300])
	}
	if !regexp.MustCompile(`const VERSION = '[0-9a-f]{12}'`).MatchString(s) {
		t.Errorf("sw.js has no content version")
	}
	for _, want := range []string{`"/"`, `"/app.js"`, `"/vendor/idb/idb.js"`, `"/vendor/noble-ciphers/chacha.js"`, `"/coord.js"`, `"/manifest.webmanifest"`, `"/icons/icon-192.png"`} {
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

// TestModuleImportsResolve checks that every import in the app's modules
// (vendored ones included), static or dynamic, is a relative path to a file
// that is embedded and that the service worker keeps (shell or later): the
// browser has no import map, so a bare specifier ("@noble/ciphers/utils.js")
// would fail to load, and a module the worker does not keep would fail
// offline. A module of the first screen imports statically only modules of
// the first screen.
func TestModuleImportsResolve(t *testing.T) {
	root := Files()
	shell, later, _ := Shell(root)
	inShell, inLater := map[string]bool{}, map[string]bool{}
	for _, u := range shell {
		inShell[u] = true
	}
	for _, u := range later {
		inLater[u] = true
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
		var specs []string
		for _, m := range StaticImport.FindAllStringSubmatch(string(src), -1) {
			specs = append(specs, m[1]+m[2])
		}
		static := len(specs)
		for _, m := range DynamicImport.FindAllStringSubmatch(string(src), -1) {
			specs = append(specs, m[1])
		}
		for i, spec := range specs {
			checked++
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q: not a relative path, the browser cannot resolve it", p, spec)
				continue
			}
			target := path.Join(path.Dir(p), spec)
			if _, err := fs.Stat(root, target); err != nil {
				t.Errorf("%s imports %q: %s is not embedded", p, spec, target)
			} else if !inShell["/"+target] && !inLater["/"+target] {
				t.Errorf("%s imports %q: /%s is not kept by the service worker", p, spec, target)
			} else if i < static && inShell["/"+p] && !inShell["/"+target] {
				t.Errorf("%s is on the first screen but imports %s statically, which is not", p, target)
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

// TestFirstScreenLeavesOutDeskAndCipher checks that a monitor's phone does
// not download the coordinator's desk or the app lock's cipher on its first
// load (issue 16's 150 KB first load): a static import of either from a
// module of the first screen would put it back.
func TestFirstScreenLeavesOutDeskAndCipher(t *testing.T) {
	shell, later, _ := Shell(Files())
	for _, want := range []string{"/coord.js", "/coord-admin.js", "/vault.js", "/aead.js", "/vendor/noble-ciphers/chacha.js"} {
		if slices.Contains(shell, want) || !slices.Contains(later, want) {
			t.Errorf("%s: want it loaded later, not on the first screen (shell %v)", want, shell)
		}
	}
	for _, want := range []string{"/app.js", "/lock.js", "/desklink.js", "/store.js", "/visit.js"} {
		if !slices.Contains(shell, want) {
			t.Errorf("%s: want it on the first screen", want)
		}
	}
}
