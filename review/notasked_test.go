package review_test

import (
	"testing"

	"inspecta/review"
	"inspecta/store"
	"inspecta/xlsform"
	"inspecta/xlsform/xlsformtest"
)

// TestNotAskedFeedsNoIndicator: an answer to a question whose condition
// fails on the place's consolidated answers is not applicable, and no
// indicator reads it: 6 m² for 2 persons would be red.
func TestNotAskedFeedsNoIndicator(t *testing.T) {
	w := xlsformtest.HandWritten()
	w.Set("survey", w.Row("survey", "area"), "relevant", "${cell_kind} != 'multiple'")
	data, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := xlsform.Import(data)
	if err != nil {
		t.Fatal(err)
	}
	in := &store.ConsolidationInput{VisitID: "v", Template: tmpl, Locations: []store.Location{{ID: "c1", Label: "Cell 1"}},
		Observations: []store.ObservationRow{
			obs("o1", "c1", "cell_kind", "a", "multiple", 1),
			obs("o2", "c1", "area", "a", 6.0, 2),
			obs("o3", "c1", "persons", "a", int64(2), 3),
		}}
	vc := review.Consolidate(in)
	if got := findItem(t, vc, "c1", "area"); got.Status != review.ItemNotApplicable || got.Value != nil || len(got.Values) != 1 {
		t.Errorf("area = %s %v with %d values; want not applicable, its value kept beside", got.Status, got.Value, len(got.Values))
	}
	for _, r := range vc.Locations[0].Indicators {
		if r.ID == "space_per_person" && r.Value != nil {
			t.Errorf("space_per_person = %v (%s) from an area not asked", *r.Value, r.Band)
		}
	}
	in.Observations[0].Value = nil
	vc = review.Consolidate(in)
	if got := findItem(t, vc, "c1", "area"); got.Status != review.ItemAgreed {
		t.Errorf("with cell_kind unanswered, area = %s; want agreed (asked while unanswered)", got.Status)
	}
}
