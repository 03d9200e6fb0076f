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
