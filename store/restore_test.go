package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"inspecta/store"
)

// TestRestore: a restore refuses while a server holds the database, refuses a
// backup that fails its check (changing nothing), and otherwise keeps the
// replaced database aside, installs a checked copy (the backup itself is not
// changed) with a new generation and a sequence moved past the lost history.
func TestRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	genOf := func(db *store.DB) (gen string, seq int64) {
		t.Helper()
		err := db.Read(ctx, func(tx *store.Tx) error {
			var err error
			if gen, err = tx.Generation(); err != nil {
				return err
			}
			seq, err = tx.CurrentSeq()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return gen, seq
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(backup)
	oldGen, oldSeq := genOf(db)
	db.Close()

	unlock, err := store.LockServe(path) // a server runs
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Restore(ctx, path, backup); !errors.Is(err, store.ErrServerRunning) {
		t.Errorf("restore while a server runs = %v; want ErrServerRunning", err)
	}
	unlock()

	damaged := filepath.Join(dir, "damaged.db")
	os.WriteFile(damaged, []byte("SQLite format 3\x00 but not really"), 0o600)
	if _, err := store.Restore(ctx, path, damaged); err == nil {
		t.Error("restore from a damaged backup succeeded; want refused")
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is gone after a refused restore: %v", err)
	}

	r, err := store.Restore(ctx, path, backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(r.Aside); err != nil || !strings.HasPrefix(r.Aside, path+".replaced-") {
		t.Errorf("replaced database kept as %q: %v", r.Aside, err)
	}
	if after, _ := os.ReadFile(backup); string(after) != string(before) {
		t.Error("the restore changed the backup file")
	}
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	gen, seq := genOf(db)
	if gen == oldGen || gen != r.Generation || seq != oldSeq+store.RestoreJump {
		t.Errorf("after the restore generation %q seq %d; want a new one (%q) and %d", gen, seq, r.Generation, oldSeq+store.RestoreJump)
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		for s, want := range map[int64]bool{oldSeq: false, oldSeq + 1: true, seq - 1: true, seq: false, seq + 1: false} {
			if lost, err := tx.InLostHistory(s); err != nil || lost != want {
				t.Errorf("InLostHistory(%d) = %v %v; want %v", s, lost, err, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := db.Check(ctx); err != nil || len(problems) > 0 {
		t.Errorf("check after restore: %v %v", problems, err)
	}
}
