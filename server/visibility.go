package server

import (
	"encoding/json"
	"errors"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
)

// The desk's views through the visibility rule (schema/visibility.go): each
// function takes a view as the store built it and withholds what the reader
// may not see, naming it in the view's "redacted" markers.

// readerFor returns the principal as a reader of records inside tx.
func (s *Server) readerFor(tx *store.Tx, p *Principal) (*store.Reader, error) {
	return s.Engine.Reader(tx, p.Actor())
}

// visibleValue returns v when the reader may see field of s, else nil and true.
func visibleValue(r *store.Reader, s schema.Subject, field string, v any) (any, bool) {
	if v == nil || r.Field(s, field) == schema.Visible {
		return v, false
	}
	return nil, true
}

// redactConsolidation withholds from vc (visit v's consolidation) the
// values, notes, reasons and conflict values the reader may not see.
func redactConsolidation(tx *store.Tx, r *store.Reader, v *store.Visit, vc *review.VisitConsolidation) error {
	subject := func(typ schema.RecordType, author, item string) schema.Subject {
		return r.Subject(typ, v.Region, v.ID, author, item)
	}
	redactValues := func(item string, values []review.MemberValue) {
		for i := range values {
			mv := &values[i]
			s := subject(schema.RecordObservation, mv.AuthorID, item)
			var hidV, hidN bool
			mv.Value, hidV = visibleValue(r, s, "value", mv.Value)
			if mv.Note != "" && r.Field(s, "note") != schema.Visible {
				mv.Note, hidN = "", true
			}
			mv.Redacted = hidV || hidN
		}
	}
	scopes := []*review.ScopeConsolidation{&vc.Visit}
	for i := range vc.Locations {
		scopes = append(scopes, &vc.Locations[i])
	}
	for _, sc := range scopes {
		for i := range sc.Items {
			it := &sc.Items[i]
			redactValues(it.Item, it.Values)
			cs := subject(schema.RecordConsolidation, "", it.Item)
			var hid bool
			it.Value, hid = visibleValue(r, cs, "value", it.Value)
			it.Redacted = hid
			if d := it.Decision; d != nil {
				d.Value, _ = visibleValue(r, cs, "value", d.Value)
				if d.Reason != "" && r.Field(cs, "reason") != schema.Visible {
					d.Reason, d.Redacted = "", true
				}
			}
		}
	}
	for i := range vc.ToResolve {
		o := &vc.ToResolve[i]
		redactValues(o.Item, o.Values)
		if c := o.Conflict; c != nil {
			s, err := tx.SubjectByID(r, c.RecordType, c.RecordID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if r.Field(s, c.Field) != schema.Visible {
				c.WinnerValue, c.LoserValue, c.Redacted = json.RawMessage("null"), json.RawMessage("null"), true
			}
		}
	}
	return nil
}

// redactVisitDetail withholds reasons of the visit's status history the
// reader may not see.
func redactVisitDetail(r *store.Reader, d *visitDetail) {
	s := r.Subject(schema.RecordVisit, d.Visit.Region, d.Visit.ID, "", "")
	for i := range d.StatusHistory {
		h := &d.StatusHistory[i]
		if h.Reason != "" && r.Field(s, "status_reason") != schema.Visible {
			h.Reason, h.Redacted = "", true
		}
	}
	os := r.Subject("obstruction", d.Visit.Region, d.Visit.ID, "", "")
	for i := range d.Obstructions {
		if o := &d.Obstructions[i]; o.Note != "" && r.Field(os, "note") != schema.Visible {
			o.Note, o.Redacted = "", true
		}
	}
	// Interview counts go to readers who may see the interviews' answers.
	if r.Field(r.Subject("interview", d.Visit.Region, d.Visit.ID, "", ""), "complaints") != schema.Visible {
		d.Interviews = nil
	}
}

// redactAudit withholds from audit entries the fields the reader may not
// see, each entry judged as the record it changed.
func redactAudit(tx *store.Tx, r *store.Reader, entries []store.AuditEntry) error {
	for i := range entries {
		e := &entries[i]
		s, err := tx.SubjectByID(r, e.Type, e.RecordID)
		if errors.Is(err, store.ErrNotFound) {
			// A rejected operation for a record the server never stored:
			// judged as a record of its type written by its sender.
			var head struct {
				VisitID string `json:"visit_id"`
				Item    string `json:"item"`
			}
			json.Unmarshal(e.Fields, &head)
			region, _ := tx.RecordRegion(schema.RecordVisit, head.VisitID)
			s = r.Subject(e.Type, region, head.VisitID, e.UserID, head.Item)
		} else if err != nil {
			return err
		}
		if s.AuthorID == "" && (e.Type == schema.RecordObservation || e.Type == schema.RecordConfidentialNote || e.Type == schema.RecordInterview) {
			s.AuthorID = e.UserID
		}
		if r.Access(s) == schema.Absent {
			e.Fields, e.Redacted = json.RawMessage("{}"), true
			continue
		}
		fields, redacted := store.RedactFieldsJSON(r, s, e.Fields)
		e.Fields = fields
		e.Redacted = len(redacted) > 0
		e.RedactedFields = redacted
	}
	return nil
}
