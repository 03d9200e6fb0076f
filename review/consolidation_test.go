package review_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
)

func defaultTemplate(t *testing.T) *schema.Template {
	t.Helper()
	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	return ts[0]
}

func obs(id, loc, item, author string, value any, seq int64) store.ObservationRow {
	return store.ObservationRow{ID: id, LocationID: loc, Item: item, AuthorID: author, AuthorName: author, Value: value, Seq: seq}
}

func findItem(t *testing.T, vc *review.VisitConsolidation, loc, item string) review.ConsolidatedItem {
	t.Helper()
	scopes := append([]review.ScopeConsolidation{vc.Visit}, vc.Locations...)
	for _, s := range scopes {
		if s.LocationID != loc {
			continue
		}
		for _, it := range s.Items {
			if it.Item == item {
				return it
			}
		}
	}
	t.Fatalf("no item %s in %q", item, loc)
	return review.ConsolidatedItem{}
}

func TestConsolidateAgreement(t *testing.T) {
	tmpl := defaultTemplate(t)
	tests := []struct {
		item       string
		values     []any // one per member; nil means answered without a value
		wantStatus string
		wantValue  any
	}{
		{"cell_area_m2", []any{11.5, 14.0}, review.ItemToResolve, nil},
		{"cell_area_m2", []any{11.5, 11.8}, review.ItemAgreed, 11.65},
		{"cell_area_m2", []any{11.5, 12.0, 11.75}, review.ItemAgreed, 11.75},
		{"cell_area_m2", []any{11.5, nil}, review.ItemAgreed, 11.5}, // one answer stands alone
		{"cell_area_m2", []any{nil}, review.ItemUnanswered, nil},
		{"cell_area_m2", nil, review.ItemUnanswered, nil},
		{"persons_present", []any{4.0, 4.0}, review.ItemAgreed, 4.0},
		{"persons_present", []any{4.0, 5.0}, review.ItemToResolve, nil},
		{"air_temperature_c", []any{16.0, 17.0}, review.ItemAgreed, 16.5},
		{"air_temperature_c", []any{16.0, 17.1}, review.ItemToResolve, nil},
		{"heating_working", []any{false, false}, review.ItemAgreed, false},
		{"heating_working", []any{false, true}, review.ItemToResolve, nil},
		{"location_type", []any{"multiple", "single"}, review.ItemToResolve, nil},
		{"disability_assistance_notes", []any{"Needs  a ramp", "needs a ramp"}, review.ItemAgreed, "Needs  a ramp"},
		{"disability_assistance_notes", []any{"ramp", "no ramp"}, review.ItemToResolve, nil},
	}
	for _, tt := range tests {
		in := &store.ConsolidationInput{VisitID: "v", Template: tmpl, Locations: []store.Location{{ID: "c1", Label: "Cell 1"}}}
		for i, v := range tt.values {
			in.Observations = append(in.Observations, obs(fmt.Sprint("o", i), "c1", tt.item, fmt.Sprint("m", i), v, 1))
		}
		vc := review.Consolidate(in)
		got := findItem(t, vc, "c1", tt.item)
		if got.Status != tt.wantStatus || fmt.Sprint(got.Value) != fmt.Sprint(tt.wantValue) {
			t.Errorf("Consolidate(%s %v) = %s %v; want %s %v", tt.item, tt.values, got.Status, got.Value, tt.wantStatus, tt.wantValue)
		}
		if queued := len(vc.ToResolve) == 1; queued != (tt.wantStatus == review.ItemToResolve) {
			t.Errorf("Consolidate(%s %v) queue = %v; want queued %v", tt.item, tt.values, vc.ToResolve, tt.wantStatus == review.ItemToResolve)
		}
	}
}

