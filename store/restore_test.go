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

// TestRestoreCarriesAccountChangesOver: an account disabled, a role changed
// and an account made after the backup keep their state through a restore;
// the changed role raises the scope epoch (its devices reset); asked to,
// the restore revokes every token, without the order to wipe.
func TestRestoreCarriesAccountChangesOver(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.PasswordCost = store.MinPasswordCost
	var leaver, mover *store.User
	err = db.Write(ctx, func(tx *store.Tx) error {
		if leaver, err = tx.CreateUser(store.NewUser{Username: "leaver", Role: "member", Region: "KZ-KAR", Password: "password-leaver-1"}); err != nil {
			return err
		}
		if mover, err = tx.CreateUser(store.NewUser{Username: "mover", Role: "coordinator", Region: "KZ-KAR", Password: "password-mover-1"}); err != nil {
			return err
		}
		_, _, err := tx.CreateDevice(mover.ID, "phone")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetUserDisabled(leaver.ID, true); err != nil {
			return err
		}
		if err := tx.SetUserRole(mover.ID, "member", "KZ-AKM"); err != nil {
			return err
		}
		if err := tx.AddAuditEvent(leaver.ID, "disable", "leaver", "left the team", ""); err != nil {
			return err
		}
		_, err := tx.CreateUser(store.NewUser{Username: "newcomer", Role: "member", Region: "KZ-KAR", Password: "password-newcomer-1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	r, err := store.RestoreWith(ctx, path, backup, store.RestoreOptions{RevokeAllTokens: true})
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Access; !a.Read || a.UsersChanged != 2 || a.UsersAdded != 1 || a.AuditEvents != 1 {
		t.Errorf("restore carried over %+v; want 2 changed accounts, 1 new, 1 account event", a)
	}
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Read(ctx, func(tx *store.Tx) error {
		if u, err := tx.User(leaver.ID); err != nil || !u.Disabled {
			t.Errorf("account disabled after the backup = %+v %v; want still disabled", u, err)
		}
		u, err := tx.User(mover.ID)
		if err != nil || u.Role != "member" || u.Region != "KZ-AKM" || u.ScopeEpoch <= mover.ScopeEpoch {
			t.Errorf("account moved after the backup = %+v %v; want member of KZ-AKM with a scope epoch above %d", u, err, mover.ScopeEpoch)
		}
		if _, err := tx.UserByUsername("newcomer"); err != nil {
			t.Errorf("account made after the backup: %v", err)
		}
		var open, wiped int
		if err := tx.QueryRow("SELECT count(*) FROM devices WHERE revoked_at IS NULL").Scan(&open); err != nil {
			return err
		}
		if err := tx.QueryRow("SELECT count(*) FROM devices WHERE wipe = 1").Scan(&wiped); err != nil {
			return err
		}
		var events int
		if err := tx.QueryRow("SELECT count(*) FROM audit_events WHERE action = 'disable' AND detail = 'left the team'").Scan(&events); err != nil {
			return err
		}
		if events != 1 {
			t.Errorf("the account event recorded after the backup is there %d time(s) after the restore; want once", events)
		}
		if open != 0 || wiped != 0 {
			t.Errorf("after a restore revoking every token: %d token(s) still valid, %d told to wipe; want 0 and 0", open, wiped)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
