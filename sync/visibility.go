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

// PersonalItems are the checklist items any of the engine's templates marks
// as personal text.
func (e *Engine) PersonalItems() map[string]bool {
	ts := make([]*schema.Template, 0, len(e.Templates))
	for _, t := range e.Templates {
		ts = append(ts, t)
	}
	return schema.PersonalItems(ts...)
}

// Reader returns the actor as a reader of records inside tx.
func (e *Engine) Reader(tx *store.Tx, actor Actor) (*store.Reader, error) {
	return tx.NewReader(actor.Viewer(), e.PersonalItems())
}

// redactRaw applies the rule to one JSON value of a field: the value when
// visible, nil (and redacted true) when not.
func redactRaw(r *store.Reader, s schema.Subject, field string, raw json.RawMessage) (json.RawMessage, bool) {
	if r.Field(s, field) == schema.Visible {
		return raw, false
	}
	return json.RawMessage("null"), true
}