func TestConsolidateDecisionsConflictsAndIndicators(t *testing.T) {
	tmpl := defaultTemplate(t)
	in := &store.ConsolidationInput{VisitID: "v", Template: tmpl,
		Locations: []store.Location{{ID: "c1", Label: "Cell 1"}, {ID: "c2", Label: "Cell 2"}}}
	for _, m := range []string{"aida", "bolat"} {
		in.Observations = append(in.Observations,
			obs("t1"+m, "c1", "location_type", m, "multiple", 1), obs("p1"+m, "c1", "persons_present", m, 4.0, 1),
			obs("t2"+m, "c2", "location_type", m, "multiple", 1), obs("p2"+m, "c2", "persons_present", m, 2.0, 1),
			obs("a2"+m, "c2", "cell_area_m2", m, 10.0, 1),
			obs("h"+m, "", "headcount", m, 120.0, 1), obs("k"+m, "", "official_capacity", m, 100.0, 1))
	}
	in.Observations = append(in.Observations,
		obs("a1aida", "c1", "cell_area_m2", "aida", 11.5, 2), obs("a1bolat", "c1", "cell_area_m2", "bolat", 14.0, 9),
		obs("gone", "deleted-cell", "cell_area_m2", "aida", 1.0, 2)) // a deleted location's observation
	in.Consolidations = []store.ConsolidationRow{{ID: "k1", LocationID: "c1", Item: "cell_area_m2", Value: 11.5,
		Reason: "laser", ObservationID: "a1aida", DecidedBy: "coord", Seq: 5}}
	in.Conflicts = []store.VisitConflict{
		// Between Bolat's two devices, decided afterwards by the consolidation: not open.
		{ID: "x1", RecordType: "observation", RecordID: "a1bolat", Field: "value", Item: "cell_area_m2", LocationID: "c1",
			WinnerValue: json.RawMessage("14"), LoserValue: json.RawMessage("13"), OpSeq: 4},
		// A location's label: open.
		{ID: "x2", RecordType: "location", RecordID: "c2", LocationID: "c2", Field: "label",
			WinnerValue: json.RawMessage(`"Cell 2"`), LoserValue: json.RawMessage(`"Cell 2B"`), OpSeq: 7},
	}
	vc := review.Consolidate(in)

	got := findItem(t, vc, "c1", "cell_area_m2")
	if got.Status != review.ItemDecided || got.Value != 11.5 || got.Decision == nil || got.Decision.Reason != "laser" {
		t.Errorf("decided item = %+v; want decided 11.5 with its reason", got)
	}
	if !got.ChangedSinceDecision {
		t.Errorf("Bolat changed his value after the decision; ChangedSinceDecision = false")
	}
	if len(vc.ToResolve) != 1 || vc.ToResolve[0].Kind != review.OpenConflict || vc.ToResolve[0].Conflict.ID != "x2" ||
		vc.ToResolve[0].LocationLabel != "Cell 2" {
		t.Errorf("ToResolve = %+v; want only the open label conflict of Cell 2", vc.ToResolve)
	}
	if msgs := vc.OpenItemMessages(); len(msgs) != 1 || msgs[0] == "" {
		t.Errorf("OpenItemMessages() = %q; want one sentence", msgs)
	}
	if len(vc.Locations) != 2 {
		t.Fatalf("locations = %d; want 2 (the deleted one left out)", len(vc.Locations))
	}

	wantSummary := map[string]string{
		"space_per_person": fmt.Sprint(11.5 / 4), // min of 2.875 (cell 1) and 5 (cell 2)
		"occupancy_rate":   "120",
	}
	for id, want := range wantSummary {
		var s *review.IndicatorSummary
		for i := range vc.Indicators {
			if vc.Indicators[i].ID == id {
				s = &vc.Indicators[i]
			}
		}
		if s == nil || s.Value == nil || fmt.Sprint(*s.Value) != want || s.Band == "" {
			t.Errorf("indicator %s = %+v; want %s with a band", id, s, want)
		}
	}
	for _, s := range vc.Indicators {
		if s.ID == "space_per_person" && (s.Locations != 2 || s.Aggregate != schema.AggregateMin) {
			t.Errorf("space_per_person summary = %+v; want min over 2 locations", s)
		}
	}
	if v, ok := vc.Value("c1", "cell_area_m2"); !ok || v != 11.5 {
		t.Errorf("Value(c1, cell_area_m2) = %v, %v; want 11.5, true", v, ok)
	}
}
