package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
	// Labels that did not pass the pre-approval check, for readers who see
	// only what passed it: in the locations, the queue and its messages.
	locs := make([]store.Location, len(vc.Locations))
	for i, l := range vc.Locations {
		locs[i] = store.Location{ID: l.LocationID, Label: l.Label}
	}
	withheld, err := redactLocationLabels(tx, r, v, locs)
	if err != nil {
		return err
	}
	shownAs := map[string]string{}
	for i := range vc.Locations {
		if _, ok := withheld[vc.Locations[i].LocationID]; ok {
			vc.Locations[i].Label = locs[i].Label
			shownAs[vc.Locations[i].LocationID] = locs[i].Label
		}
	}
	for i := range vc.ToResolve {
		o := &vc.ToResolve[i]
		redactValues(o.Item, o.Values)
		if label, ok := withheld[o.LocationID]; ok {
			o.LocationLabel = shownAs[o.LocationID]
			o.Message = strings.ReplaceAll(o.Message, label, shownAs[o.LocationID])
		}
		if c := o.Conflict; c != nil {
			s, err := tx.SubjectByID(r, c.RecordType, c.RecordID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if !conflictVisible(r, s, c) {
				c.WinnerValue, c.LoserValue, c.Redacted = json.RawMessage("null"), json.RawMessage("null"), true
			}
		}
	}
	return nil
}

// uncheckedPrintable reports whether the printable text held by field of
// the record id (subject s) is withheld from the reader only because it did
// not pass the pre-approval check: something in it looks like it identifies
// a person and no coordinator cleared it. Staff and admins see a printable
// text only once it passed (schema.FieldAccessFor); the region's coordinator
// sees it, to clear or correct it. What else the rule withholds is left to
// each route's own checks.
func uncheckedPrintable(tx *store.Tx, r *store.Reader, s schema.Subject, id, field, text string) (bool, error) {
	if text == "" {
		return false, nil
	}
	cs, err := tx.CheckedSubject(s, id, field, text)
	if err != nil {
		return false, err
	}
	passed := s
	passed.Cleared = true
	return r.Field(cs, field) != schema.Visible && r.Field(passed, field) == schema.Visible, nil
}

// withheldLabel is what a reader sees of a location's label withheld by the
// pre-approval check: the location's number in its visit, as reports print.
func withheldLabel(i int) string { return fmt.Sprintf("№ %d", i+1) }

// redactLocationLabels withholds the labels of a visit's locations (in their
// order) that did not pass the pre-approval check from a reader who sees
// only what passed it, and returns the withheld labels by location id.
func redactLocationLabels(tx *store.Tx, r *store.Reader, v *store.Visit, locs []store.Location) (map[string]string, error) {
	withheld := map[string]string{}
	s := r.Subject(schema.RecordLocation, v.Region, v.ID, "", "")
	for i := range locs {
		l := &locs[i]
		hide, err := uncheckedPrintable(tx, r, s, l.ID, "label", l.Label)
		if err != nil {
			return nil, err
		}
		if hide {
			withheld[l.ID] = l.Label
			l.Label = withheldLabel(i)
			l.Redacted = []string{"label"}
		}
	}
	return withheld, nil
}

// redactRecommendations withholds the texts, categories and addressees of a
// facility's recommendations that did not pass the pre-approval check from
// a reader who sees only what passed it.
func redactRecommendations(tx *store.Tx, r *store.Reader, f *store.Facility, recs []*store.Recommendation) error {
	for _, rec := range recs {
		s := r.Subject(schema.RecordRecommendation, f.Region, rec.VisitID, "", "")
		for _, fld := range []struct {
			name string
			text *string
		}{{"text", &rec.Text}, {"category", &rec.Category}, {"addressee", &rec.Addressee}} {
			hide, err := uncheckedPrintable(tx, r, s, rec.ID, fld.name, *fld.text)
			if err != nil {
				return err
			}
			if hide {
				*fld.text = ""
				rec.Redacted = append(rec.Redacted, fld.name)
			}
		}
	}
	return nil
}

// redactVisitDetail withholds reasons of the visit's status history the
// reader may not see, and labels that did not pass the pre-approval check
// from readers who see only what passed it.
func redactVisitDetail(tx *store.Tx, r *store.Reader, d *visitDetail) error {
	if _, err := redactLocationLabels(tx, r, d.Visit, d.Locations); err != nil {
		return err
	}
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
	return nil
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

// conflictVisible reports whether the reader may see both values of a
// conflict on field of the record s: a printable text is judged by what
// each value holds (schema.CheckedSubject; a flagged one is withheld from
// readers who see only what passed the pre-approval check, cleared or not).
func conflictVisible(r *store.Reader, s schema.Subject, c *store.VisitConflict) bool {
	if r.Field(s, c.Field) == schema.Visible {
		return true
	}
	for _, raw := range []json.RawMessage{c.WinnerValue, c.LoserValue} {
		var val any
		json.Unmarshal(raw, &val)
		if r.Field(schema.CheckedSubject(s, c.Field, val), c.Field) != schema.Visible {
			return false
		}
	}
	return true
}
