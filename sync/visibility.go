package sync

import (
	"encoding/json"

	"inspecta/schema"
	"inspecta/store"
)

// Viewer is the actor as the visibility rule (schema/visibility.go) sees it.
func (a Actor) Viewer() schema.Viewer {
	return schema.Viewer{UserID: a.UserID, Role: a.Role, Region: a.Region}
}

// Reader returns the actor as a reader of records inside tx. An item any
// stored checklist version marks as personal text is personal in every visit.
func (e *Engine) Reader(tx *store.Tx, actor Actor) (*store.Reader, error) {
	cat, err := tx.Checklists()
	if err != nil {
		return nil, err
	}
	return tx.NewReader(actor.Viewer(), cat.PersonalItems())
}

// redactRaw applies the rule to one JSON value of a field: the value when
// visible, nil (and redacted true) when not.
func redactRaw(r *store.Reader, s schema.Subject, field string, raw json.RawMessage) (json.RawMessage, bool) {
	if r.Field(s, field) == schema.Visible {
		return raw, false
	}
	return json.RawMessage("null"), true
}
