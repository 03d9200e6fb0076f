package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOrgAndAnnualCommands runs "inspecta org set/show" and "inspecta report
// annual" in-process on a demo database: set changes only the fields given,
// a file that is not a PNG is refused, and the annual report carries the
// organisation and the --by name.
func TestOrgAndAnnualCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "inspecta.db")
	inspecta := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(ctx, append(args, "--db", db), nil, &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}
	if out, err := inspecta("demo"); err != nil {
		t.Fatalf("inspecta demo: %v\n%s", err, out)
	}
	logo := filepath.Join(dir, "logo.png")
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)))
	os.WriteFile(logo, buf.Bytes(), 0o600)
	notPNG := filepath.Join(dir, "logo-really-a-text.png")
	os.WriteFile(notPNG, []byte("GIF89a not a png"), 0o600)

	if _, err := inspecta("org", "set", "--logo", notPNG); err == nil || !strings.Contains(err.Error(), "PNG") {
		t.Errorf("org set with a file that is not a PNG: %v; want it refused", err)
	}
	if out, err := inspecta("org", "set", "--name-en", "Test Coalition", "--logo", logo, "--by", "Operator"); err != nil {
		t.Fatalf("org set: %v\n%s", err, out)
	}
	out, err := inspecta("org", "show")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Test Coalition", "Коалиция НПО Казахстана", "PNG", "cli:Operator"} {
		if !strings.Contains(out, want) {
			t.Errorf("org show lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`demo:\s+false`).MatchString(out) {
		t.Errorf("org show after a change by hand still says demo:\n%s", out)
	}
	pdf := filepath.Join(dir, "annual.pdf")
	if out, err := inspecta("report", "annual", "--from", "2025-01-01", "--to", "2025-12-31", "--region", "KZ-KAR,KZ-AKT",
		"--lang", "en", "--by", "Operator", "--out", pdf); err != nil {
		t.Fatalf("report annual: %v\n%s", err, out)
	}
	if _, err := inspecta("report", "annual", "--from", "2025-01-01", "--out", pdf); err == nil {
		t.Error("report annual with no --to: no error")
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install poppler-utils")
		}
		t.Skip("pdftotext not found")
	}
	text, err := exec.Command(bin, pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Test Coalition", "Operator", "Karaganda Region", "Aktobe Region"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("annual PDF lacks %q", want)
		}
	}
	if strings.Contains(string(text), "Pavlodar") {
		t.Error("annual PDF of two regions names a third")
	}
}

// TestReadingCommandsNeedAnExistingDatabase: a mistyped --db given to a
// command that only reads (reports, organisation settings) is refused by
// name and leaves no new empty database behind.
func TestReadingCommandsNeedAnExistingDatabase(t *testing.T) {
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "typo.db")
	for _, args := range [][]string{
		{"report", "annual", "--from", "2025-01-01", "--to", "2025-12-31", "--out", filepath.Join(t.TempDir(), "a.pdf")},
		{"report", "region", "--region", "KZ-KAR", "--out", filepath.Join(t.TempDir(), "r.pdf")},
		{"org", "show"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(ctx, append(args, "--db", missing), nil, &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), "no database at "+missing) {
			t.Errorf("%v with a missing database: %v; want \"no database at %s\"", args, err, missing)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%v created %s", args, missing)
		}
	}
}
