package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestIDKeyAgreesWithSQL: an id is stored as 16 bytes when, and only when,
// it is a canonical lower-case UUID, whether converted in Go (IDKey, for a
// query's argument), in SQL (uuidKeySQL, for another table's column; the
// migration and the views' triggers) or by the uuids view's trigger; the
// view writes every stored form back as the text it came from; and uuid_rows
// refuses a canonical UUID kept as text (which a lookup by its blob would
// miss).
func TestIDKeyAgreesWithSQL(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	texts := []string{"", "visit", "observation", "01a22a9c-33c0-76f9-b60d-2b33a0c71566", "00000000-0000-0000-0000-000000000000",
		"ffffffff-ffff-ffff-ffff-ffffffffffff", "01A22A9C-33C0-76F9-B60D-2B33A0C71566", "01a22a9c-33c0-76f9-b60d-2b33a0c7156",
		"01a22a9c-33c0-76f9-b60d-2b33a0c715666", "{01a22a9c-33c0-76f9-b60d-2b33a0c71566}", "urn:uuid:01a22a9c-33c0-76f9-b60d-2b33a0c71566",
		"01a22a9c33c076f9b60d2b33a0c71566", "01a22a9c-33c0-76f9-b60d-2b33a0c7156g", " 01a22a9c-33c0-76f9-b60d-2b33a0c71566",
		"01a22a9c-33c0-76f9-b60d-2b33a0c71566 ", "01a22a9c_33c0-76f9-b60d-2b33a0c71566", "01a22a9c-33c0-76f9-b60d-2b33a0c7156\u00e9",
		"01a22a9c-33c0-76f9-b60d\x002b33a0c71566", "0-1a22a9c33c0-76f9-b60d-2b33a0c71566", "01a22a9c-33c0-76f9-b60d-2b33a0c7156G"}
	for range 50 {
		texts = append(texts, uuid.Must(uuid.NewV7()).String(), uuid.NewString(), strings.ToUpper(uuid.NewString()))
	}
	err = db.Write(ctx, func(tx *Tx) error {
		for _, s := range texts {
			var inSQL any
			if err := tx.QueryRow("SELECT "+uuidKeySQL("?1"), s).Scan(&inSQL); err != nil {
				return err
			}
			goKey := IDKey(s)
			gb, goBlob := goKey.([]byte)
			sb, sqlBlob := inSQL.([]byte)
			if goBlob != sqlBlob || goBlob && !bytes.Equal(gb, sb) || !goBlob && inSQL != s {
				t.Errorf("%q: IDKey %#v, SQL %#v", s, goKey, inSQL)
			}
			if want := len(s) == 36 && s == strings.ToLower(s) && uuid.Validate(s) == nil && !strings.ContainsAny(s, "{}:"); goBlob != want {
				t.Errorf("%q stored as a blob: %v; want %v", s, goBlob, want)
			}
			// Through the view's trigger, as an older tool would write it.
			if _, err := tx.Exec("INSERT OR IGNORE INTO uuids (id) VALUES (?)", s); err != nil {
				return err
			}
			no, err := tx.intern(s)
			if err != nil {
				return err
			}
			var viewed, stored any
			if err := tx.QueryRow("SELECT id, key FROM uuids WHERE no = ?", no).Scan(&viewed, &stored); err != nil {
				return err
			}
			if viewed != s {
				t.Errorf("%q reads back through uuids as %#v", s, viewed)
			}
			if sb, ok := stored.([]byte); ok != goBlob || ok && !bytes.Equal(sb, gb) {
				t.Errorf("%q stored as %#v; want %#v", s, stored, goKey)
			}
			if text, err := idText(stored); err != nil || text != s {
				t.Errorf("%q: idText of its stored form = %q, %v", s, text, err)
			}
		}
		var n int
		if err := tx.QueryRow("SELECT count(*) FROM uuid_rows WHERE id IN ("+placeholders(len(texts))+")",
			func() []any {
				args := make([]any, len(texts))
				for i, s := range texts {
					args[i] = IDKey(s)
				}
				return args
			}()...).Scan(&n); err != nil {
			return err
		}
		if n != len(texts) {
			t.Errorf("%d of %d texts interned once each", n, len(texts))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"INSERT INTO uuid_rows (id) VALUES ('01a22a9c-33c0-76f9-b60d-2b33a0c71599')",
		"INSERT INTO uuid_rows (id) VALUES (x'0102')", "INSERT INTO uuid_rows (id) VALUES (7)"} {
		err := db.Write(ctx, func(tx *Tx) error { _, err := tx.Exec(bad); return err })
		if err == nil || !strings.Contains(err.Error(), "CHECK") {
			t.Errorf("%s: %v; want refused by the CHECK", bad, err)
		}
	}
}

// keyArgRE finds a view's stored-form column compared with a bare
// parameter.
var keyArgRE = regexp.MustCompile(`\b[a-z]+_key\s*(=|==|IN\s*\()\s*\?`)

// TestKeyArgumentsNotPropagated: a comparison of a view's *_key column with
// a bare parameter makes SQLite compile the statement again at each call
// (the views are large: 130 µs a lookup instead of 8); the queries of the
// store and the engine write "= +?" (store/intern.go). This reads their
// source for the pattern.
func TestKeyArgumentsNotPropagated(t *testing.T) {
	for _, dir := range []string{".", "../sync", "../review", "../server", "../report", "../bench"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(string(b), "\n") {
				if keyArgRE.MatchString(line) {
					t.Errorf("%s:%d compares a stored-form column with a bare parameter (write = +?):\n%s", f, i+1, line)
				}
			}
		}
	}
}
