package schema

import (
	"encoding/json"
	"testing"
)

// The built-in declarations name every built-in checklist at its embedded
// version, and fit every item of that id in every built-in checklist: a
// declaration that fitted none would be dropped in silence.
func TestBuiltinFindingsFitTheBuiltInChecklists(t *testing.T) {
	f, err := loadBuiltinFindings()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, tmpl := range ts {
		if last, ok := f.Checklists[tmpl.ID]; !ok || last < tmpl.Version {
			t.Errorf("%s: the built-in findings hold up to version %d; name its version %d (or declare adverse in the checklist itself)", tmpl.Ref(), last, tmpl.Version)
		}
		if !tmpl.AssessesFindings() {
			t.Errorf("%s assesses no finding", tmpl.Ref())
		}
		for i := range tmpl.Items {
			it := &tmpl.Items[i]
			known, ok := f.Adverse[it.ID]
			if !ok {
				continue
			}
			used[it.ID] = true
			if got := tmpl.AdverseAnswers(it); len(got) != len(known) {
				t.Errorf("%s item %s: adverse %v; the declaration %v does not fit it", tmpl.Ref(), it.ID, got, known)
			}
		}
	}
	for id := range f.Adverse {
		if !used[id] {
			t.Errorf("the built-in findings declare %s, an item of no built-in checklist", id)
		}
	}
}

// A checklist's own declarations win; an imported one that declares none
// assesses nothing, whatever its item ids; a later version of a built-in
// checklist does not inherit the stored versions' declarations.
func TestAdverseAnswers(t *testing.T) {
	ts, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	def := ts[0]
	heating, _ := def.Item("heating_working")
	if !def.IsAdverse(heating, false) || def.IsAdverse(heating, true) {
		t.Errorf("heating_working: no heating must be adverse, heating not")
	}
	body, _ := json.Marshal(def)
	var copyOf Template
	if err := json.Unmarshal(body, &copyOf); err != nil {
		t.Fatal(err)
	}
	other := copyOf
	other.ID = "my-checklist"
	if other.AssessesFindings() || other.IsAdverse(heating, false) {
		t.Error("an imported checklist declaring nothing assesses findings by item id")
	}
	later := copyOf
	later.Version = def.Version + 1
	if later.AssessesFindings() {
		t.Error("a later version of a built-in checklist inherits the known declarations")
	}
	own := copyOf
	own.ID = "my-checklist"
	own.Items = append([]Item(nil), copyOf.Items...)
	for i := range own.Items {
		if own.Items[i].ID == "heating_working" {
			own.Items[i].Adverse = []string{"yes"}
			if !own.IsAdverse(&own.Items[i], true) || own.IsAdverse(&own.Items[i], false) {
				t.Error("the item's own declaration does not win")
			}
		}
	}
	if !own.AssessesFindings() {
		t.Error("a checklist declaring one adverse answer assesses findings")
	}
}

func TestAdverseValidated(t *testing.T) {
	for _, tc := range []struct {
		item Item
		code string
	}{
		{Item{Type: TypeYesNo, Adverse: []string{"maybe"}}, "adverse_yesno"},
		{Item{Type: TypeYesNo, Adverse: []string{"yes", "no"}}, "adverse_yesno_both"},
		{Item{Type: TypeChoice, Options: []Option{{ID: "a"}, {ID: "b"}}, Adverse: []string{"c"}}, "adverse_option_unknown"},
		{Item{Type: TypeChoice, Options: []Option{{ID: "a"}, {ID: "b"}}, Adverse: []string{"a", "a"}}, "adverse_twice"},
		{Item{Type: TypeText, Adverse: []string{"yes"}}, "adverse_not_taken"},
	} {
		errs := tc.item.validateAdverse()
		if len(errs) == 0 || errs[0].Code != tc.code {
			t.Errorf("%+v: %v; want %s", tc.item, errs, tc.code)
		}
	}
	ok := Item{Type: TypeMulti, Options: []Option{{ID: "a"}, {ID: "b"}}, Adverse: []string{"b"}}
	if errs := ok.validateAdverse(); len(errs) != 0 {
		t.Errorf("a multichoice option declared adverse: %v", errs)
	}
}
