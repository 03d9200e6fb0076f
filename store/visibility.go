package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"inspecta/schema"
)

// This file is the scope half of the visibility rule (schema/visibility.go):
// the SQL that selects the records a reader may see, generated from the rule
// itself, and the Reader that works out the rule's Subject of a record.

// relationPredicate is the SQL condition on record_index (unqualified
// columns) that holds exactly when a reader of a role stands in relation rel
// to a record, with its arguments. The region is tested outside (see
// VisibleRecords); "" means no further condition.
func relationPredicate(v schema.Viewer, rel schema.Relation) (string, []any) {
	// On the stored forms of the ids (store/intern.go): the pull tests it
	// on every row after its cursor, and writing each id back as text to
	// compare it would cost more than the rest of the pull.
	teamVisits := "(SELECT " + uuidKeySQL("visit_id") + " FROM visit_team WHERE user_id = ?)"
	me := IDKey(v.UserID)
	switch rel {
	case schema.RelAuthor:
		return "(author_key <> '' AND author_key = +?)", []any{me}
	case schema.RelTeam:
		return "((author_key = '' OR author_key <> +?) AND visit_key IN " + teamVisits + ")", []any{me, v.UserID}
	case schema.RelRegion:
		return "((author_key = '' OR author_key <> +?) AND visit_key NOT IN " + teamVisits + ")", []any{me, v.UserID}
	}
	return "", nil
}

// relationsOfRole are the relations a reader of a role can have to a record
// of its own region (the others being RelOtherRegion).
func relationsOfRole(role string) []schema.Relation {
	switch role {
	case schema.RoleMember:
		return []schema.Relation{schema.RelAuthor, schema.RelTeam, schema.RelRegion}
	case schema.RoleCoordinator:
		return []schema.Relation{schema.RelCoordinator}
	case schema.RoleStaff:
		return []schema.Relation{schema.RelStaff}
	case schema.RoleAdmin:
		return []schema.Relation{schema.RelAdmin}
	}
	return nil
}

// VisibleRecords returns the SQL condition on record_index (unqualified
// columns) that selects the records the viewer may see in full (record
// access Visible), and its arguments. It is built from the rule's table, so
// the pull and schema.RecordAccess cannot drift apart; a test compares them.
func VisibleRecords(v schema.Viewer) (string, []any) {
	rels := relationsOfRole(v.Role)
	if len(rels) == 0 {
		return "0", nil
	}
	regional := v.Role == schema.RoleMember || v.Role == schema.RoleCoordinator
	// Group the record types by the condition that admits them.
	type group struct {
		types []string
		cond  string
		args  []any
	}
	var groups []*group
	for _, typ := range schema.RecordTypeNames {
		var conds []string
		var args []any
		all := true
		for _, rel := range rels {
			if schema.RecordAccessFor(typ, rel) != schema.Visible {
				all = false
				continue
			}
			c, a := relationPredicate(v, rel)
			conds = append(conds, c)
			args = append(args, a...)
		}
		if len(conds) == 0 {
			continue
		}
		cond := "1"
		if !all {
			cond = "(" + strings.Join(conds, " OR ") + ")"
		} else {
			args = nil
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return g.cond == cond && fmt.Sprint(g.args) == fmt.Sprint(args) })
		if i < 0 {
			groups = append(groups, &group{cond: cond, args: args})
			i = len(groups) - 1
		}
		groups[i].types = append(groups[i].types, typ)
	}
	if len(groups) == 0 {
		return "0", nil
	}
	var parts []string
	var args []any
	for _, g := range groups {
		quoted := make([]string, len(g.types))
		for i, t := range g.types {
			quoted[i] = "'" + t + "'"
		}
		part := "type IN (" + strings.Join(quoted, ", ") + ")"
		if g.cond != "1" {
			part += " AND " + g.cond
		}
		if len(groups) == 1 && len(g.types) == len(schema.RecordTypeNames) {
			part = g.cond
		}
		parts = append(parts, "("+part+")")
		args = append(args, g.args...)
	}
	cond := strings.Join(parts, " OR ")
	if regional {
		return "region = ? AND (" + cond + ")", append([]any{v.Region}, args...)
	}
	return "(" + cond + ")", args
}

// Reader is a reader of records with what the rule needs to know of them:
// the visits the reader is on and which checklist items are personal text.
type Reader struct {
	Viewer   schema.Viewer
	team     map[string]bool
	personal map[string]bool
}

// NewReader loads what the rule needs of viewer (the visits a member is
// on). personalItems are the checklist items marked personal text.
func (tx *Tx) NewReader(v schema.Viewer, personalItems map[string]bool) (*Reader, error) {
	r := &Reader{Viewer: v, team: map[string]bool{}, personal: personalItems}
	if v.Role != schema.RoleMember {
		return r, nil
	}
	rows, err := tx.Query("SELECT visit_id FROM visit_team WHERE user_id = ?", v.UserID)
	if err != nil {
		return nil, fmt.Errorf("reader's visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("reader's visits: %w", err)
		}
		r.team[id] = true
	}
	return r, rows.Err()
}

