package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"inspecta/schema"
)

// TestNaturalKeyLookupsUseIndex: an answer's item is stored as a number of
// item_codes (migration 0022) that the view observations writes back as its
// name. The lookups by natural key (visit, place, item, author) compare the
// name: they must still find the answer through observation_rows_key, the
// item's number looked up by its name, for one key (FindByKey) and for a
// push's batch of keys (PrefetchKeys); never a scan of the answers.
func TestNaturalKeyLookupsUseIndex(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const id = "01a22a9c-33c0-76f9-b60d-2b33a0c71566"
	key := NaturalKey{VisitID: id, LocationID: id, Item: "cell_area_m2", AuthorID: id}
	one, oneArgs := findByKeySQL(schema.RecordObservation, map[string]any{"visit_id": id, "location_id": id, "item": "cell_area_m2", "author_id": id})
	batch, batchArgs := prefetchKeysSQL(RecordTypes[schema.RecordObservation].Table, naturalKeyCols[schema.RecordObservation], []NaturalKey{key, key, key})
	for name, q := range map[string]struct {
		sql  string
		args []any
	}{"FindByKey": {one, oneArgs}, "PrefetchKeys": {batch, batchArgs}} {
		var plan []planStep
		err := db.Read(ctx, func(tx *Tx) (err error) {
			plan, err = planSteps(tx, q.sql, q.args)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := planText(plan)
		if !strings.Contains(text, "observation_rows_key (visit=? AND location=? AND item=? AND author=?)") {
			t.Errorf("%s does not look the answer up by its whole natural key:\n%s", name, text)
		}
		if problem := planProblem(q.sql, q.args, plan); problem != "" {
			t.Errorf("%s %s:\n%s", name, problem, text)
		}
		for _, s := range plan {
			if s.detail == "MATERIALIZE observations" || strings.HasPrefix(s.detail+" ", "SCAN g ") {
				t.Errorf("%s plans %q:\n%s", name, s.detail, text)
			}
		}
	}
}
