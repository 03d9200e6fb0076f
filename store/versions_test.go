package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"inspecta/schema"
)

// legacyVersions are record_index.versions texts as version 1 (before
// migration 0006) wrote them: a device's own write, a server's approval (the
// device is not the stamp's node), a stamp and device missing, escapes, a
// tombstone, no field at all.
var legacyVersions = map[string]string{
	"obs": `{"item":{"seq":4,"hlc":"2026-11-29T16:58:42.181Z/0001/01a2283e-9e5e-7852-99ee-b2b6c58b4250","device":"01a2283e-9e5e-7852-99ee-b2b6c58b4250"},` +
		`"value":{"seq":9,"hlc":"2026-11-29T16:59:00.000Z/0000/01a2283e-aaaa-7852-99ee-b2b6c58b4250","device":"01a2283e-aaaa-7852-99ee-b2b6c58b4250"},` +
		`"visit_id":{"seq":4,"hlc":"2026-11-29T16:58:42.181Z/0001/01a2283e-9e5e-7852-99ee-b2b6c58b4250","device":"01a2283e-9e5e-7852-99ee-b2b6c58b4250"}}`,
	"approved": `{"status":{"seq":12,"hlc":"2026-11-29T17:00:00.000Z/0000/server","device":"d-coordinator"},"team":{"seq":3,"hlc":"2026-11-29T10:00:00.000Z/0000/d1","device":"d1"}}`,
	"bare":     `{"label":{"seq":7},"kind":{"seq":7,"device":"d2"},"_deleted":{"seq":8,"hlc":"no slash"}}`,
	"escaped":  `{"note":{"seq":5,"hlc":"2026-11-29T10:00:00.000Z/0000/d\"q\\u00e9/x","device":"d\"q\u00e9/x"}}`,
	"empty":    `{}`,
}

// TestMigration0006KeepsEveryVersion builds a database at the schema before
// migration 0006 with version 1's field versions, opens it (which migrates
// it) and checks that every record reads back exactly the versions it had,
// stored in the compact form the server writes.
func TestMigration0006KeepsEveryVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(schema.Migrations(), "*.sql")
	sort.Strings(names)
	for _, name := range names {
		if name >= "0006" {
			break
		}
		body, _ := fs.ReadFile(schema.Migrations(), name)
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		raw.Exec(`INSERT INTO schema_migrations VALUES (?, 'then')`, name)
	}
	for id, v := range legacyVersions {
		if _, err := raw.Exec(`INSERT INTO record_index (type, id, seq, region, versions) VALUES ('location', ?, ?, 'KZ-KAR', ?)`,
			id, len(id), v); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open the old database: %v", err)
	}
	defer db.Close()
	err = db.Read(ctx, func(tx *Tx) error {
		for id, legacy := range legacyVersions {
			want := map[string]FieldVersion{}
			if err := json.Unmarshal([]byte(legacy), &want); err != nil {
				t.Fatal(err)
			}
			rec, err := tx.LoadRecord("location", id)
			if err != nil {
				t.Errorf("%s: %v", id, err)
				continue
			}
			if !reflect.DeepEqual(rec.Versions, want) {
				t.Errorf("%s: versions after the migration\n%v\nwant\n%v", id, rec.Versions, want)
			}
			var stored string
			if err := tx.QueryRow("SELECT versions FROM record_index WHERE id = ?", id).Scan(&stored); err != nil {
				return err
			}
			if strings.HasPrefix(stored, "{") && id != "empty" {
				t.Errorf("%s: still stored as version 1: %s", id, stored)
			}
			if canonical := encodeVersions(want); id != "escaped" && stored != canonical {
				t.Errorf("%s: migrated to\n%s\nthe server writes\n%s", id, stored, canonical)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
