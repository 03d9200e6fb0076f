package report

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"regexp"
	"sort"
	"testing"
	"time"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
)

// propertyTemplate is the default checklist plus a sensitive count that an
// indicator reads: juveniles present in a location and their share of its
// persons, so that the withholding rule has figures to leak through.
func propertyTemplate(t *testing.T) *schema.Template {
	t.Helper()
	raw, err := os.ReadFile("../schema/checklists/default.json")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		t.Fatal(err)
	}
	tx := func(en string) map[string]string {
		return map[string]string{"en": en, "ru": en + " (ru)", "kk": en + " (kk)"}
	}
	tmpl["items"] = append(tmpl["items"].([]any), map[string]any{
		"id": "juveniles_present", "code": "T01", "section": "space", "scope": "location", "type": "integer",
		"unit": "persons", "unit_label": tx("persons"), "min": 0, "max": 2000, "tolerance": 0, "sensitive": true,
		"label": tx("Juveniles present (test)"), "help": tx("Test item."),
	})
	tmpl["indicators"] = append(tmpl["indicators"].([]any), map[string]any{
		"id": "juvenile_share", "scope": "location", "label": tx("Share of juveniles (test)"), "unit_label": tx("%"),
		"formula":   map[string]any{"op": "ratio", "num": "juveniles_present", "den": "persons_present", "scale": 100},
		"threshold": 0, "comparison": "lte", "bands": []any{map[string]any{"band": "red", "gt": 0}, map[string]any{"band": "green"}},
		"band_labels": map[string]any{"red": tx("juveniles held with adults (test)")},
		"aggregate":   "max", "source": tx("Test source: no juvenile held with adults."),
	})
	b, _ := json.Marshal(tmpl)
	parsed, err := schema.ParseTemplate("property.json", b)
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

// randomVisit makes a visit of 1–5 locations whose values are agreed or,
// about one time in four, unresolved between two or three member values.
func randomVisit(rng *rand.Rand, id string, start time.Time) (*store.ReportVisit, []*store.ReportLocation, []*review.ReportValue) {
	v := &store.ReportVisit{ID: id, Kind: "regular", Status: "approved", Started: start, StartedAt: start.Format(time.RFC3339)}
	var locs []*store.ReportLocation
	var vals []*review.ReportValue
	value := func(loc, item string, gen func() any) {
		rv := &review.ReportValue{VisitID: id, LocationID: loc, Item: item}
		if rng.Intn(4) == 0 {
			rv.Source = review.ValueUnresolved
			for len(rv.Candidates) < 2+rng.Intn(2) {
				c := gen()
				if !containsAny(rv.Candidates, c) {
					rv.Candidates = append(rv.Candidates, c)
				}
			}
		} else {
			rv.Source, rv.Value = review.ValueAgreed, gen()
		}
		vals = append(vals, rv)
	}
	num := func(lo, hi float64) func() any {
		return func() any { return float64(int((lo+rng.Float64()*(hi-lo))*2)) / 2 }
	}
	count := func(lo, hi int) func() any { return func() any { return int64(lo + rng.Intn(hi-lo+1)) } }
	value("", "official_capacity", count(10, 40))
	value("", "headcount", count(5, 50))
	for li := 0; li < 1+rng.Intn(5); li++ {
		loc := fmt.Sprintf("%s-l%d", id, li)
		locs = append(locs, &store.ReportLocation{ID: loc, VisitID: id, Label: fmt.Sprintf("Cell %d", li+1), Kind: "cell"})
		value(loc, "location_type", func() any { return []string{"multiple", "single"}[rng.Intn(2)] })
		value(loc, "cell_area_m2", num(4, 30))
		value(loc, "persons_present", count(1, 10))
		value(loc, "sleeping_places", count(0, 10))
		value(loc, "toilets_working", count(0, 2))
		value(loc, "air_temperature_c", num(12, 24))
		// The sensitive count is never unresolved here: the withholding
		// property varies its consolidated value.
		vals = append(vals, &review.ReportValue{VisitID: id, LocationID: loc, Item: "juveniles_present",
			Value: int64(rng.Intn(5)), Source: review.ValueAgreed})
	}
	return v, locs, vals
}

