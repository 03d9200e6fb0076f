package store

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
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
// of answers or operations scanned.
func TestQueriesThroughViewsLookUp(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var views string
	err = db.Read(ctx, func(tx *Tx) error {
		return tx.QueryRow("SELECT group_concat(sql, ' ') FROM sqlite_schema WHERE type = 'view'").Scan(&views)
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]string{
		"subject of an answer":     subjectOfObservation,
		"subject of a decision":    subjectOfConsolidation,
		"a visit's open conflicts": openConflictsQuery,
		"operations by op_id":      "SELECT seq, status, user_id FROM ops WHERE " + OpsByOpID(2),
		"a visit's audit trail":    auditQuery(auditOfVisit),
	} {
		var plan []string
		err := db.Read(ctx, func(tx *Tx) (err error) {
			args := []any{"observation", "01a22a9c-33c0-76f9-b60d-2b33a0c71566"}
			for strings.Count(q, "?") > len(args) {
				args = append(args, 1)
			}
			plan, err = tx.QueryPlan(q, args...)
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := strings.Join(plan, "\n")
		for _, bad := range []string{"MATERIALIZE observations", "MATERIALIZE ops", "MATERIALIZE record_index"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s plans %q:\n%s", name, bad, text)
			}
		}
		// A plan names a table by its alias ("SCAN o" is the op log read
		// whole inside the view ops): any alias the query or a view gives a
		// stored table of answers, operations, records or ids counts.
		for _, alias := range scannedBigTables(plan, q+views) {
			t.Errorf("%s reads %s whole (SCAN %s):\n%s", name, bigAliases(q + views)[alias], alias, text)
		}
	}
}

// bigTableAlias finds a stored table (or a view over them) of answers,
// operations, records or ids with the alias that follows it.
var bigTableAlias = regexp.MustCompile(`(?i)\b(op_log|observation_rows|record_heads|uuids|ops|observations|record_index)\b(?:\s+(?:AS\s+)?(\w+))?`)

// bigAliases maps each name under which sql reads a big table to that table.
func bigAliases(sql string) map[string]string {
	keywords := map[string]bool{"where": true, "on": true, "join": true, "left": true, "inner": true, "cross": true, "using": true,
		"group": true, "order": true, "limit": true, "set": true, "values": true, "as": true, "union": true, "and": true, "or": true}
	m := map[string]string{}
	for _, g := range bigTableAlias.FindAllStringSubmatch(sql, -1) {
		m[strings.ToLower(g[1])] = g[1]
		if g[2] != "" && !keywords[strings.ToLower(g[2])] {
			m[g[2]] = g[1]
		}
	}
	return m
}

// scannedBigTables returns the aliases of big tables a plan scans whole; a
// subquery's result the plan materialised first (its own reads listed) is
// not one.
func scannedBigTables(plan []string, sql string) []string {
	big := bigAliases(sql)
	materialized := map[string]bool{}
	for _, line := range plan {
		if name, ok := strings.CutPrefix(line, "MATERIALIZE "); ok {
			materialized[name] = true
		}
	}
	var out []string
	for _, line := range plan {
		rest, ok := strings.CutPrefix(line, "SCAN ")
		if !ok {
			continue
		}
		alias, _, _ := strings.Cut(rest, " ")
		if _, isBig := big[alias]; isBig && !materialized[alias] {
			out = append(out, alias)
		}
	}
	return out
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
