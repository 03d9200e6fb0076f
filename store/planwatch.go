package store

import (
	"fmt"
	"regexp"
	"strings"
	gosync "sync"
)

// The stored tables that grow with every answer and operation, and the
// views over them (migrations 0014–0022). A statement about one record, one
// visit or one user that reads one of them whole, or reads it whole again
// for each row of another table, is what turned the desk's audit of one
// visit from 0.6 s into 75 s: a lookup through a view compares an id
// written back as text, which no index holds (store/intern.go).
var (
	bigTables = []string{"uuid_rows", "record_heads", "op_log", "observation_rows"}
	bigViews  = []string{"uuids", "record_index", "ops", "observations"}
	// viewAliases are, for each view, the names it gives the big tables
	// and views it reads (record_heads h, op_log o, observation_rows o and
	// k, uuids d, a, r…; as the views stand after migration 0022): a plan
	// names a flattened view's tables by them ("SCAN o" is the op log read
	// whole inside ops), and a view the view reads materialised ("SCAN d").
	// TestViewAliasesKnown holds them to the schema.
	viewAliases = map[string][]string{
		"uuids":        nil,
		"record_index": {"h", "r", "t", "v", "a", "m", "e", "vn"},
		"observations": {"o", "i", "v", "l", "a"},
		"ops":          {"o", "d", "a", "t", "r", "c", "s", "v", "k", "kl"},
	}
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

// planSteps reads query's EXPLAIN QUERY PLAN, as SQLite would run it with
// args in tx, each step with its parent. Straight on the database/sql
// transaction: through tx.Query a watched statement would be planned again.
func planSteps(tx *Tx, query string, args []any) ([]planStep, error) {
	rows, err := tx.Tx.QueryContext(tx.Ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	defer rows.Close()
	var plan []planStep
	for rows.Next() {
		var s planStep
		var notused int
		if err := rows.Scan(&s.id, &s.parent, &notused, &s.detail); err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
		plan = append(plan, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return plan, nil
}

func (w *PlanWatch) plan(tx *Tx, query string, args []any) {
	plan, err := planSteps(tx, query, args)
	if err != nil {
		return // not a statement that can be planned (several statements, DDL)
	}
	problem := planProblem(query, args, plan)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.statements++
	if problem != "" && !w.seen[query] {
		w.seen[query] = true
		w.problems = append(w.problems, problem+"\n"+strings.TrimSpace(query)+"\n"+planText(plan))
	}
}

// planText writes a plan out one step a line, each with its parent.
func planText(plan []planStep) string {
	lines := make([]string, len(plan))
	for i, s := range plan {
		lines[i] = fmt.Sprintf("  %d<-%d %s", s.id, s.parent, s.detail)
	}
	return strings.Join(lines, "\n")
}

// bigNameRE finds the big tables and views a statement names, each with the
// word after it, which may be the name the statement gives it.
var bigNameRE = regexp.MustCompile(`(?i)\b(` + strings.Join(append(append([]string{}, bigTables...), bigViews...), "|") +
	`)\b(?:\s+(?:AS\s+)?([a-z_][a-z0-9_]*))?`)

// bigNames returns the names under which sql reads a big stored table, as
// its plan may show them: the tables and views themselves, the names sql
// gives them, and the names the views it reads give theirs (viewAliases).
func bigNames(sql string) map[string]bool {
	names := map[string]bool{}
	for _, t := range bigTables {
		names[t] = true
	}
	for _, m := range bigNameRE.FindAllStringSubmatch(sql, -1) {
		name := strings.ToLower(m[1])
		names[name] = true
		for _, a := range viewAliases[name] {
			names[a] = true
		}
		switch a := strings.ToLower(m[2]); a {
		case "", "on", "where", "join", "left", "inner", "cross", "natural", "using", "group", "order", "limit", "union", "set",
			"values", "select", "and", "or", "not", "except", "intersect", "having", "window", "returning", "default", "as":
		default:
			names[a] = true
		}
	}
	return names
}

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
	names := bigNames(query)
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
	if err := tx.settle(); err != nil { // the connection is used by one at a time (writebehind.go)
		return nil, err
	}
	steps, err := planSteps(tx, query, args)
	if err != nil {
		return nil, err
	}
	plan := make([]string, len(steps))
	for i, s := range steps {
		plan[i] = s.detail
	}
	return plan, nil
}
