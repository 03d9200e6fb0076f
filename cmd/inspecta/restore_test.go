package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRestoreSaysWhatBecameOfSignIns: "inspecta restore" tells the
// administrator in plain words what became of the sign-ins: carried over
// from a database it could read, or all revoked (and what to redo) when the
// database it replaces cannot be read.
func TestRestoreSaysWhatBecameOfSignIns(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "inspecta.db")
	backup := filepath.Join(dir, "backup.db")
	inspecta := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := run(ctx, append(args, "--db", db), nil, &stdout, &stderr); err != nil {
			t.Fatalf("inspecta %v: %v\n%s%s", args, err, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	inspecta("demo")
	inspecta("backup", "--out", backup)
	if out := inspecta("restore", "--from", backup); !strings.Contains(out, "carried over from the replaced database") {
		t.Errorf("restore over a readable database says:\n%s\nwant what it carried over", out)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(db + suffix)
	}
	os.WriteFile(db, []byte("SQLite format 3\x00 the disk failed here"), 0o600)
	out := inspecta("restore", "--from", backup)
	for _, want := range []string{"could not be read", "every sign-in was revoked", "signs in again", "redo any revocation"} {
		if !strings.Contains(out, want) {
			t.Errorf("restore over a damaged database says:\n%s\nwant it to say %q", out, want)
		}
	}
}
