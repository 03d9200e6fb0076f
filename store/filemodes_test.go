package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"inspecta/store"
)

// TestFileModes: the data folder is created 0700, the database, its WAL and
// shared-memory files and every backup 0600; CheckFileModes warns of each
// one made wider.
func TestFileModes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Write(ctx, func(tx *store.Tx) error { return tx.SetMeta("mode-test", "1") }); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		path string
		want os.FileMode
	}{{dir, 0o700}, {path, 0o600}, {path + "-wal", 0o600}, {path + "-shm", 0o600}, {backup, 0o600}} {
		info, err := os.Stat(f.path)
		if err != nil {
			t.Errorf("%s: %v", f.path, err)
			continue
		}
		if got := info.Mode().Perm(); got != f.want {
			t.Errorf("mode of %s = %04o; want %04o", filepath.Base(f.path), got, f.want)
		}
	}
	if w := store.CheckFileModes(path); len(w) != 0 {
		t.Errorf("CheckFileModes on private files = %q; want none", w)
	}
	for _, p := range []string{dir, path, path + "-wal"} {
		os.Chmod(p, 0o755)
		w := store.CheckFileModes(path)
		if len(w) != 1 || !strings.Contains(w[0], p+" has mode 0755") {
			t.Errorf("CheckFileModes with %s at 0755 = %q; want one warning naming it", p, w)
		}
		mode := os.FileMode(0o600)
		if p == dir {
			mode = 0o700
		}
		os.Chmod(p, mode)
	}
}

// TestServeLockCreatesAPrivateFolder: `inspecta serve` takes its lock before
// it opens the database, so the lock may be what creates the data folder.
func TestServeLockCreatesAPrivateFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "inspecta.db")
	unlock, err := store.LockServe(path)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	for _, f := range []struct {
		path string
		want os.FileMode
	}{{dir, 0o700}, {path + ".lock", 0o600}} {
		info, err := os.Stat(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != f.want {
			t.Errorf("mode of %s = %04o; want %04o", filepath.Base(f.path), got, f.want)
		}
	}
}
