package sync_test

import (
	"testing"

	"inspecta/schema"
	isync "inspecta/sync"
)

// TestRequiredFieldsCannotBeEmptied: a change that would leave an existing
// facility without a name, or a recommendation without its text, is refused
// on that field, and the record keeps what it had; other changes of it pass.
func TestRequiredFieldsCannotBeEmptied(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	facilityID := env.facility(coord, "Colony LA 155/14")
	recID := newID()
	env.serverOp(coord, isync.Op{Type: "recommendation", ID: recID, Action: "upsert",
		Fields: fields(map[string]any{"facility_id": facilityID, "text": "Partition the toilets in every cell"})})

	for _, tc := range []struct {
		typ, id, field string
		fields         map[string]any
	}{
		{"facility", facilityID, "name", map[string]any{"name": ""}},
		{"facility", facilityID, "name", map[string]any{"name": nil, "name_ru": "Колония"}},
		{"recommendation", recID, "text", map[string]any{"text": ""}},
	} {
		res := env.apply(coord, isync.Op{Type: schema.RecordType(tc.typ), ID: tc.id, Action: "upsert", Fields: fields(tc.fields)})
		if res.Status != isync.StatusRejected || res.Error == nil || res.Error.Field != "fields."+tc.field {
			t.Errorf("%s %v = %s %+v; want rejected on fields.%s", tc.typ, tc.fields, res.Status, res.Error, tc.field)
		}
	}
	if name := env.record("facility", facilityID).Fields["name"]; name != "Colony LA 155/14" {
		t.Errorf("facility name = %q after the refused changes", name)
	}
	if text := env.record("recommendation", recID).Fields["text"]; text != "Partition the toilets in every cell" {
		t.Errorf("recommendation text = %q after the refused change", text)
	}
	if res := env.apply(coord, isync.Op{Type: "facility", ID: facilityID, Action: "upsert", Fields: fields(map[string]any{"name": "Colony LA 155/15"})}); res.Status != isync.StatusApplied {
		t.Errorf("renaming the facility = %s %+v; want applied", res.Status, res.Error)
	}
}

