package xlsform_test

import (
	"errors"
	"slices"
	"testing"

	"bytes"

	"github.com/xuri/excelize/v2"

	"inspecta/schema"
	"inspecta/xlsform"
	"inspecta/xlsform/xlsformtest"
)

// problemsOf imports w and returns its problems (none when it imports).
func problemsOf(t *testing.T, w *xlsformtest.Workbook) []xlsform.Problem {
	t.Helper()
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	_, err = xlsform.Import(data)
	var xe *xlsform.Error
	if err != nil && !errors.As(err, &xe) {
		t.Fatalf("Import: %v is not a list of problems", err)
	}
	if xe == nil {
		return nil
	}
	return xe.Problems
}

// withColumn adds an empty column to a sheet of w.
func withColumn(w *xlsformtest.Workbook, sheet, header string) *xlsformtest.Workbook {
	w.Sheets[sheet][0] = append(w.Sheets[sheet][0], header)
	return w
}

// TestTemplateRulesHaveCodes: a rule of the template itself comes back with a
// code of its own and the values it names, at its cell, never as a generic
// "the question breaks a rule" with an English detail.
func TestTemplateRulesHaveCodes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(w *xlsformtest.Workbook)
		code   string
		args   []string
		cell   string
	}{
		{"inverted range", func(w *xlsformtest.Workbook) {
			w.Set("survey", w.Row("survey", "people_held"), "constraint", ". >= 10 and . <= 1")
		}, "range_inverted", []string{"10", "1"}, "constraint"},
		{"unknown unit", func(w *xlsformtest.Workbook) { w.Set("survey", w.Row("survey", "area"), "unit", "cm2") },
			"unit_unknown", []string{"cm2", "c, days, h, l_per_person_day, m, m2, min, per_week, percent, persons"}, "unit"},
		{"condition on an unknown option", func(w *xlsformtest.Workbook) {
			w.Set("survey", w.Row("survey", "registers_gap"), "relevant", "${registers_kept} = 'maybe'")
		}, "relevant_yesno_value", []string{"maybe"}, "relevant"},
		{"condition on an unknown choice option", func(w *xlsformtest.Workbook) {
			w.Set("survey", w.Row("survey", "last_disinfection"), "relevant", "selected(${problems}, 'mice')")
		}, "relevant_option_unknown", []string{"mice", "problems"}, "relevant"},
		{"condition on a later question", func(w *xlsformtest.Workbook) {
			w.Set("survey", w.Row("survey", "registers_gap"), "relevant", "${area} = 'no'")
		}, "relevant_item_later", []string{"area"}, "relevant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := xlsformtest.HandWritten()
			tc.change(w)
			probs := problemsOf(t, w)
			if len(probs) != 1 {
				t.Fatalf("problems = %+v; want one", probs)
			}
			p := probs[0]
			if p.Code != tc.code || !slices.Equal(p.Args, tc.args) || p.Column != tc.cell {
				t.Errorf("problem = %s %q at %s (%s); want %s %q in column %s", p.Code, p.Args, p.Cell, p.Column, tc.code, tc.args, tc.cell)
			}
			if !slices.Contains(xlsform.ProblemCodes, p.Code) {
				t.Errorf("code %s is not in ProblemCodes (the desk has no words for it)", p.Code)
			}
		})
	}
}

// TestIndicatorInputUnits: an input bound to a question of another unit or
// type is refused at the question's indicator cell: a swapped ratio (area
// as the denominator) or a temperature in percent would otherwise be judged.
func TestIndicatorInputUnits(t *testing.T) {
	swapped := xlsformtest.HandWritten()
	swapped.Set("survey", swapped.Row("survey", "area"), "indicator", "space_per_person.den")
	swapped.Set("survey", swapped.Row("survey", "persons"), "indicator", "space_per_person.num")
	probs := problemsOf(t, swapped)
	if len(probs) != 2 {
		t.Fatalf("swapped num and den: problems %+v; want two", probs)
	}
	for _, p := range probs {
		if p.Code != "indicator_input_unit" || p.Column != "indicator" || len(p.Args) != 4 {
			t.Errorf("swapped: %+v; want indicator_input_unit at the indicator cell with four values", p)
		}
	}
	if !slices.ContainsFunc(probs, func(p xlsform.Problem) bool {
		return slices.Equal(p.Args, []string{"area", "space_per_person.den", "m2", "persons"})
	}) {
		t.Errorf("swapped: %+v; want the area named as a denominator in m2 where persons are read", probs)
	}

	temp := func(typ, unit string) *xlsformtest.Workbook {
		w := xlsformtest.HandWritten()
		w.Insert("survey", 10, map[string]string{"type": typ, "name": "temp", "label::Русский (ru)": "Температура",
			"label::Қазақша (kk)": "Температура", "label::English": "Temperature", "unit": unit,
			"indicator": "lowest_temperature.value", "code": "C9", "constraint": ". >= -50 and . <= 150"})
		return w
	}
	for _, unit := range []string{"", "percent", "min", "persons"} {
		probs := problemsOf(t, temp("decimal", unit))
		if len(probs) != 1 || probs[0].Code != "indicator_input_unit" {
			t.Errorf("temperature in %q: %+v; want indicator_input_unit", unit, probs)
		}
	}
	if probs := problemsOf(t, temp("decimal", "c")); len(probs) != 0 {
		t.Errorf("temperature in °C: %+v; want it imported", probs)
	}
	persons := xlsformtest.HandWritten()
	persons.Set("survey", persons.Row("survey", "persons"), "type", "decimal")
	if probs := problemsOf(t, persons); len(probs) != 1 || probs[0].Code != "indicator_input_integer" {
		t.Errorf("persons as a decimal: %+v; want indicator_input_integer", probs)
	}
}

