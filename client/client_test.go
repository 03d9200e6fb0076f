package client

import (
	"io/fs"
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
	for _, want := range []string{`"/"`, `"/app.js"`, `"/vendor/idb/idb.js"`, `"/manifest.webmanifest"`, `"/icons/icon-192.png"`} {
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