func containsAny(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestPropertyUnresolvedNeverBetter: over random visits, no facility
// indicator is better than the worst value any member recorded for an
// applicable unresolved location: every combination of the members' values
// is tried, and the facility's value and band must be at least as bad.
func TestPropertyUnresolvedNeverBetter(t *testing.T) {
	tmpl := propertyTemplate(t)
	rng := rand.New(rand.NewSource(14))
	checked := 0
	for iter := 0; iter < 400; iter++ {
		v, locs, vals := randomVisit(rng, fmt.Sprintf("v%d", iter), time.Date(2025, 1, 1, 6, 0, 0, 0, time.UTC))
		vm := buildVisit(v, tmpl, locs, vals)
		for _, agg := range vm.Aggregates {
			ind := agg.Indicator
			if ind.Aggregate != schema.AggregateMin && ind.Aggregate != schema.AggregateMax {
				continue
			}
			scopes := []map[string]*review.ReportValue{vm.Values}
			if ind.Scope == schema.ScopeLocation {
				scopes = scopes[:0]
				for _, lm := range vm.Locations {
					if !lm.Hidden[ind.ID] {
						scopes = append(scopes, lm.Values)
					}
				}
			}
			for _, sv := range scopes {
				eachCombination(sv, func(values map[string]any) {
					res := ind.Evaluate(values)
					if !res.Applicable {
						return
					}
					checked++
					if !agg.Applicable {
						t.Fatalf("visit %d %s: a member's values make it applicable, the facility says not", iter, ind.ID)
					}
					if bandRank(agg.Band) < bandRank(res.Band) {
						t.Fatalf("visit %d %s: facility band %s better than %s from a member's values %v", iter, ind.ID, agg.Band, res.Band, values)
					}
					if res.Value != nil && agg.Value != nil && worseValue(ind, *res.Value, *agg.Value) {
						t.Fatalf("visit %d %s: facility value %v better than %v from a member's values", iter, ind.ID, *agg.Value, *res.Value)
					}
				})
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d combinations checked", checked)
	}
}

func worseValue(ind *schema.Indicator, a, b float64) bool {
	switch ind.Comparison {
	case "gte", "gt":
		return a < b-1e-9
	case "lte", "lt":
		return a > b+1e-9
	}
	return false
}

// eachCombination calls fn with the scope's values for every combination of
// the values members recorded for its unresolved items.
func eachCombination(vals map[string]*review.ReportValue, fn func(map[string]any)) {
	base := inputs(vals)
	var open []string
	for id, v := range vals {
		if v.Source == review.ValueUnresolved && len(v.Candidates) > 0 {
			open = append(open, id)
		}
	}
	var walk func(k int)
	walk = func(k int) {
		if k == len(open) {
			fn(base)
			return
		}
		for _, c := range vals[open[k]].Candidates {
			base[open[k]] = c
			walk(k + 1)
		}
		delete(base, open[k])
	}
	walk(0)
}

// TestPropertyWithheldCountNotRecomputable: over random visits, a sensitive
// count of fewer than three persons cannot be recomputed from anything else
// the report prints: changing it to any other value below three leaves every
// byte of the PDF (every page: bands, charts, neighbouring figures) and of
// every CSV unchanged.
func TestPropertyWithheldCountNotRecomputable(t *testing.T) {
	tmpl := propertyTemplate(t)
	resolve := func(string) *schema.Template { return tmpl }
	rng := rand.New(rand.NewSource(21))
	fac := &store.Facility{ID: "f", Name: "Test facility", Type: "ivs", Region: "KZ-KAR"}
	render := func(visits []*store.ReportVisit, locs map[string][]*store.ReportLocation, vals map[string][]*review.ReportValue) []byte {
		data := &review.FacilityReportData{Facility: fac, Visits: visits, Locations: locs, Values: vals, VisitStarted: map[string]time.Time{}}
		r := buildFacility(data, Request{Lang: "en", Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Detail: DetailAll}, resolve)
		var pdf, out bytes.Buffer
		if err := r.WritePDF(&pdf); err != nil {
			t.Fatal(err)
		}
		// The PDF's objects come in map order; its streams (page contents,
		// font subsets) are what it prints.
		for _, s := range pdfStreams(t, pdf.Bytes()) {
			out.Write(s)
		}
		for _, kind := range CSVKinds {
			if err := r.WriteCSV(&out, kind); err != nil {
				t.Fatal(err)
			}
		}
		return out.Bytes()
	}
	varied := 0
	for iter := 0; iter < 12; iter++ {
		visits := []*store.ReportVisit{}
		locs := map[string][]*store.ReportLocation{}
		vals := map[string][]*review.ReportValue{}
		for vi := 0; vi < 1+rng.Intn(2); vi++ {
			v, l, vs := randomVisit(rng, fmt.Sprintf("v%d-%d", iter, vi), time.Date(2024+vi, 3, 5, 6, 0, 0, 0, time.UTC))
			visits, locs[v.ID], vals[v.ID] = append(visits, v), l, vs
		}
		want := render(visits, locs, vals)
		for _, v := range visits {
			for _, rv := range vals[v.ID] {
				n, ok := rv.Value.(int64)
				if rv.Item != "juveniles_present" || !ok || n >= 3 {
					continue
				}
				for other := int64(0); other < 3; other++ {
					if other == n {
						continue
					}
					rv.Value = other
					if got := render(visits, locs, vals); !bytes.Equal(got, want) {
						i := 0
						for i < len(got) && i < len(want) && got[i] == want[i] {
							i++
						}
						t.Logf("differs at %d of %d: %q / %q", i, len(want), want[max(0, i-300):min(len(want), i+200)], got[max(0, i-300):min(len(got), i+200)])
						t.Fatalf("iteration %d: the report changes when a withheld count of %d becomes %d: it can be recomputed", iter, n, other)
					}
					varied++
				}
				rv.Value = n
			}
		}
	}
	if varied < 10 {
		t.Fatalf("only %d withheld counts varied", varied)
	}
}

var streamRE = regexp.MustCompile(`(?s)stream\n(.*?)\nendstream`)

// pdfStreams returns a PDF's streams uncompressed, sorted.
func pdfStreams(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, m := range streamRE.FindAllSubmatch(pdf, -1) {
		s := m[1]
		if zr, err := zlib.NewReader(bytes.NewReader(s)); err == nil {
			if plain, err := io.ReadAll(zr); err == nil {
				s = plain
			}
		}
		out = append(out, s)
	}
	if len(out) < 3 {
		t.Fatalf("%d streams in the PDF", len(out))
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i], out[j]) < 0 })
	return out
}
