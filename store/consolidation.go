package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"inspecta/schema"
)

// This file reads and writes what the coordinator's review works on (the
// rules are package review's): a visit's live locations, observations,
// consolidations and open sync conflicts.

// VisitConflict is an open sync conflict of a visit's records.
type VisitConflict struct {
	ID            string            `json:"id"`
	RecordType    schema.RecordType `json:"record_type"`
	RecordID      string            `json:"record_id"`
	Field         string            `json:"field"`
	Item          string            `json:"item,omitempty"`        // observation and consolidation conflicts
	LocationID    string            `json:"location_id,omitempty"` // likewise, and location conflicts
	AuthorID      string            `json:"author_id,omitempty"`   // an observation's author
	WinnerValue   json.RawMessage   `json:"winner_value"`
	LoserValue    json.RawMessage   `json:"loser_value"`
	WinnerDevice  string            `json:"winner_device"`
	LoserDevice   string            `json:"loser_device"`
	LoserUser     string            `json:"loser_user"`
	LoserUserName string            `json:"loser_user_name"`
	CreatedAt     string            `json:"created_at"`
	// OpSeq is the sequence the operation that raised the conflict got.
	OpSeq int64 `json:"op_seq"`
	// Redacted: both values are withheld from this reader (visibility rule).
	Redacted bool `json:"redacted,omitempty"`
	// Version is what a decision sends back as the version the screen showed:
	// the record's sequence, or for an observation (decided by consolidating
	// its item) the item's consolidation's sequence, 0 if none.
	Version int64 `json:"version"`
}

// ObservationRow is one live observation as the consolidation reads it.
type ObservationRow struct {
	ID, LocationID, Item, AuthorID, AuthorName, Note string
	Value                                            any
	Seq                                              int64
}

// ConsolidationRow is one live consolidation as the consolidation reads it.
type ConsolidationRow struct {
	ID, LocationID, Item, Reason, ObservationID, DecidedBy, DecidedByName string
	Value                                                                 any
	Seq                                                                   int64
}

// ConsolidationInput is everything review.Consolidate needs of one visit.
type ConsolidationInput struct {
	VisitID        string
	Template       *schema.Template
	Locations      []Location // live ones, in display order
	Observations   []ObservationRow
	Consolidations []ConsolidationRow
	Conflicts      []VisitConflict // open ones
}

// LoadConsolidationInput reads what review.Consolidate needs of a visit: its live
// locations, observations and consolidations, and its open sync conflicts.
func (tx *Tx) LoadConsolidationInput(visitID string, tmpl *schema.Template) (*ConsolidationInput, error) {
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM visits WHERE id = ? AND deleted = 0", visitID).Scan(&n); err != nil {
		return nil, fmt.Errorf("consolidation of %s: %w", visitID, err)
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	in := &ConsolidationInput{VisitID: visitID, Template: tmpl}
	var err error
	if in.Locations, err = tx.Locations(visitID); err != nil {
		return nil, err
	}
	if in.Observations, err = tx.liveObservations(visitID); err != nil {
		return nil, err
	}

	rows, err := tx.Query(`SELECT c.id, c.location_id, c.item, c.reason, c.observation_id, COALESCE(c.decided_by, ''),
		COALESCE(u.name, ''), c.value, c.seq
		FROM consolidations c LEFT JOIN users u ON u.id = c.decided_by
		WHERE c.visit_id = ? AND c.deleted = 0`, visitID)
	if err != nil {
		return nil, fmt.Errorf("load consolidations: %w", err)
	}
	for rows.Next() {
		var c ConsolidationRow
		var value *string
		if err := rows.Scan(&c.ID, &c.LocationID, &c.Item, &c.Reason, &c.ObservationID, &c.DecidedBy, &c.DecidedByName, &value, &c.Seq); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load consolidations: %w", err)
		}
		if c.Value, err = decodeJSONText(value); err != nil {
			rows.Close()
			return nil, fmt.Errorf("consolidation %s value: %w", c.ID, err)
		}
		in.Consolidations = append(in.Consolidations, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load consolidations: %w", err)
	}

	if in.Conflicts, err = tx.OpenVisitConflicts(visitID); err != nil {
		return nil, err
	}
	return in, nil
}

// openConflictsQuery reads a visit's open conflicts. The op log and the
// answers are views that join their stored tables: read by scalar subqueries
// or a join inside a subquery, which SQLite runs as lookups, never as a view
// on the right of a LEFT JOIN, where it builds the whole view
// (viewplan_test.go). Answers and record heads are found by their ids'
// stored form (store/intern.go).
var openConflictsQuery = `SELECT c.id, c.type, c.record_id, c.field, COALESCE(c.winner_value, 'null'),
		COALESCE(c.loser_value, 'null'), c.winner_device, c.loser_device, c.loser_user, COALESCE(u.name, ''),
		c.created_at, COALESCE((SELECT op.seq FROM op_log op WHERE op.op_id = ` + opKeySQL("c.op_id") + `), 0),
		COALESCE(o.item, k.item, ''), COALESCE(o.location_id, k.location_id, ''), COALESCE(o.author_id, ''),
		CASE WHEN c.type = 'observation' THEN COALESCE((SELECT k2.seq FROM consolidations k2
			WHERE k2.visit_id = o.visit_id AND k2.location_id = o.location_id AND k2.item = o.item), 0)
		ELSE COALESCE((SELECT ri.seq FROM record_index ri WHERE ri.type = c.type AND ri.id_key = ` + uuidKeySQL("c.record_id") + `), 0) END
		FROM conflicts c
		LEFT JOIN users u ON u.id = c.loser_user
		LEFT JOIN (SELECT c2.id AS cid, o.item, o.location_id, o.author_id, o.visit_id FROM conflicts c2, observations o
			WHERE c2.visit_id = ?1 AND c2.type = 'observation' AND o.id_key = ` + uuidKeySQL("c2.record_id") + `) o ON o.cid = c.id
		LEFT JOIN consolidations k ON c.type = 'consolidation' AND k.id = c.record_id
		WHERE c.visit_id = ?1 AND c.resolved_at IS NULL ORDER BY c.created_at, c.id`

