package demo

import (
	"strings"
	"testing"

	"inspecta/schema"
)

// TestRecommendationsFollowFromTheirVisit: every recommendation of the demo
// names the finding it follows from (recommendationBasis), and its visit
// records that finding: no recommendation asks for what the visit already
// records.
func TestRecommendationsFollowFromTheirVisit(t *testing.T) {
	cat, err := schema.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range demoVisits {
		tmpl := cat.ForFacilityType(facilityType(v.facility))
		// The answers of each place (and of the visit), with the place's kind, as the lead recorded them.
		scopes := []map[string]any{v.visitValues}
		for _, loc := range v.locations {
			scopes = append(scopes, with(loc.values, map[string]any{schema.KindKey: loc.kind}))
		}
		for _, r := range v.recommend {
			f, ok := recommendationBasis[r.key]
			switch {
			case !ok:
				t.Errorf("recommendation %s names no finding in recommendationBasis", r.key)
				continue
			case f.indicator == "" && f.item == "":
				continue // made by the report itself
			}
			found := false
			for _, values := range scopes {
				if f.indicator != "" {
					ind, ok := tmpl.Indicator(f.indicator)
					if !ok {
						t.Fatalf("recommendation %s: %s has no indicator %s", r.key, tmpl.Ref(), f.indicator)
					}
					found = found || ind.Evaluate(values).Band == f.band
				} else {
					found = found || values[f.item] == f.value
				}
			}
			if !found {
				t.Errorf("visit %s recommends %q, but records no %s", v.key, r.text, strings.TrimSpace(f.indicator+" "+f.band+" "+f.item))
			}
		}
	}
}

// TestDemoUsesTheChecklistOfEachType: every demo visit is recorded on the
// checklist of its facility's type, and the visits exercise the sections
// that checklist adds.
func TestDemoUsesTheChecklistOfEachType(t *testing.T) {
	cat, err := schema.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]map[string]bool{} // template → sections answered
	for _, v := range demoVisits {
		tmpl := cat.ForFacilityType(facilityType(v.facility))
		if len(tmpl.FacilityTypes) == 0 {
			t.Errorf("visit %s is recorded on the general checklist", v.key)
		}
		if used[tmpl.ID] == nil {
			used[tmpl.ID] = map[string]bool{}
		}
		for _, id := range usedItems(v) {
			if it, ok := tmpl.Item(id); ok {
				used[tmpl.ID][it.Section] = true
			}
		}
	}
	for id, want := range map[string][]string{
		"kz-police-custody": {"custody_safeguards", "registers", "separation", "contact", "food", "health", "space", "sanitation"},
		"kz-penitentiary":   {"admission", "registers", "separation", "contact", "daily_life", "food", "health", "space", "sanitation"},
		"kz-children-care":  {"admission", "registers", "separation", "contact", "daily_life", "food", "health", "space"},
	} {
		for _, s := range want {
			if !used[id][s] {
				t.Errorf("no demo visit answers the section %s of %s", s, id)
			}
		}
	}
}
