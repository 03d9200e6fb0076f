package sync_test

import (
	"strings"
	"testing"

	"inspecta/schema"
	isync "inspecta/sync"
)

// TestTextsMustShowSomething: a facility's name or a recommendation's text
// of spaces, no-break spaces or invisible characters alone is refused as
// such (it printed as a blank name in every report), and no text field takes
// a control character such as NUL, which cuts a name short in a PDF or a
// CSV. Visible text with a no-break space, a tab or a line break is kept.
func TestTextsMustShowSomething(t *testing.T) {
	e := newEnv(t)
	coord := e.addUser("coord", "coordinator", "KZ-KAR")
	fac := e.facility(coord, "IVS demo")
	for _, c := range []struct {
		typ    string
		fields map[string]any
		field  string
		want   string // "" when applied
	}{
		{"facility", map[string]any{"name": "   ", "region": "KZ-KAR"}, "fields.name", "no visible character"},
		{"facility", map[string]any{"name": "\u200b\u00ad\u2060", "region": "KZ-KAR"}, "fields.name", "no visible character"},
		{"facility", map[string]any{"name": "\u00a0\u3000", "region": "KZ-KAR"}, "fields.name", "no visible character"},
		{"facility", map[string]any{"name": "X\u0000Y", "region": "KZ-KAR"}, "fields.name", "control character (U+0000)"},
		{"facility", map[string]any{"name": "ИВС\u00a0№\u00a02", "region": "KZ-KAR"}, "", ""},
		{"recommendation", map[string]any{"facility_id": fac, "text": " \t\n "}, "fields.text", "no visible character"},
		{"recommendation", map[string]any{"facility_id": fac, "text": "Provide\tbedding\r\nfor all"}, "", ""},
	} {
		res := e.apply(coord, isync.Op{OpID: newID(), Type: schema.RecordType(c.typ), ID: newID(), Action: "upsert",
			HLC: "2026-11-26T09:00:00.000Z/0000/test", Fields: fields(c.fields)})
		if c.want == "" {
			if res.Status != isync.StatusApplied {
				t.Errorf("%s %q: %s %+v; want applied", c.typ, c.fields, res.Status, res.Error)
			}
			continue
		}
		if res.Status != isync.StatusRejected || res.Error == nil || res.Error.Code != isync.CodeInvalid ||
			res.Error.Field != c.field || !strings.Contains(res.Error.Message, c.want) {
			t.Errorf("%s %q: %s %+v; want refused invalid at %s saying %q", c.typ, c.fields, res.Status, res.Error, c.field, c.want)
		}
	}
}

// TestOpIDInOneFormOnly: an op_id is idempotent by its text, so the same
// UUID in capitals (or braces, or without dashes) was applied a second time
// as a new operation. Only the lower-case form of 36 characters is taken.
func TestOpIDInOneFormOnly(t *testing.T) {
	e := newEnv(t)
	coord := e.addUser("coord", "coordinator", "KZ-KAR")
	opID := newID()
	fac := newID()
	op := isync.Op{OpID: opID, Type: "facility", ID: fac, Action: "upsert", HLC: "2026-11-26T09:00:00.000Z/0000/test",
		Fields: fields(map[string]any{"name": "IVS demo", "region": "KZ-KAR"})}
	e.serverOp(coord, op)
	for _, other := range []string{strings.ToUpper(opID), "{" + opID + "}", strings.ReplaceAll(opID, "-", "")} {
		op.OpID = other
		res := e.apply(coord, op)
		if res.Status != isync.StatusRejected || res.Error == nil || res.Error.Field != "op_id" {
			t.Errorf("op_id %q, the same UUID as one applied: %s %+v; want refused at op_id", other, res.Status, res.Error)
		}
	}
	if n := e.count("SELECT count(*) FROM ops WHERE status = 'applied'"); n != 1 {
		t.Errorf("%d applied operations; want the first one only", n)
	}
}