// OpenVisitConflicts lists the unresolved sync conflicts of a visit's records,
// oldest first, with the item and location of observation and consolidation
// conflicts.
func (tx *Tx) OpenVisitConflicts(visitID string) ([]VisitConflict, error) {
	rows, err := tx.Query(openConflictsQuery, visitID)
	if err != nil {
		return nil, fmt.Errorf("load conflicts: %w", err)
	}
	defer rows.Close()
	list := []VisitConflict{}
	for rows.Next() {
		var c VisitConflict
		var w, l string
		if err := rows.Scan(&c.ID, &c.RecordType, &c.RecordID, &c.Field, &w, &l, &c.WinnerDevice, &c.LoserDevice,
			&c.LoserUser, &c.LoserUserName, &c.CreatedAt, &c.OpSeq, &c.Item, &c.LocationID, &c.AuthorID, &c.Version); err != nil {
			return nil, fmt.Errorf("load conflicts: %w", err)
		}
		c.WinnerValue, c.LoserValue = json.RawMessage(w), json.RawMessage(l)
		if c.RecordType == schema.RecordLocation {
			c.LocationID = c.RecordID
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// ResolveConflict marks an open conflict resolved by userID through the
// operation opID (the decision in the op log). It returns ErrNotFound when the
// conflict does not exist or is already resolved.
func (tx *Tx) ResolveConflict(conflictID, userID, opID string) error {
	res, err := tx.Exec(`UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolved_op_id = ?
		WHERE id = ? AND resolved_at IS NULL`, tx.NowText(), userID, opID, conflictID)
	if err != nil {
		return fmt.Errorf("resolve conflict: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func decodeJSONText(s *string) (any, error) {
	if s == nil {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal([]byte(*s), &v); err != nil {
		return nil, err
	}
	return v, nil
}

// liveObservations reads a visit's observations that are not deleted, with
// their authors' names, ordered by place, item, author's name (no user
// first) and author. The ids are read in their stored form and written as
// text here, the names looked up once per author and the rows sorted here:
// in SQL, writing each id back as text (and again to join and to sort)
// took longer than the rest of the read (store/intern.go).
func (tx *Tx) liveObservations(visitID string) ([]ObservationRow, error) {
	rows, err := tx.Query(`SELECT o.id_key, o.location_key, o.item, o.author_key, o.note, o.value, o.seq
		FROM observations o WHERE o.visit_key = +? AND o.deleted = 0`, IDKey(visitID))
	if err != nil {
		return nil, fmt.Errorf("load observations: %w", err)
	}
	var list []ObservationRow
	for rows.Next() {
		var o ObservationRow
		var id, location, author any
		var value *string
		if err := rows.Scan(&id, &location, &o.Item, &author, &o.Note, &value, &o.Seq); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load observations: %w", err)
		}
		for _, f := range []struct {
			key any
			to  *string
		}{{id, &o.ID}, {location, &o.LocationID}, {author, &o.AuthorID}} {
			if *f.to, err = idText(f.key); err != nil {
				rows.Close()
				return nil, fmt.Errorf("load observations: %w", err)
			}
		}
		if o.Value, err = decodeJSONText(value); err != nil {
			rows.Close()
			return nil, fmt.Errorf("observation %s value: %w", o.ID, err)
		}
		list = append(list, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load observations: %w", err)
	}
	names := map[string]*string{} // nil: no such user, or no name (sorted first, as SQL sorts NULL)
	for _, o := range list {
		if _, ok := names[o.AuthorID]; ok {
			continue
		}
		var name sql.NullString
		err := tx.QueryRow("SELECT name FROM users WHERE id = ?", o.AuthorID).Scan(&name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("load observations: author %s: %w", o.AuthorID, err)
		}
		names[o.AuthorID] = nil
		if name.Valid {
			names[o.AuthorID] = &name.String
		}
	}
	for i := range list {
		if n := names[list[i].AuthorID]; n != nil {
			list[i].AuthorName = *n
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.LocationID != b.LocationID {
			return a.LocationID < b.LocationID
		}
		if a.Item != b.Item {
			return a.Item < b.Item
		}
		na, nb := names[a.AuthorID], names[b.AuthorID]
		if (na == nil) != (nb == nil) {
			return na == nil
		}
		if na != nil && *na != *nb {
			return *na < *nb
		}
		return a.AuthorID < b.AuthorID
	})
	return list, nil
}
