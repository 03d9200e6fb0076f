package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"inspecta/schema"
)

// storedBody is one row of checklists as stored.
type storedBody struct {
	ref, digest, kind string
	size              int
}

func storedBodies(t *testing.T, db *DB) []storedBody {
	t.Helper()
	var out []storedBody
	err := db.Read(context.Background(), func(tx *Tx) error {
		rows, err := tx.Query("SELECT id || '@' || version, digest, typeof(body), length(CAST(body AS BLOB)) FROM checklists ORDER BY id, version")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b storedBody
			if err := rows.Scan(&b.ref, &b.digest, &b.kind, &b.size); err != nil {
				return err
			}
			out = append(out, b)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// embeddedJSON is each embedded template's JSON text, by ref.
func embeddedJSON(t *testing.T) map[string][]byte {
	t.Helper()
	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, tm := range ts {
		body, err := TemplateJSON(tm)
		if err != nil {
			t.Fatal(err)
		}
		out[tm.Ref()] = body
	}
	return out
}

// catalogJSON is every stored template as the catalog reads it, re-encoded,
// read afresh (no template parsed before).
func catalogJSON(t *testing.T, db *DB) map[string]string {
	t.Helper()
	db.checklists = checklistCache{}
	cat, err := db.Checklists(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tm := range cat.All() {
		body, err := TemplateJSON(tm)
		if err != nil {
			t.Fatal(err)
		}
		out[tm.Ref()] = string(body)
	}
	return out
}

func checkProblems(t *testing.T, db *DB) []string {
	t.Helper()
	problems, err := db.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

// TestChecklistBodiesStoredCompressed: a template's JSON is stored gzip as a
// BLOB, its digest still the SHA-256 of the JSON text, and every reader (the
// catalog, inspecta check) gets the text back byte for byte. A database
// written before (bodies as text) reads the same templates and has its
// bodies packed at its next open, digests and signature unchanged.
func TestChecklistBodiesStoredCompressed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "inspecta.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	texts := embeddedJSON(t)
	fresh := storedBodies(t, db)
	if len(fresh) != len(texts) {
		t.Fatalf("stored %d checklists; want the %d embedded", len(fresh), len(texts))
	}
	for _, b := range fresh {
		text := texts[b.ref]
		if b.kind != "blob" || b.size*2 > len(text) {
			t.Errorf("%s stored as a %s of %d bytes; want a blob under half its %d bytes of JSON", b.ref, b.kind, b.size, len(text))
		}
		if b.digest != digestOf(text) {
			t.Errorf("%s digest %s; want the SHA-256 of its JSON text", b.ref, b.digest)
		}
	}
	if p := checkProblems(t, db); len(p) > 0 {
		t.Fatalf("check of a new database: %v", p)
	}
	want := catalogJSON(t, db)
	for ref, text := range texts {
		if want[ref] != string(text) {
			t.Errorf("%s read back from its packed body differs from the embedded JSON", ref)
		}
	}
	var sig string
	if err := db.Read(ctx, func(tx *Tx) error { return tx.QueryRow(checklistsSignature).Scan(&sig) }); err != nil {
		t.Fatal(err)
	}

	// A body broken on purpose is found by inspecta check.
	if err := db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE checklists SET body = CAST(substr(body, 1, length(body) - 8) || x'0000000000000000' AS BLOB) WHERE rowid = (SELECT min(rowid) FROM checklists)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if p := checkProblems(t, db); len(p) != 1 || !strings.Contains(p[0], "does not read") {
		t.Fatalf("check with a broken body = %q; want that body named", p)
	}

	// A database as written before: every body the JSON text.
	if err := db.Write(ctx, func(tx *Tx) error {
		for ref, text := range texts {
			id, version, _ := schema.ParseRef(ref)
			if _, err := tx.Exec("UPDATE checklists SET body = ? WHERE id = ? AND version = ?", string(text), id, version); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, b := range storedBodies(t, db) {
		if b.kind != "text" {
			t.Fatalf("%s stored as %s; the test wants text bodies here", b.ref, b.kind)
		}
	}
	if got := catalogJSON(t, db); !sameMap(got, want) {
		t.Errorf("templates read from text bodies differ from those read from packed ones")
	}
	if p := checkProblems(t, db); len(p) > 0 {
		t.Fatalf("check of text bodies: %v", p)
	}
	if err := db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE checklists SET body = body || ' ' WHERE rowid = (SELECT min(rowid) FROM checklists)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if p := checkProblems(t, db); len(p) != 1 || !strings.Contains(p[0], "not the one its digest names") {
		t.Fatalf("check with a text body changed = %q; want that body named", p)
	}
	if err := db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE checklists SET body = rtrim(body, ' ') WHERE rowid = (SELECT min(rowid) FROM checklists)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	again, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	after := storedBodies(t, again)
	for i, b := range after {
		if b.kind != "blob" || b.size*2 > len(texts[b.ref]) || b.digest != fresh[i].digest {
			t.Errorf("after opening a database of text bodies: %s is a %s of %d bytes, digest %s; want a packed blob, digest %s",
				b.ref, b.kind, b.size, b.digest, fresh[i].digest)
		}
	}
	if got := catalogJSON(t, again); !sameMap(got, want) {
		t.Errorf("templates read after packing differ from those read before")
	}
	if p := checkProblems(t, again); len(p) > 0 {
		t.Fatalf("check after packing: %v", p)
	}
	var sigAfter string
	if err := again.Read(ctx, func(tx *Tx) error { return tx.QueryRow(checklistsSignature).Scan(&sigAfter) }); err != nil {
		t.Fatal(err)
	}
	if sigAfter != sig {
		t.Errorf("checklists signature %q after packing; want %q as before", sigAfter, sig)
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