// TestNewRecordWithoutItsFieldsIsRefusedNotWaited: an upsert to a record not
// on the server that gives some of the fields a new one must have but not
// all was answered missing_parent: not remembered, sent again for 30 days in
// vain. Nothing can make it whole, so it is refused naming the missing field
// (invalid), unless it is a change to a record whose creation is still to
// come: the device had the record (a base above 0), or the creation was
// refused waiting for its visit (quarantined; in the same push or an earlier
// one). An operation giving none of those fields (a label alone) is such a
// change: it waits; one of no field at all is refused naming fields. Those
// that wait go in once the parents arrive. A new
// obstruction lacking its target is refused naming target, and neither its
// kind nor its target is emptied later.
func TestNewRecordWithoutItsFieldsIsRefusedNotWaited(t *testing.T) {
	s := setupTwoRegions(t)
	c := s.karMember
	current := s.env.count("SELECT max(seq) FROM record_index")
	noVisit := op("observation", newID(), map[string]any{"location_id": s.cellID, "item": "cell_area_m2", "value": 10})
	noItem := op("observation", newID(), map[string]any{"visit_id": s.visitID, "location_id": s.cellID, "value": 10})
	seenNote := op("confidential_note", newID(), map[string]any{"text": "More on this"})
	seenNote.Base = map[string]int64{"text": int64(current)}
	labelOnly := op("location", newID(), map[string]any{"label": "Cell 9"})
	noTarget := op("obstruction", newID(), map[string]any{"visit_id": s.visitID, "kind": "refused"})
	noKind := op("obstruction", newID(), map[string]any{"visit_id": s.visitID, "target": "documents"})
	noFields := op("location", newID(), nil)
	noFields.Fields = nil
	laterVisit, laterNote := newID(), newID()
	noteInLaterVisit := op("confidential_note", laterNote, map[string]any{"visit_id": laterVisit, "text": "Told of a beating"})
	editIt := op("confidential_note", laterNote, map[string]any{"text": "Told of a beating on 12 November"})
	cases := []struct {
		name      string
		op        isync.Op
		code      isync.ErrorCode
		field     string
		resentDup bool // sent again, answered duplicate (remembered)
	}{
		{"a new observation without visit_id", noVisit, isync.CodeInvalid, "fields.visit_id", true},
		{"a new observation without item", noItem, isync.CodeInvalid, "fields.item", true},
		{"a change to a note the device had (base above 0)", seenNote, isync.CodeMissingParent, "fields.visit_id", false},
		{"a change giving no field a new place needs", labelOnly, isync.CodeMissingParent, "fields.visit_id", false},
		{"an upsert of no field to an unknown place", noFields, isync.CodeInvalid, "fields", true},
		{"a new obstruction without target", noTarget, isync.CodeInvalid, "fields.target", true},
		{"a new obstruction without kind", noKind, isync.CodeInvalid, "fields.kind", true},
		{"a new note in a visit not yet sent", noteInLaterVisit, isync.CodeMissingParent, "fields.visit_id", false},
		{"a change to that note in the same push", editIt, isync.CodeMissingParent, "fields.visit_id", false},
	}
	ops := make([]any, len(cases))
	for i, tc := range cases {
		ops[i] = tc.op
	}
	first, again := pushOps(t, c, ops...), pushOps(t, c, ops...)
	for i, tc := range cases {
		r := first.Results[i]
		if r.Status != isync.StatusRejected || r.Error == nil || r.Error.Code != tc.code || r.Error.Field != tc.field {
			t.Errorf("%s: %s %+v; want rejected %s at %s", tc.name, r.Status, r.Error, tc.code, tc.field)
		}
		if a := again.Results[i]; (a.Status == isync.StatusDuplicate) != tc.resentDup {
			t.Errorf("%s sent again: %s %+v; remembered under its op_id: %v", tc.name, a.Status, a.Error, tc.resentDup)
		}
	}
	// A further change to the waiting note, in a push of its own (a batch
	// boundary), waits too: the user's refused creation of it is quarantined.
	editAgain := op("confidential_note", laterNote, map[string]any{"text": "Told of a beating on 12 November, by two guards"})
	if r := pushOps(t, c, editAgain).Results[0]; r.Status != isync.StatusRejected || r.Error == nil || r.Error.Code != isync.CodeMissingParent {
		t.Errorf("a change to the waiting note in a later push: %s %+v; want missing_parent", r.Status, r.Error)
	}
	// The visit arrives: the waiting note and its changes go in.
	visit := op("visit", laterVisit, map[string]any{"facility_id": s.facilityID, "kind": "regular"})
	res := pushOps(t, c, visit, noteInLaterVisit, editIt, editAgain)
	for i, r := range res.Results {
		if r.Status != isync.StatusApplied {
			t.Errorf("after the visit arrived, op %d: %s %+v; want applied", i, r.Status, r.Error)
		}
	}
	if text := s.env.record("confidential_note", laterNote).Fields["text"]; text != "Told of a beating on 12 November, by two guards" {
		t.Errorf("the note's text = %q; want the last change, which waited", text)
	}
	// An obstruction's kind and target are not emptied later.
	obs := newID()
	made := op("obstruction", obs, map[string]any{"visit_id": s.visitID, "kind": "delayed", "target": "area"})
	emptied := op("obstruction", obs, map[string]any{"target": ""})
	if r := pushOps(t, c, made, emptied).Results; r[0].Status != isync.StatusApplied || r[1].Status != isync.StatusRejected ||
		r[1].Error == nil || r[1].Error.Field != "fields.target" {
		t.Errorf("an obstruction, then its target emptied: %+v; want applied, then refused at fields.target", r)
	}
}
