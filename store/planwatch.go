package store

import (
	"fmt"
	"regexp"
	"strings"
	gosync "sync"
)

// The stored tables that grow with every answer and operation, and the
// views over them (migrations 0014–0020). A statement about one record, one
// visit or one user that reads one of them whole, or reads it whole again
// for each row of another table, is what turned the desk's audit of one
// visit from 0.6 s into 75 s: a lookup through a view compares an id
// written back as text, which no index holds (store/intern.go).
var (
	bigTables = []string{"uuid_rows", "record_heads", "op_log", "observation_rows"}
	bigViews  = []string{"uuids", "record_index", "ops", "observations"}
	// viewAliases are the names the views give their stored tables
	// (op_log o, observation_rows o, record_heads h): a plan names a
	// flattened view's tables by them.
	viewAliases = []string{"o", "h"}
)

// PlanWatch records, for a test, the statements run through a database's
// transactions whose query plan reads a big stored table whole where the
// statement looks rows up (planProblem).
type PlanWatch struct {
	mu         gosync.Mutex
	statements int
	problems   []string
	seen       map[string]bool
}

// WatchPlans has every statement later run through a Tx's Exec, Query or
// QueryRow planned first (EXPLAIN QUERY PLAN, in the same transaction, with
// the same arguments) and judged; Problems lists what it found. For tests
// that run a workload (server/planwatch_test.go); StopWatchingPlans ends it.
func (db *DB) WatchPlans() *PlanWatch {
	w := &PlanWatch{seen: map[string]bool{}}
	db.planWatch.Store(w)
	return w
}

// StopWatchingPlans ends WatchPlans.
func (db *DB) StopWatchingPlans() { db.planWatch.Store(nil) }

// Statements is the number of statements planned.
func (w *PlanWatch) Statements() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.statements
}

// Problems lists each statement (once) whose plan reads a big table whole
// where it should look up, with its plan.
func (w *PlanWatch) Problems() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...)
}

// planStep is one line of EXPLAIN QUERY PLAN.
type planStep struct {
	id, parent int
	detail     string
}

func (w *PlanWatch) plan(tx *Tx, query string, args []any) {
	rows, err := tx.Tx.QueryContext(tx.Ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return // not a statement that can be planned (several statements, DDL)
	}
	defer rows.Close()
	var plan []planStep
	for rows.Next() {
		var s planStep
		var notused int
		if rows.Scan(&s.id, &s.parent, &notused, &s.detail) != nil {
			return
		}
		plan = append(plan, s)
	}
	if rows.Err() != nil {
		return
	}
	problem := planProblem(query, args, plan)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.statements++
	if problem != "" && !w.seen[query] {
		w.seen[query] = true
		var lines []string
		for _, s := range plan {
			lines = append(lines, fmt.Sprintf("  %d<-%d %s", s.id, s.parent, s.detail))
		}
		w.problems = append(w.problems, problem+"\n"+strings.TrimSpace(query)+"\n"+strings.Join(lines, "\n"))
	}
}

// aliasRE finds the names a statement gives the big tables and views.
var aliasRE = regexp.MustCompile(`(?i)\b(` + strings.Join(append(append([]string{}, bigTables...), bigViews...), "|") +
	`)\s+(?:AS\s+)?([a-z_][a-z0-9_]*)`)

// planProblem says what is wrong with a statement's plan, or "". A plan
// reads a big stored table whole (SCAN; a view built whole, MATERIALIZE,
// shows the SCAN of its tables under it); that is wrong
//   - when the statement names an id (an argument that is a UUID, as text
//     or as its stored 16 bytes): it is about a few rows and must look
//     them up;
//   - inside a correlated subquery (run again for each row outside it);
//   - as the inner loop of a join (read again for each row of the outer).
//
// A statement with no id that reads a big table once, as the outer loop
// (an integrity check, a count, a list of every device), is not judged.
func planProblem(query string, args []any, plan []planStep) string {
	names := map[string]bool{}
	for _, t := range append(append([]string{}, bigTables...), viewAliases...) {
		names[strings.ToLower(t)] = true
	}
	for _, m := range aliasRE.FindAllStringSubmatch(query, -1) {
		switch a := strings.ToLower(m[2]); a {
		case "on", "where", "join", "left", "inner", "cross", "natural", "using", "group", "order", "limit", "union", "set",
			"values", "select", "and", "or", "not", "except", "intersect", "having", "window", "returning", "default":
		default:
			names[a] = true
		}
	}
	hasID := false
	for _, a := range args {
		switch v := a.(type) {
		case string:
			hasID = canonicalUUID(v)
		case []byte:
			hasID = len(v) == 16
		}
		if hasID {
			break
		}
	}
	byID := map[int]planStep{}
	for _, s := range plan {
		byID[s.id] = s
	}
	correlated := func(s planStep) bool {
		for p := s.parent; p != 0; p = byID[p].parent {
			if strings.HasPrefix(byID[p].detail, "CORRELATED ") {
				return true
			}
		}
		return false
	}
	firstLoop := map[int]int{} // parent → id of its first SCAN or SEARCH
	for _, s := range plan {
		if strings.HasPrefix(s.detail, "SCAN ") || strings.HasPrefix(s.detail, "SEARCH ") {
			if _, ok := firstLoop[s.parent]; !ok {
				firstLoop[s.parent] = s.id
			}
		}
	}
	// within says whether s is inside the MATERIALIZE step of name: a SCAN
	// of name outside it reads the rows built, not the table.
	within := func(s planStep, name string) bool {
		for p := s.parent; p != 0; p = byID[p].parent {
			if byID[p].detail == "MATERIALIZE "+name {
				return true
			}
		}
		return false
	}
	materialized := map[string]bool{}
	for _, s := range plan {
		if f := strings.Fields(s.detail); len(f) == 2 && f[0] == "MATERIALIZE" {
			materialized[f[1]] = true
		}
	}
	for _, s := range plan {
		if !strings.HasPrefix(s.detail, "SCAN ") {
			continue
		}
		what := strings.Fields(s.detail)[1]
		if !names[strings.ToLower(what)] || materialized[what] && !within(s, what) {
			continue
		}
		switch {
		case hasID:
			return fmt.Sprintf("reads %s whole in a statement about an id (%q)", what, s.detail)
		case correlated(s):
			return fmt.Sprintf("reads %s whole for each row of a correlated subquery (%q)", what, s.detail)
		case strings.HasPrefix(s.detail, "SCAN ") && firstLoop[s.parent] != s.id:
			return fmt.Sprintf("reads %s whole for each row of the outer loop (%q)", what, s.detail)
		}
	}
	return ""
}

// QueryPlan returns the lines of query's EXPLAIN QUERY PLAN, as SQLite
// would run it with args in this transaction: for the tests that check a
// query looks its rows up.
func (tx *Tx) QueryPlan(query string, args ...any) ([]string, error) {
	rows, err := tx.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}
