package xlsform_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/xlsform"
	"inspecta/xlsform/xlsformtest"
)

func mustImport(t *testing.T, w *xlsformtest.Workbook) *schema.Template {
	t.Helper()
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := xlsform.Import(data)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return tmpl
}

func TestImportHandWritten(t *testing.T) {
	tmpl := mustImport(t, xlsformtest.HandWritten())
	if tmpl.Ref() != "police-cell-quick@1" || tmpl.Title["kk"] != "УҰИ жылдам тексеру" {
		t.Fatalf("settings read as %s %v", tmpl.Ref(), tmpl.Title)
	}
	if len(tmpl.Sections) != 2 || len(tmpl.Items) != 10 {
		t.Fatalf("%d sections, %d items; want 2 and 10", len(tmpl.Sections), len(tmpl.Items))
	}
	want := map[string]string{"people_held": "integer", "registers_kept": "yesno", "registers_gap": "text",
		"cell_kind": "choice", "area": "number", "problems": "multichoice", "last_disinfection": "date",
		"light_note": "note", "lights_out": "time"}
	for id, typ := range want {
		it, ok := tmpl.Item(id)
		if !ok || it.Type != typ {
			t.Errorf("item %s: %+v; want type %s", id, it, typ)
		}
	}
	people, _ := tmpl.Item("people_held")
	if !people.Required || *people.Min != 0 || *people.Max != 500 || people.Scope != "visit" || people.Code != "G1" || people.Help["kk"] != "Есеп журналы бойынша" {
		t.Errorf("people_held = %+v", people)
	}
	area, _ := tmpl.Item("area")
	if area.Scope != "location" || *area.Max != 200 || *area.Tolerance != 0 || area.Label["en"] != "Cell area, m²" {
		t.Errorf("area = %+v", area)
	}
	gap, _ := tmpl.Item("registers_gap")
	if gap.MaxLength != 500 || gap.Relevant == nil || gap.Relevant.Item != "registers_kept" || gap.Relevant.In[0] != "no" {
		t.Errorf("registers_gap = %+v (relevant %+v)", gap, gap.Relevant)
	}
	if gap.IsRelevant(map[string]any{"registers_kept": true}) || !gap.IsRelevant(map[string]any{"registers_kept": false}) {
		t.Error("registers_gap relevance does not follow registers_kept")
	}
	dis, _ := tmpl.Item("last_disinfection")
	if !dis.IsRelevant(map[string]any{"problems": []string{"damp", "pests"}}) || dis.IsRelevant(map[string]any{"problems": []string{"damp"}}) {
		t.Errorf("last_disinfection relevance %+v", dis.Relevant)
	}
	if len(tmpl.Indicators) != 1 || tmpl.Indicators[0].ID != "space_per_person" ||
		tmpl.Indicators[0].Formula.Num != "area" || tmpl.Indicators[0].Formula.Den != "persons" || tmpl.Indicators[0].When.Item != "cell_kind" {
		t.Fatalf("indicators = %+v", tmpl.Indicators)
	}
	res := tmpl.Indicators[0].Evaluate(map[string]any{"area": 6.0, "persons": int64(2), "cell_kind": "multiple"})
	if !res.Applicable || res.Band != schema.BandRed {
		t.Errorf("3 m² per person in a shared cell = %+v; want red", res)
	}
	// The imported checklist exports and imports back the same.
	data, err := xlsform.Export(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xlsform.Import(data); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenSpreadsheetsRefusedAtTheirPlace: each broken workbook is refused
// with a problem naming the sheet, the row and the column where it is.
func TestBrokenSpreadsheetsRefusedAtTheirPlace(t *testing.T) {
	base := xlsformtest.HandWritten()
	area := base.Row("survey", "area")
	persons := base.Row("survey", "persons")
	cases := []struct {
		name   string
		edit   func(w *xlsformtest.Workbook)
		sheet  string
		row    int
		column string
		says   string
	}{
		{"missing survey sheet", func(w *xlsformtest.Workbook) { w.Rename("survey", "questions") }, "survey", 0, "", "no survey sheet"},
		{"missing settings sheet", func(w *xlsformtest.Workbook) { w.Remove("settings") }, "settings", 0, "", "no settings sheet"},
		{"unknown type", func(w *xlsformtest.Workbook) { w.Set("survey", area, "type", "geopoint") }, "survey", area, "type", `"geopoint"`},
		{"bad constraint", func(w *xlsformtest.Workbook) { w.Set("survey", area, "constraint", ". > 0") }, "survey", area, "constraint", "only a range"},
		{"duplicate name", func(w *xlsformtest.Workbook) { w.Set("survey", persons, "name", "area") }, "survey", persons, "name", `"area" is also used in row`},
		{"choice list missing", func(w *xlsformtest.Workbook) {
			w.Set("survey", w.Row("survey", "problems"), "type", "select_multiple troubles")
		}, "survey", base.Row("survey", "problems"), "type", `list "troubles" is not in the choices sheet`},
		{"label missing in one language", func(w *xlsformtest.Workbook) { w.Set("survey", persons, "label::Қазақша (kk)", "") },
			"survey", persons, "label::Қазақша (kk)", "label missing in kk"},
		{"choice label missing in one language", func(w *xlsformtest.Workbook) { w.Set("choices", 5, "label::English", "") },
			"choices", 5, "label::English", "label missing in en"},
		{"relevance beyond a simple condition", func(w *xlsformtest.Workbook) { w.Set("survey", persons, "relevant", "${area} > 3") },
			"survey", persons, "relevant", "not a condition Inspecta can read"},
		{"indicator input of the wrong type", func(w *xlsformtest.Workbook) {
			w.Set("survey", w.Row("survey", "registers_gap"), "indicator", "space_per_person.num")
			w.Set("survey", area, "indicator", "")
		}, "survey", base.Row("survey", "registers_gap"), "indicator", "not a number"},
		{"nested group", func(w *xlsformtest.Workbook) { w.Set("survey", base.Row("survey", "cells")-1, "type", "") },
			"survey", base.Row("survey", "cells"), "type", "do not nest"},
		{"unsupported column filled", func(w *xlsformtest.Workbook) {
			w.Sheets["survey"][0] = append(w.Sheets["survey"][0], "appearance")
			w.Set("survey", area, "appearance", "numbers")
		}, "survey", area, "appearance", "appearances are not supported"},
		{"choice name not an id", func(w *xlsformtest.Workbook) { w.Set("choices", 7, "name", "Damp walls") },
			"choices", 7, "name", "snake_case"},
		{"language outside ru, kk, en", func(w *xlsformtest.Workbook) {
			w.Sheets["survey"][0] = append(w.Sheets["survey"][0], "label::Arabic (ar)")
		}, "survey", 1, "label::Arabic (ar)", "not one of en, ru, kk"},
		{"version not a number", func(w *xlsformtest.Workbook) { w.Set("settings", 2, "version", "2024-05") }, "settings", 2, "version", "whole number"},
		{"unknown facility type", func(w *xlsformtest.Workbook) {
			w.Sheets["settings"][0] = append(w.Sheets["settings"][0], "facility_types")
			w.Set("settings", 2, "facility_types", "ivs prison")
		}, "settings", 2, "facility_types", `"prison" is not one of`},
		{"unknown kind of place", func(w *xlsformtest.Workbook) {
			w.Sheets["settings"][0] = append(w.Sheets["settings"][0], "location_kinds")
			w.Set("settings", 2, "location_kinds", "police_cell courtyard")
		}, "settings", 2, "location_kinds", `"courtyard" is not one of`},
		{"indicator judging a kind of place no phone offers", func(w *xlsformtest.Workbook) {
			w.Set("survey", area, "indicator", "space_per_person_police.num")
			w.Set("survey", persons, "indicator", "space_per_person_police.den")
			w.Set("survey", w.Row("survey", "cell_kind"), "indicator", "")
		}, "survey", area, "indicator", "names no kind the template offers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := base.Clone()
			c.edit(w)
			data, err := w.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			tmpl, err := xlsform.Import(data)
			var xe *xlsform.Error
			if !errors.As(err, &xe) {
				t.Fatalf("Import = %v, %v; want refused with *xlsform.Error", tmpl, err)
			}
			for _, p := range xe.Problems {
				if !slices.Contains(xlsform.ProblemCodes, p.Code) {
					t.Errorf("problem %s has code %q, not one of ProblemCodes: the desk could not say it", p, p.Code)
				}
			}
			for _, p := range xe.Problems {
				if p.Sheet == c.sheet && p.Row == c.row && p.Column == c.column && strings.Contains(p.Message, c.says) {
					t.Logf("refused: %s", p)
					return
				}
			}
			t.Fatalf("no problem at %s row %d column %q saying %q; got:\n%v", c.sheet, c.row, c.column, c.says, err)
		})
	}
}

// A free-text question of an imported form may hold a detainee's name: it is
// personal (withheld from reports until a coordinator clears it) unless the
// form says personal "no" in so many words, which survives an export and
// import back.
func TestImportedTextIsPersonalUnlessSaidOtherwise(t *testing.T) {
	gap := func(tmpl *schema.Template) *schema.Item {
		it, ok := tmpl.Item("registers_gap")
		if !ok {
			t.Fatal("no item registers_gap")
		}
		return it
	}
	if it := gap(mustImport(t, xlsformtest.HandWritten())); !it.Personal {
		t.Error("a text question with no personal column was imported as not personal")
	}
	w := xlsformtest.HandWritten()
	w.Sheets["survey"][0] = append(w.Sheets["survey"][0], "personal")
	row := w.Row("survey", "registers_gap")
	w.Set("survey", row, "personal", "no")
	said := mustImport(t, w)
	if gap(said).Personal {
		t.Fatal(`a text question with personal "no" was imported as personal`)
	}
	data, err := xlsform.Export(said)
	if err != nil {
		t.Fatal(err)
	}
	back, err := xlsform.Import(data)
	if err != nil {
		t.Fatal(err)
	}
	if gap(back).Personal {
		t.Error(`personal "no" was lost in an export and import back`)
	}
	for _, it := range back.Items {
		if it.Type != schema.TypeText && it.Personal {
			t.Errorf("item %s (%s) is personal; only text items are", it.ID, it.Type)
		}
	}
}
