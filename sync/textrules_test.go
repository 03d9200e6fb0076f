package sync_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/store"
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

// TestBrokenCharacterRefusedInEveryText: a lone UTF-16 surrogate escape
// ("\ud83d", what JSON.stringify writes for a text cut in the middle of an
// emoji) decodes to U+FFFD. Stored, it showed teammates '�' while the
// author, answered applied and never echoed, kept the emoji. Every text
// field of every record type (taken from the store's columns, so a new one
// is covered) and every text answer refuses it, as a pushed operation,
// naming the field; so does U+FFFD sent as such. A whole surrogate pair is
// an emoji and is kept.
func TestBrokenCharacterRefusedInEveryText(t *testing.T) {
	s := setupTwoRegions(t)
	type bad struct {
		name   string
		op     isync.Op
		field  string
		broken string
	}
	var cases []bad
	for _, typ := range slices.Sorted(maps.Keys(store.RecordTypes)) {
		for _, col := range store.RecordTypes[typ].Columns {
			if col.Kind != store.KindText || col.ServerSet {
				continue
			}
			for _, broken := range []string{`"Cut emoji \ud83d"`, `"Cut \udc00 low half"`, "\"Replacement \uFFFD as such\""} {
				o := op(typ, newID(), nil)
				o.Fields = map[string]json.RawMessage{col.Name: json.RawMessage(broken)}
				cases = append(cases, bad{string(typ) + "." + col.Name, o, "fields." + col.Name, broken})
			}
		}
	}
	for _, typ := range []schema.RecordType{"observation", "consolidation"} {
		o := op(typ, newID(), map[string]any{"visit_id": s.visitID, "location_id": s.cellID, "item": "disability_assistance_notes"})
		o.Fields["value"] = json.RawMessage(`"Cut emoji \ud83d"`)
		cases = append(cases, bad{string(typ) + ".value (a text answer)", o, "fields.value", `\ud83d`})
	}
	ops := make([]any, len(cases))
	for i, c := range cases {
		ops[i] = c.op
	}
	res := pushOps(t, s.karCoord, ops...)
	for i, c := range cases {
		r := res.Results[i]
		if r.Status != isync.StatusRejected || r.Error == nil || r.Error.Code != isync.CodeInvalid || r.Error.Field != c.field ||
			!strings.Contains(r.Error.Message, "broken character") {
			t.Errorf("%s = %s: %s %+v; want rejected invalid at %s saying it holds a broken character", c.name, c.broken, r.Status, r.Error, c.field)
		}
	}
	whole := newID()
	o := op("location", whole, map[string]any{"visit_id": s.visitID, "kind": "yard"})
	o.Fields["label"] = json.RawMessage(`"Whole emoji \ud83d\ude00"`)
	if r := pushOps(t, s.karCoord, o).Results[0]; r.Status != isync.StatusApplied {
		t.Fatalf("a whole surrogate pair: %s %+v; want applied", r.Status, r.Error)
	}
	var label string
	if err := s.env.db.Read(context.Background(), func(tx *store.Tx) error {
		rec, err := tx.LoadRecord("location", whole)
		label, _ = rec.Fields["label"].(string)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if label != "Whole emoji 😀" {
		t.Errorf("label stored as %q; want the emoji kept", label)
	}
}
