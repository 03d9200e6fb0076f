package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"inspecta/store"
)

// TestUpgradeWaitsForTheRunningServer: a command of a new version (check,
// backup, user list…) must not upgrade a database that a server is serving:
// the server, of the old version, would then misread every table the
// migrations changed and fail every push and pull. Open refuses, applying
// nothing, while another process holds the serve lock; once it is let go,
// Open upgrades. A database a newer version upgraded is refused too.
func TestUpgradeWaitsForTheRunningServer(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	exec := func(qs ...string) {
		t.Helper()
		conn, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for _, q := range qs {
			if _, err := conn.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	hasColumn := func() bool {
		t.Helper()
		conn, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var n int
		if err := conn.QueryRow("SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'last_push_at'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	// The database as the version before migration 0024 left it.
	exec("ALTER TABLE devices DROP COLUMN last_push_at", "DELETE FROM schema_migrations WHERE name LIKE '0024%'")

	// Another process serves it: its lock is held (here on a file
	// description of our own, as another process's would be).
	lock, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if db, err := store.Open(ctx, path); !errors.Is(err, store.ErrServerRunning) {
		if err == nil {
			db.Close()
		}
		t.Fatalf("opened for an upgrade under a running server: %v; want ErrServerRunning", err)
	}
	if hasColumn() {
		t.Fatal("migration 0024 applied under the running server")
	}

	// The server stops: the next open upgrades.
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open once the server stopped: %v", err)
	}
	db.Close()
	if !hasColumn() {
		t.Fatal("migration 0024 not applied once the server stopped")
	}

	// With nothing pending, a command opens the database beside a running server.
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if db, err = store.Open(ctx, path); err != nil {
		t.Fatalf("a command's open beside the server, nothing to upgrade: %v", err)
	}
	db.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_UN); err != nil {
		t.Fatal(err)
	}

	// A server of this version upgrades what it serves.
	unlock, err := store.LockServe(path)
	if err != nil {
		t.Fatal(err)
	}
	exec("ALTER TABLE devices DROP COLUMN last_push_at", "DELETE FROM schema_migrations WHERE name LIKE '0024%'")
	if db, err = store.Open(ctx, path); err != nil {
		t.Fatalf("the server's own open: %v", err)
	}
	db.Close()
	unlock()

	// Upgraded by a newer version: refused, whatever runs.
	exec("INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_from_the_future.sql', '2027-01-01T00:00:00.000Z')")
	if db, err := store.Open(ctx, path); !errors.Is(err, store.ErrNewerDatabase) {
		if err == nil {
			db.Close()
		}
		t.Fatalf("opened a database a newer version upgraded: %v; want ErrNewerDatabase", err)
	}
}

// TestCheckReadsBackVersionsAndOpIDs: inspecta check names a record whose
// field versions do not read (every pull of its region would fail) and an
// op_id kept as bytes that are not a UUID's 16 (it could not be looked up).
func TestCheckReadsBackVersionsAndOpIDs(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const rec, op = "01a22b21-491b-7b41-88b7-0c09ebaf39cb", "01a22b21-491b-7b41-88b7-0c09ebaf39cc"
	err = db.Write(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`UPDATE sync_seq SET value = 5`,
			`INSERT INTO record_index (type, id, seq, region, visit_id, author_id, deleted, versions, merged_into, echo_device)
				VALUES ('location', '` + rec + `', 1, 'KZ-KAR', '', '', 0, '[]', '', '')`,
			`INSERT INTO ops (op_id, seq, device_id, user_id, type, record_id, action, hlc, fields, status, received_at)
				VALUES ('` + op + `', 1, 'd1', 'u1', 'location', '` + rec + `', 'upsert', '', '{}', 'applied', '2026-11-30T08:00:00.000Z')`,
		} {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	problems := func() string {
		t.Helper()
		p, err := db.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(p, "\n")
	}
	if p := problems(); strings.Contains(p, "versions") || strings.Contains(p, "op_id") {
		t.Fatalf("sound rows named:\n%s", p)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(`UPDATE record_heads SET versions = x'01ff'`); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE op_log SET op_id = substr(op_id, 1, 15)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p := problems()
	for _, want := range []string{"1 record(s) whose field versions do not read (a pull of their region fails): location " + rec,
		"1 operation(s) of the op log whose op_id is stored as bytes but not the 16"} {
		if !strings.Contains(p, want) {
			t.Errorf("check does not say %q:\n%s", want, p)
		}
	}
}
