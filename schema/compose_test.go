package schema

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the composed checklists in checklists/")

// composeAll composes every checklist source in checklists/src and returns the
// composed JSON by output file name.
func composeAll(t *testing.T) map[string][]byte {
	t.Helper()
	srcs, err := filepath.Glob("checklists/src/*.json")
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no checklist sources: %v", err)
	}
	out := map[string][]byte{}
	for _, src := range srcs {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ComposeChecklist(src, data, func(part string) ([]byte, error) {
			return os.ReadFile(filepath.Join("checklists/src/parts", part+".json"))
		})
		if err != nil {
			t.Fatalf("compose: %v", err)
		}
		out[filepath.Join("checklists", filepath.Base(src))] = got
	}
	return out
}

// TestComposedChecklists: every composed checklist in checklists/ is what its
// source composes to (go test ./schema -run TestComposedChecklists -update
// rewrites them).
func TestComposedChecklists(t *testing.T) {
	for name, want := range composeAll(t) {
		if *update {
			if err := os.WriteFile(name, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./schema -run TestComposedChecklists -update)", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date with checklists/src: run go test ./schema -run TestComposedChecklists -update", name)
		}
	}
}

func TestComposeRefusesUnknownTermsAndParts(t *testing.T) {
	parts := map[string]string{
		"p": `{"sections":[{"id":"s","title":{"en":"S","ru":"С","kk":"С"}}],"items":[{"id":"a","code":"A1","section":"s","scope":"visit","type":"yesno",
			"label":{"en":"Has the {place} {colour}?","ru":"Есть {place}?","kk":"{place} бар ма?"},"help":{"en":"h","ru":"п","kk":"к"}}]}`,
	}
	read := func(p string) ([]byte, error) {
		if s, ok := parts[p]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	comp := `{"id":"x","version":1,"title":{"en":"X","ru":"Х","kk":"Х"},"terms":{"place":{"en":"ward","ru":"палата","kk":"палата"}},"parts":["p"]}`
	_, err := ComposeChecklist("x.json", []byte(comp), read)
	if err == nil || !strings.Contains(err.Error(), "unknown terms {colour}") {
		t.Fatalf("unknown term: err = %v", err)
	}
	parts["p"] = strings.ReplaceAll(parts["p"], " {colour}", "")
	got, err := ComposeChecklist("x.json", []byte(comp), read)
	if err != nil {
		t.Fatalf("compose: %v", err)
	}
	if !bytes.Contains(got, []byte(`"Has the ward?"`)) || !bytes.Contains(got, []byte(`"Есть палата?"`)) {
		t.Fatalf("terms not replaced: %s", got)
	}
	comp = strings.Replace(comp, `["p"]`, `["p","missing"]`, 1)
	if _, err := ComposeChecklist("x.json", []byte(comp), read); err == nil || !strings.Contains(err.Error(), "part missing") {
		t.Fatalf("missing part: err = %v", err)
	}
}
