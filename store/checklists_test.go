package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/store"
)

// variant returns a copy of the embedded default checklist with another
// version and an edit applied to its JSON form.
func variant(t *testing.T, version int, edit func(m map[string]any)) *schema.Template {
	t.Helper()
	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(ts[0])
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = version
	if edit != nil {
		edit(m)
	}
	body, _ = json.Marshal(m)
	tmpl, err := schema.ParseTemplate("variant", body)
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func TestChecklistsSeedImportActivate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	embedded, _ := schema.DefaultTemplates()
	cat, err := db.Checklists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range embedded {
		if got := cat.Template(e.Ref()); got == nil || !cat.IsActive(got) {
			t.Fatalf("a new database lacks the embedded checklist %s as active (got %v)", e.Ref(), got)
		}
	}
	if cat.Default() == nil || cat.Default().Ref() != embedded[0].Ref() {
		t.Fatalf("default = %v; want %s", cat.Default(), embedded[0].Ref())
	}

	v2 := variant(t, 3, func(m map[string]any) {
		m["title"].(map[string]any)["en"] = "Version two"
	})
	var created bool
	if err := db.Write(ctx, func(tx *store.Tx) error {
		created, err = tx.ImportChecklist(v2, store.SourceJSON, "tester", false)
		return err
	}); err != nil || !created {
		t.Fatalf("import v2 = %v, %v; want created", created, err)
	}
	if cat, _ = db.Checklists(ctx); cat.Default().Version != 2 || cat.Template(v2.Ref()) == nil {
		t.Fatalf("after an import without --activate the default is %s; want the built-in version 2 with version 3 stored", cat.Default().Ref())
	}

	// A second handle on the same file (the command line beside a running
	// server) activates; the first sees it at its next transaction.
	other, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Write(ctx, func(tx *store.Tx) error { return tx.ActivateChecklist(v2.Ref(), "cli") }); err != nil {
		t.Fatal(err)
	}
	other.Close()
	if cat, _ = db.Checklists(ctx); cat.Default().Ref() != v2.Ref() || cat.Template(embedded[0].Ref()) == nil {
		t.Fatalf("after activating v2 elsewhere: default %s, v1 kept %v", cat.Default().Ref(), cat.Template(embedded[0].Ref()) != nil)
	}
	if cat.Template(v2.ID) != cat.Template(v2.Ref()) {
		t.Fatal("a bare id does not give the active version")
	}

	// Reopening does not take the embedded version back: the admin chose v2.
	db2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	cat2, _ := db2.Checklists(ctx)
	db2.Close()
	if cat2.Default().Ref() != v2.Ref() {
		t.Fatalf("after reopening the default is %s; want %s kept", cat2.Default().Ref(), v2.Ref())
	}

	// Same content again: nothing changes. Other content under a stored
	// version, or a version not above the stored ones: refused.
	err = db.Write(ctx, func(tx *store.Tx) error {
		if created, err := tx.ImportChecklist(v2, store.SourceJSON, "tester", false); err != nil || created {
			t.Errorf("re-import of the same v3 = %v, %v; want no change", created, err)
		}
		changed := variant(t, 3, func(m map[string]any) { m["title"].(map[string]any)["en"] = "Changed" })
		if _, err := tx.ImportChecklist(changed, store.SourceJSON, "tester", false); !errors.Is(err, store.ErrChecklistExists) {
			t.Errorf("import of other content as v3 = %v; want ErrChecklistExists", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ActivateChecklist("kz-npm-default@9", "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("activate a version not stored = %v; want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	list := defaultVersions(mustInfos(t, db))
	if len(list) != 2 || !list[1].Active || list[0].Active || list[1].Source != store.SourceJSON {
		t.Fatalf("list = %+v; want the built-in v2 stored and v3 active", list)
	}
}

// defaultVersions keeps the versions of the general checklist kz-npm-default.
func defaultVersions(list []store.ChecklistInfo) []store.ChecklistInfo {
	var out []store.ChecklistInfo
	for _, ci := range list {
		if ci.ID == "kz-npm-default" {
			out = append(out, ci)
		}
	}
	return out
}

func mustInfos(t *testing.T, db *store.DB) []store.ChecklistInfo {
	t.Helper()
	var list []store.ChecklistInfo
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		list, err = tx.ChecklistInfos()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return list
}

// TestImportedIndicatorsAreBuiltIn: an imported checklist may not bring a
// threshold of its own, only the built-in indicators reading its items.
func TestImportedIndicatorsAreBuiltIn(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lowered := variant(t, 3, func(m map[string]any) {
		ind := m["indicators"].([]any)[0].(map[string]any)
		ind["threshold"] = 2.5
	})
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ImportChecklist(lowered, store.SourceJSON, "tester", true)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "differs from the built-in indicator") {
		t.Fatalf("import with a changed threshold = %v; want refused", err)
	}
	if list := defaultVersions(mustInfos(t, db)); len(list) != 1 {
		t.Fatalf("a refused import left %d versions of the checklist; want 1", len(list))
	}
}

// TestAdministratorsChecklistKeptOverABuiltInOne: a checklist an
// administrator imported under an id and version that a later release builds
// in stays as it is, and the database still opens.
func TestAdministratorsChecklistKeptOverABuiltInOne(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// As if the release before had no kz-police-custody: the administrator's own, under that name.
	own := variant(t, 1, func(m map[string]any) {
		m["id"] = "kz-police-custody"
		m["title"].(map[string]any)["en"] = "Our own police checklist"
	})
	err = db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec("DELETE FROM checklist_active WHERE id = 'kz-police-custody'"); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM checklists WHERE id = 'kz-police-custody'"); err != nil {
			return err
		}
		_, err := tx.ImportChecklist(own, store.SourceJSON, "admin", true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen with the administrator's kz-police-custody@1: %v", err)
	}
	defer db.Close()
	cat, err := db.Checklists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := cat.Template("kz-police-custody@1"); got == nil || got.Title["en"] != "Our own police checklist" || !cat.IsActive(got) {
		title := ""
		if got != nil {
			title = got.Title["en"]
		}
		t.Errorf("kz-police-custody@1 is %q (active %v); want the administrator's, active", title, cat.IsActive(got))
	}
}
