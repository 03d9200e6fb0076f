package store

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestQueriesThroughViewsLookUp: the answers, the op log and the record
// index are views joining their stored tables (migrations 0014–0016). SQLite
// does not flatten such a view on the right of a LEFT JOIN: it builds the
// whole view, once per call, which took the desk's audit of one visit from
// 0.6 s to 75 s on the bench's 20 visits. The queries that read them beside
// another table must plan as lookups: no view built whole, no stored table
// of answers, operations, records or ids scanned (planProblem, the judge of
// store.DB.WatchPlans, with an id among the arguments: any such scan).
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
		"operations by op_id":      "SELECT seq, status, user_id FROM ops WHERE " + OpsByOpID(2),
		"a visit's audit trail":    auditQuery(auditOfVisit),
	} {
		args := []any{"observation", "01a22a9c-33c0-76f9-b60d-2b33a0c71566"}
		for strings.Count(q, "?") > len(args) {
			args = append(args, 1)
		}
		var plan []planStep
		err := db.Read(ctx, func(tx *Tx) (err error) {
			plan, err = planSteps(tx, q, args)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(plan) == 0 {
			t.Fatalf("%s: no plan", name)
		}
		for _, s := range plan {
			for _, view := range bigViews {
				if s.detail == "MATERIALIZE "+view {
					t.Errorf("%s plans %q:\n%s", name, s.detail, planText(plan))
				}
			}
		}
		if problem := planProblem(q, args, plan); problem != "" {
			t.Errorf("%s %s:\n%s", name, problem, planText(plan))
		}
	}
}

// TestViewAliasesKnown: planProblem knows, for each view, every name under
// which the view reads a big table (viewAliases), as the views stand after
// every migration: a view redefined with a new alias, or a new view over the
// big tables, is named there too.
func TestViewAliasesKnown(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	views := map[string]string{}
	err = db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.Query("SELECT name, sql FROM sqlite_schema WHERE type = 'view'")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name, sql string
			if err := rows.Scan(&name, &sql); err != nil {
				return err
			}
			views[name] = sql
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(viewAliases) != len(bigViews) {
		t.Errorf("viewAliases names %d views, bigViews %d", len(viewAliases), len(bigViews))
	}
	for _, name := range bigViews {
		if _, ok := viewAliases[name]; !ok || views[name] == "" {
			t.Errorf("big view %s: in viewAliases %v, in the schema %v", name, ok, views[name] != "")
		}
	}
	big := map[string]bool{}
	for _, name := range append(append([]string{}, bigTables...), bigViews...) {
		big[name] = true
	}
	for name, sql := range views {
		// The view's own text after its name: the names it reads under.
		_, body, ok := strings.Cut(sql, " AS")
		if !ok {
			t.Fatalf("view %s: no AS in %q", name, sql)
		}
		if _, known := viewAliases[name]; known != bigNameRE.MatchString(body) {
			t.Errorf("view %s: reads a big table or view %v, in viewAliases %v", name, !known, known)
		}
		reads := bigNames(body)
		for alias := range reads {
			if !big[alias] && !slices.Contains(viewAliases[name], alias) {
				t.Errorf("view %s reads a big table as %s, which viewAliases[%q] does not name", name, alias, name)
			}
		}
		for _, alias := range viewAliases[name] {
			if !reads[alias] {
				t.Errorf("viewAliases[%q] names %s, which the view does not give a big table", name, alias)
			}
		}
	}
}

// TestPlanProblemSeesViewAliases: a plan names the ids a view reads by the
// view's alias of uuids. Without automatic indexes, SQLite reads ops with
// DISTINCT by building its LEFT JOINs of uuids (v, kl) apart and reading
// them whole for each operation: planProblem must say so, though the
// statement names neither v nor uuids.
func TestPlanProblemSeesViewAliases(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const q = "SELECT DISTINCT fields FROM ops WHERE seq > ?"
	var plan []planStep
	err = db.Read(ctx, func(tx *Tx) (err error) {
		if _, err := tx.Tx.ExecContext(tx.Ctx, "PRAGMA automatic_index = OFF"); err != nil {
			return err
		}
		defer tx.Tx.ExecContext(tx.Ctx, "PRAGMA automatic_index = ON")
		plan, err = planSteps(tx, q, []any{0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	problem := planProblem(q, []any{0}, plan)
	if !strings.Contains(problem, "reads v whole for each row of the outer loop") &&
		!strings.Contains(problem, "reads kl whole for each row of the outer loop") {
		t.Errorf("planProblem = %q; want the ids of ops' visits read whole for each operation:\n%s", problem, planText(plan))
	}
}

// TestOpKey: the key of a canonical op_id is its 16 bytes; any other text is
// its own key, so that no two op_ids share one.
func TestOpKey(t *testing.T) {
	for range 100 {
		u := uuid.New()
		key, ok := OpKey(u.String()).([]byte)
		if !ok || !bytes.Equal(key, u[:]) {
			t.Fatalf("OpKey(%s) = %x; want %x", u, key, u[:])
		}
	}
	for _, id := range []string{"01A22B21-491B-7B41-88B7-0C09EBAF39CB", "{01a22b21-491b-7b41-88b7-0c09ebaf39cc}",
		"01a22b21491b7b4188b70c09ebaf39cd", "01a22b21-491b7-b41-88b7-0c09ebaf39ce", "01a22b21-491b-7b41-88b7-0c09ebaf39cg", "", "legacy-1"} {
		if key, ok := OpKey(id).(string); !ok || key != id {
			t.Errorf("OpKey(%q) = %v; want the text itself", id, OpKey(id))
		}
	}
}