// TestJSONIndicatorInputUnits: the JSON path (the store's import check)
// refuses the same.
func TestJSONIndicatorInputUnits(t *testing.T) {
	w := xlsformtest.HandWritten()
	tmpl := mustImport(t, w)
	ind, _ := tmpl.Indicator("space_per_person")
	swapped := ind.WithInputs(map[string]string{schema.InputNum: "persons", schema.InputDen: "area"})
	bad := *tmpl
	bad.Indicators = []schema.Indicator{swapped}
	errs := schema.CheckBuiltinIndicators(&bad)
	if len(errs) != 2 {
		t.Fatalf("CheckBuiltinIndicators(swapped) = %v; want two problems", errs)
	}
	var r *schema.RuleError
	if !errors.As(errs[0], &r) || r.Code != "indicator_input_unit" {
		t.Errorf("%v; want indicator_input_unit", errs[0])
	}
	if errs := schema.CheckBuiltinIndicators(tmpl); len(errs) != 0 {
		t.Errorf("the hand-written checklist: %v", errs)
	}
}

// TestAdverseColumn: the adverse column declares which answers are findings;
// a wrong one is refused with its code; the export of a built-in checklist
// writes its known declarations and imports back into the same checklist.
func TestAdverseColumn(t *testing.T) {
	w := withColumn(xlsformtest.HandWritten(), "survey", "adverse")
	w.Set("survey", w.Row("survey", "registers_kept"), "adverse", "no")
	w.Set("survey", w.Row("survey", "problems"), "adverse", "damp pests")
	tmpl := mustImport(t, w)
	kept, _ := tmpl.Item("registers_kept")
	problems, _ := tmpl.Item("problems")
	if !slices.Equal(kept.Adverse, []string{"no"}) || !slices.Equal(problems.Adverse, []string{"damp", "pests"}) {
		t.Errorf("adverse read as %q and %q", kept.Adverse, problems.Adverse)
	}
	if !tmpl.IsAdverse(kept, false) || tmpl.IsAdverse(kept, true) || !tmpl.IsAdverse(problems, []string{"no_light", "pests"}) {
		t.Error("the declarations do not judge the answers")
	}
	back := mustImport(t, w) // and the export writes them back
	data, err := xlsform.Export(back)
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	again, err := xlsform.Import(data)
	if err != nil {
		t.Fatal(err)
	}
	if it, _ := again.Item("problems"); !slices.Equal(it.Adverse, []string{"damp", "pests"}) {
		t.Errorf("exported and imported again: %q", it.Adverse)
	}

	bad := withColumn(xlsformtest.HandWritten(), "survey", "adverse")
	bad.Set("survey", bad.Row("survey", "registers_kept"), "adverse", "maybe")
	bad.Set("survey", bad.Row("survey", "cell_kind"), "adverse", "cellar")
	bad.Set("survey", bad.Row("survey", "people_held"), "adverse", "yes")
	var codes []string
	for _, p := range problemsOf(t, bad) {
		codes = append(codes, p.Code+"@"+p.Column)
	}
	slices.Sort(codes)
	if want := []string{"adverse_not_taken@adverse", "adverse_option_unknown@adverse", "adverse_yesno@adverse"}; !slices.Equal(codes, want) {
		t.Errorf("problems %q; want %q", codes, want)
	}

	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	def := ts[0]
	data, err = xlsform.Export(def)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := xlsform.Import(renameForm(t, data, "my-npm"))
	if err != nil {
		t.Fatal(err)
	}
	heating, _ := mine.Item("heating_working")
	if !slices.Equal(heating.Adverse, []string{"no"}) {
		t.Errorf("a checklist made from the default's workbook: heating_working adverse %q; want [no]", heating.Adverse)
	}
}

// renameForm sets a workbook's form_id.
func renameForm(t *testing.T, data []byte, id string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("settings")
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "form_id")
	cell, _ := excelize.CoordinatesToCellName(col+1, 2)
	if err := f.SetCellValue("settings", cell, id); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
