package report

import (
	"encoding/json"
	"slices"
	"testing"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
)

// findingsOf is the key findings of a visit under tmpl with one place whose
// answers are values.
func findingsOf(tmpl *schema.Template, values map[string]any) []string {
	lm := &LocationModel{ReportLocation: &store.ReportLocation{ID: "l1", Label: "Cell 1"}, Values: map[string]*review.ReportValue{}}
	for id, v := range values {
		lm.Values[id] = &review.ReportValue{Item: id, LocationID: "l1", Value: v, Source: review.ValueAgreed}
	}
	vm := &VisitModel{Template: tmpl, Values: map[string]*review.ReportValue{}, Locations: []*LocationModel{lm}}
	var out []string
	for _, g := range keyFindings("en", vm) {
		out = append(out, g.Texts...)
	}
	return out
}

// TestFindingsFollowTheChecklist: which answers are key findings is the
// checklist's to say. A stored built-in version (no declarations of its
// own) reads the built-in ones; the same items under another checklist id
// that declares nothing are no finding, and a sentence of the built-in
// wording is not borrowed by a question worded otherwise.
func TestFindingsFollowTheChecklist(t *testing.T) {
	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	def := ts[0]
	answers := map[string]any{"heating_working": false, "pests": "rodents", "damp_or_mould": false}
	got := findingsOf(def, answers)
	if want := []string{"Heating is absent or not working.", "Rodents were seen."}; !slices.Equal(got, want) {
		t.Errorf("built-in %s: findings %q; want %q", def.Ref(), got, want)
	}

	body, _ := json.Marshal(def)
	imported, err := schema.ParseTemplate("imported", []byte(replaceID(string(body), def.ID, "imported-npm")))
	if err != nil {
		t.Fatal(err)
	}
	if got := findingsOf(imported, answers); len(got) != 0 {
		t.Errorf("a checklist declaring nothing: findings %q; want none (its findings are not assessed)", got)
	}
	if imported.AssessesFindings() || !imported.HasFindingItems() {
		t.Error("a checklist declaring nothing must read as not assessed")
	}
}

func replaceID(body, from, to string) string {
	var m map[string]any
	_ = json.Unmarshal([]byte(body), &m)
	m["id"] = to
	out, _ := json.Marshal(m)
	return string(out)
}
