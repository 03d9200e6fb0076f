package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"inspecta/schema"
	"inspecta/store"
)

func TestOpenMigratesOnceAndUsesWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.AppliedMigrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 {
		t.Fatal("no migration applied on an empty database")
	}
	db.Close()

	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer db.Close()
	second, _ := db.AppliedMigrations(ctx)
	if len(second) != len(first) {
		t.Errorf("applied migrations after second start = %v; want %v", second, first)
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		var mode string
		var fk, regions int
		if err := tx.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
			return err
		}
		if err := tx.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil {
			return err
		}
		if err := tx.QueryRow("SELECT count(*) FROM regions").Scan(&regions); err != nil {
			return err
		}
		if mode != "wal" || fk != 1 {
			t.Errorf("journal_mode = %q, foreign_keys = %d; want wal, 1", mode, fk)
		}
		if regions != len(schema.Regions) || regions != 20 {
			t.Errorf("regions = %d; want 20 (17 regions and 3 cities)", regions)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestForeignKeysEnforcedOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec("INSERT INTO facilities (id, name, region) VALUES ('x', 'y', 'KZ-NOPE')")
		return err
	})
	if err == nil {
		t.Fatal("a facility in an unknown region was stored; want a foreign key error")
	}
}

func TestCreateUserValidation(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cases := []struct {
		name string
		user store.NewUser
		ok   bool
	}{
		{"member with region", store.NewUser{Username: "a", Role: "member", Region: "KZ-KAR", Password: "0123456789"}, true},
		{"staff without region", store.NewUser{Username: "b", Role: "staff", Password: "0123456789"}, true},
		{"unknown role", store.NewUser{Username: "c", Role: "boss", Password: "0123456789"}, false},
		{"member without region", store.NewUser{Username: "d", Role: "member", Password: "0123456789"}, false},
		{"unknown region", store.NewUser{Username: "e", Role: "member", Region: "KZ-XXX", Password: "0123456789"}, false},
		{"short password", store.NewUser{Username: "f", Role: "admin", Password: "short"}, false},
		{"duplicate username", store.NewUser{Username: "A", Role: "staff", Password: "0123456789"}, false},
	}
	for _, c := range cases {
		err := db.Write(ctx, func(tx *store.Tx) error { _, err := tx.CreateUser(c.user); return err })
		if (err == nil) != c.ok {
			t.Errorf("CreateUser(%s) error = %v; want ok = %v", c.name, err, c.ok)
		}
	}
}

// TestOpenTakesThePathLiterally: characters a file: URI reads specially ("#"
// starts a fragment, "?" the parameters, "%" an escape) name the file they
// spell, not another one.
func TestOpenTakesThePathLiterally(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"a#1.db", "b?mode=ro.db", "c%41.db"} {
		db, err := store.Open(ctx, filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("open %q: %v", name, err)
		}
		db.Close()
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("open %q did not create that file: %v", name, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		switch e.Name() {
		case "a", "b", "cA.db":
			t.Errorf("open created %q, a file the path does not name", e.Name())
		}
	}
}
