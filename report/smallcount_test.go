package report

import (
	"testing"

	"inspecta/schema"
	"inspecta/store"
)

// TestAggregateFromASmallLocationIsWithheld: the facility-wide smallest space
// per person, when it is the value of a cell holding two persons, would give
// their number away beside that cell's floor area; it is shown by band only.
func TestAggregateFromASmallLocationIsWithheld(t *testing.T) {
	withheldText := tr("en", "withheld.small.count")
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
		}
	}
	for _, c := range []struct {
		name         string
		small        float64 // the small cell's area: 5 m² for 2 persons is the smallest space per person
		withheld     bool
		wantBandWord string
	}{
		{"the minimum is the small cell's", 5, true, "red"},
		{"the minimum is another cell's", 30, false, "red"},
	} {
		vals := append(cell("big", 20, 8), cell("small", c.small, 2)...) // 2.5 m²/person in the big cell
		vm := buildVisit(v, tmpls[0], locs, vals)
		for _, a := range vm.Aggregates {
			if a.Indicator.ID != "space_per_person" {
				continue
			}
			if a.Withheld != c.withheld || (c.withheld && a.Value != nil) {
				t.Errorf("%s: withheld = %v, value = %v; want withheld %v", c.name, a.Withheld, a.Value, c.withheld)
			}
			if a.Band != c.wantBandWord {
				t.Errorf("%s: band = %q; want %q (the band is still shown)", c.name, a.Band, c.wantBandWord)
			}
			text := aggregateText("en", a)
			if c.withheld && text != withheldText {
				t.Errorf("%s: printed %q; want the withheld text", c.name, text)
			}
			if !c.withheld && text == withheldText {
				t.Errorf("%s: printed the withheld text for a value of a larger cell", c.name)
			}
		}
	}
}

var tr = t // the package's translation function, shadowed by testing's t above