// Subject returns the rule's subject for a record of typ in region, of
// visit visitID, written by authorID, about checklist item (may be "").
func (r *Reader) Subject(typ schema.RecordType, region, visitID, authorID, item string) schema.Subject {
	return schema.Subject{Type: string(typ), Region: region, AuthorID: authorID, OnTeam: visitID != "" && r.team[visitID],
		Personal: item != "" && r.personal[item]}
}

// SubjectOf returns the rule's subject for a stored record.
func (r *Reader) SubjectOf(rec *Record) schema.Subject {
	item, _ := rec.Fields["item"].(string)
	return r.Subject(rec.Type, rec.Region, rec.VisitID, rec.AuthorID, item)
}

// Access returns what the reader gets of a record as a whole.
func (r *Reader) Access(s schema.Subject) schema.Access { return schema.RecordAccess(r.Viewer, s) }

// Field returns what the reader gets of one field.
func (r *Reader) Field(s schema.Subject, field string) schema.Access {
	return schema.FieldAccess(r.Viewer, s, field)
}

// fieldOfValue is Field for a field whose value is known (as JSON): a
// printable text withheld until it passes the pre-approval check is judged
// by what it holds (schema.CheckedSubject), only when that decides it.
func (r *Reader) fieldOfValue(s schema.Subject, field string, raw json.RawMessage) schema.Access {
	a := r.Field(s, field)
	if a == schema.Visible || s.Cleared || schema.FieldClass(s.Type, field, s.Personal) != schema.ClassPrintable {
		return a
	}
	var val any
	if err := json.Unmarshal(raw, &val); err != nil {
		return a // a value that cannot be read is not judged clean: it stays withheld
	}
	return r.Field(schema.CheckedSubject(s, field, val), field)
}

// Redact returns fields without those the reader may not see, and the
// sorted names of the redacted ones.
func (r *Reader) Redact(s schema.Subject, fields map[string]any) (map[string]any, []string) {
	out, red := schema.Redact(r.Viewer, s, fields)
	slices.Sort(red)
	return out, red
}

// The subject of an answer or a decision with its item. A scalar subquery,
// not a LEFT JOIN: SQLite does not flatten a view that is a join (such as
// observations) on the right of a LEFT JOIN and builds the whole view at
// each call (viewplan_test.go).
const (
	subjectOfObservation = `SELECT ri.region, ri.visit_id, ri.author_id, COALESCE((SELECT o.item FROM observations o WHERE o.id_key = ri.id_key), '')
		FROM record_index ri WHERE ri.type = ? AND ri.id_key = +?`
	subjectOfConsolidation = `SELECT ri.region, ri.visit_id, ri.author_id, COALESCE((SELECT c.item FROM consolidations c WHERE c.id = ri.id), '')
		FROM record_index ri WHERE ri.type = ? AND ri.id_key = +?`
)

// SubjectByID returns the subject of a stored record from record_index (and
// the record's item, for values): ErrNotFound when the server never stored it.
func (tx *Tx) SubjectByID(r *Reader, typ schema.RecordType, id string) (schema.Subject, error) {
	var region, visitID, authorID, item string
	q := "SELECT region, visit_id, author_id, '' FROM record_index WHERE type = ? AND id_key = +?"
	switch typ {
	case schema.RecordObservation:
		q = subjectOfObservation
	case schema.RecordConsolidation:
		q = subjectOfConsolidation
	}
	if err := tx.QueryRow(q, typ, IDKey(id)).Scan(&region, &visitID, &authorID, &item); err != nil {
		if isNoRows(err) {
			return schema.Subject{Type: string(typ)}, ErrNotFound
		}
		return schema.Subject{}, fmt.Errorf("subject of %s %s: %w", typ, id, err)
	}
	return r.Subject(typ, region, visitID, authorID, item), nil
}

// RedactFieldsJSON applies the rule to fields kept as JSON text (the op
// log's fields, a quarantined operation's): the fields the reader may not
// see are removed and their names returned, sorted. Text that is not a JSON
// object is withheld whole ("*") unless the reader may see anything of the
// record.
func RedactFieldsJSON(r *Reader, s schema.Subject, text json.RawMessage) (json.RawMessage, []string) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(text, &fields); err != nil {
		if r.Field(s, "*") == schema.Visible {
			if json.Valid(text) {
				return text, nil
			}
			b, _ := json.Marshal(string(text))
			return b, nil
		}
		return json.RawMessage("{}"), []string{"*"}
	}
	out := map[string]json.RawMessage{}
	var redacted []string
	for name, raw := range fields {
		if r.fieldOfValue(s, name, raw) == schema.Visible {
			out[name] = raw
		} else {
			redacted = append(redacted, name)
		}
	}
	slices.Sort(redacted)
	b, err := json.Marshal(out)
	if err != nil {
		return json.RawMessage("{}"), []string{"*"}
	}
	return b, redacted
}
