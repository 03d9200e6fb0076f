package report

import (
	"testing"

	"inspecta/schema"
	"inspecta/store"
)

// TestPersonsInAPlaceAreNotWithheld: the number of persons in a cell
// identifies no one. A cell of two persons shows its space per person, its
// sleeping places and persons per toilet, and the facility-wide minimum it
// gives is printed with its value and band.
func TestPersonsInAPlaceAreNotWithheld(t *testing.T) {
	tmpls, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	v := &store.ReportVisit{ID: "v"}
	locs := []*store.ReportLocation{{ID: "big", VisitID: "v", Label: "Cell 1"}, {ID: "small", VisitID: "v", Label: "Cell 2"}}
	cell := func(loc string, area float64, persons int64) []*store.ReportValue {
		return []*store.ReportValue{
			{VisitID: "v", LocationID: loc, Item: "location_type", Value: "multiple", Source: store.ValueAgreed},
			{VisitID: "v", LocationID: loc, Item: "cell_area_m2", Value: area, Source: store.ValueAgreed},
			{VisitID: "v", LocationID: loc, Item: "persons_present", Value: persons, Source: store.ValueAgreed},
			{VisitID: "v", LocationID: loc, Item: "sleeping_places", Value: int64(1), Source: store.ValueAgreed},
			{VisitID: "v", LocationID: loc, Item: "toilets_working", Value: int64(1), Source: store.ValueAgreed},
		}
	}
	vals := append(cell("big", 20, 8), cell("small", 5, 2)...) // 2.5 m²/person in the small cell
	vm := buildVisit(v, tmpls[0], locs, vals)
	for _, a := range vm.Aggregates {
		switch a.Indicator.ID {
		case "space_per_person", "sleeping_places_per_person":
			if a.Withheld || a.Value == nil || a.Band != schema.BandRed {
				t.Errorf("%s: withheld %v, value %v, band %q; want the small cell's value, red", a.Indicator.ID, a.Withheld, a.Value, a.Band)
			}
			if a.Indicator.ID == "space_per_person" && aggregateText("en", a) != "2.5 m²/person" {
				t.Errorf("space per person printed %q; want 2.5 m²/person", aggregateText("en", a))
			}
		}
	}
	for _, lm := range vm.Locations {
		if len(lm.Hidden) > 0 {
			t.Errorf("%s: indicators hidden %v; none reads a sensitive count", lm.Label, lm.Hidden)
		}
	}
	persons, _ := tmpls[0].Item("persons_present")
	if got := valueText("en", nil, persons, int64(2)); got != "2 persons" {
		t.Errorf("persons present printed %q; want 2 persons", got)
	}
	interviews, _ := tmpls[0].Item("private_interviews_count")
	if got := valueText("en", nil, interviews, int64(2)); got != tr("en", "fewer.than.3") {
		t.Errorf("persons interviewed printed %q; want fewer than 3", got)
	}
}

var tr = t // the package's translation function, shadowed by testing's t above
