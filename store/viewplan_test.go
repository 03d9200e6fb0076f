package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueriesThroughViewsLookUp: the answers, the op log and the record
// index are views joining their stored tables (migrations 0014–0016). SQLite
// does not flatten such a view on the right of a LEFT JOIN: it builds the
// whole view, once per call, which took the desk's audit of one visit from
// 0.6 s to 75 s on the bench's 20 visits. The queries that read them beside
// another table must plan as lookups: no view built whole, no stored table
// of answers or operations scanned.
func TestQueriesThroughViewsLookUp(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, q := range map[string]string{
		"subject of an answer":     subjectOfObservation,
		"subject of a decision":    subjectOfConsolidation,
		"a visit's open conflicts": openConflictsQuery,
	} {
		var plan []string
		err := db.Read(ctx, func(tx *Tx) error {
			rows, err := tx.Query("EXPLAIN QUERY PLAN "+q, "observation", "01a22a9c-33c0-76f9-b60d-2b33a0c71566")
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					return err
				}
				plan = append(plan, detail)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := strings.Join(plan, "\n")
		for _, bad := range []string{"MATERIALIZE observations", "MATERIALIZE ops", "MATERIALIZE record_index",
			"SCAN observation_rows", "SCAN op_log", "SCAN record_heads", "SCAN uuids"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s plans %q:\n%s", name, bad, text)
			}
		}
	}
}
