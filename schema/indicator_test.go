package schema

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// indicatorVector is one case of testdata/indicator_vectors.json, shared with
// the JS evaluator. Value nil and Band "" mean not applicable.
type indicatorVector struct {
	Name string `json:"name"`
	// Template is the id of the template the indicator is in; empty means
	// the general template, kz-npm-default.
	Template  string         `json:"template,omitempty"`
	Indicator string         `json:"indicator"`
	Inputs    map[string]any `json:"inputs"`
	Value     *float64       `json:"value"`
	Band      string         `json:"band"`
	// BandLabel, when given, is the band's words the result must carry, in
	// the languages listed.
	BandLabel map[string]string `json:"band_label,omitempty"`
}

func loadVectors(t *testing.T) []indicatorVector {
	t.Helper()
	data, err := os.ReadFile("testdata/indicator_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []indicatorVector
	if err := decodeStrict(data, &vs); err != nil {
		t.Fatalf("decode vectors: %v", err)
	}
	return vs
}

func floatPtrEqual(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-9
}

func fmtPtr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// vectorTemplates returns the embedded templates by id (newest version).
func vectorTemplates(t *testing.T) map[string]*Template {
	t.Helper()
	ts, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Template{}
	for _, tpl := range ts {
		if old := out[tpl.ID]; old == nil || old.Version < tpl.Version {
			out[tpl.ID] = tpl
		}
	}
	return out
}

func (v indicatorVector) template(ts map[string]*Template) *Template {
	if v.Template == "" {
		return ts["kz-npm-default"]
	}
	return ts[v.Template]
}

// judgement is what decides an indicator's band: two indicators with the
// same judgement (in different templates, worded differently) are covered by
// the same vectors.
func judgement(ind *Indicator) string {
	b, _ := json.Marshal(struct {
		Scope   string
		Formula Formula
		When    *Condition
		Bands   []Band
		Zero    string
		Verify  bool
	}{ind.Scope, ind.Formula, ind.When, ind.Bands, ind.ZeroDenominatorBand, ind.Verify})
	return string(b)
}

// TestIndicatorVectors: every vector gives its value, band and words, and
// every indicator of every embedded template (or one judged the same way)
// has a vector for each band it can give and for not applicable.
func TestIndicatorVectors(t *testing.T) {
	ts := vectorTemplates(t)
	vs := loadVectors(t)
	if len(vs) < 60 {
		t.Errorf("%d vectors; want at least 60", len(vs))
	}
	covered := map[string]map[string]bool{} // judgement → bands seen
	for _, v := range vs {
		tpl := v.template(ts)
		if tpl == nil {
			t.Errorf("vector %q: unknown template %q", v.Name, v.Template)
			continue
		}
		ind, ok := tpl.Indicator(v.Indicator)
		if !ok {
			t.Errorf("vector %q: unknown indicator %q in %s", v.Name, v.Indicator, tpl.ID)
			continue
		}
		key := judgement(ind)
		if covered[key] == nil {
			covered[key] = map[string]bool{}
		}
		covered[key][v.Band] = true
		for id := range v.Inputs {
			if _, ok := tpl.Item(id); !ok && id != KindKey {
				t.Errorf("vector %q: input %q is not a checklist item", v.Name, id)
			}
		}

		got := ind.Evaluate(v.Inputs)
		if !floatPtrEqual(got.Value, v.Value) || got.Band != v.Band {
			t.Errorf("vector %q: %s.Evaluate(%v) = value %v band %q; want value %v band %q",
				v.Name, v.Indicator, v.Inputs, fmtPtr(got.Value), got.Band, fmtPtr(v.Value), v.Band)
		}
		for lang, want := range v.BandLabel {
			if got.BandLabel[lang] != want {
				t.Errorf("vector %q: band label in %s = %q; want %q", v.Name, lang, got.BandLabel[lang], want)
			}
		}
		if (got.Band == BandRed || got.Band == BandAmber) && got.BandLabel == nil {
			t.Errorf("vector %q: a %s band without words", v.Name, got.Band)
		}
		if got.Applicable != (v.Band != "") {
			t.Errorf("vector %q: Applicable = %v with band %q", v.Name, got.Applicable, got.Band)
		}
		if got.ID != ind.ID || got.Label == nil || !floatPtrEqual(got.Threshold, ind.Threshold) {
			t.Errorf("vector %q: result does not carry the indicator's id, label and threshold", v.Name)
		}
	}
	for _, tpl := range ts {
		for i := range tpl.Indicators {
			ind := &tpl.Indicators[i]
			seen := covered[judgement(ind)]
			if len(seen) == 0 {
				t.Errorf("no vector for indicator %q of %s", ind.ID, tpl.ID)
				continue
			}
			if !seen[""] {
				t.Errorf("no not-applicable vector for indicator %q of %s", ind.ID, tpl.ID)
			}
			for _, b := range ind.Bands {
				want := b.Band
				if ind.Verify {
					want = BandContext
				}
				if !seen[want] {
					t.Errorf("no vector reaching band %q of indicator %q of %s", want, ind.ID, tpl.ID)
				}
			}
		}
	}
}

// The vectors are valid answers: each input passes ParseValue, and evaluating
// the parsed values (int64 for integers) gives the same result.
func TestIndicatorVectorsThroughParseValue(t *testing.T) {
	ts := vectorTemplates(t)
	for _, v := range loadVectors(t) {
		tpl := v.template(ts)
		parsed := map[string]any{}
		valid := true
		for id, raw := range v.Inputs {
			if id == KindKey {
				parsed[id] = raw
				continue
			}
			data, _ := json.Marshal(raw)
			val, err := tpl.ParseValue(id, data)
			if err != nil {
				valid = false // e.g. a number sent as a string: evaluation must treat it as missing
				break
			}
			if val != nil {
				parsed[id] = val
			}
		}
		if !valid {
			continue
		}
		ind, _ := tpl.Indicator(v.Indicator)
		got := ind.Evaluate(parsed)
		if !floatPtrEqual(got.Value, v.Value) || got.Band != v.Band {
			t.Errorf("vector %q after ParseValue: value %v band %q; want %v %q", v.Name, fmtPtr(got.Value), got.Band, fmtPtr(v.Value), v.Band)
		}
	}
}

func TestTemplateEvaluate(t *testing.T) {
	tpl := defaultTemplate(t)
	loc := tpl.Evaluate(ScopeLocation, map[string]any{
		"location_type":     "multiple",
		"cell_area_m2":      11.5,     // float64
		"persons_present":   int64(4), // as ParseValue returns integers
		"sleeping_places":   3,        // plain int
		"toilets_working":   float64(1),
		"air_temperature_c": 14,         // int for a number item
		"wall_distance_m":   math.NaN(), // never a valid value: treated as missing
	})
	var ids []string
	for _, ind := range tpl.Indicators {
		if ind.Scope == ScopeLocation {
			ids = append(ids, ind.ID)
		}
	}
	if len(loc) != len(ids) {
		t.Fatalf("Evaluate(location) returned %d results; want %d", len(loc), len(ids))
	}
	byID := map[string]IndicatorResult{}
	for i, r := range loc {
		if r.ID != ids[i] {
			t.Errorf("result %d is %q; want %q (template order)", i, r.ID, ids[i])
		}
		byID[r.ID] = r
	}
	want := map[string]struct {
		value *float64
		band  string
	}{
		"space_per_person":           {ptr(2.875), BandRed},
		"space_per_person_single":    {nil, ""},
		"sleeping_places_per_person": {ptr(0.75), BandRed},
		"persons_per_toilet":         {ptr(4), BandGreen},
		"lowest_temperature":         {ptr(14), BandRed},
		"wall_distance":              {nil, ""},
		"ramp_slope":                 {nil, ""},
	}
	for id, w := range want {
		r := byID[id]
		if !floatPtrEqual(r.Value, w.value) || r.Band != w.band {
			t.Errorf("%s = %v %q; want %v %q", id, fmtPtr(r.Value), r.Band, fmtPtr(w.value), w.band)
		}
	}

	visit := tpl.Evaluate(ScopeVisit, map[string]any{"headcount": int64(450), "official_capacity": int64(300)})
	if len(visit) != 1 || visit[0].ID != "occupancy_rate" || !floatPtrEqual(visit[0].Value, ptr(150)) || visit[0].Band != BandRed {
		t.Errorf("Evaluate(visit) = %+v; want occupancy_rate 150 red", visit)
	}
	if got := tpl.Evaluate("facility", nil); len(got) != 0 {
		t.Errorf("Evaluate(unknown scope) = %d results; want none", len(got))
	}
}

func ptr(f float64) *float64 { return &f }

// Hand-built indicators cover combinations the default template does not use.
func TestIndicatorEvaluateEdgeCases(t *testing.T) {
	ratio := Indicator{
		ID: "x", Formula: Formula{Op: OpRatio, Num: "a", Den: "b"},
		Bands:               []Band{{Band: BandRed, GT: ptr(25)}, {Band: BandGreen}},
		ZeroDenominatorBand: BandRed,
	}
	verify := ratio
	verify.Verify = true
	between := Indicator{
		ID: "y", Formula: Formula{Op: OpValue, Item: "a"},
		Bands: []Band{{Band: BandGreen, GTE: ptr(18), LTE: ptr(24)}, {Band: BandAmber}},
	}
	tests := []struct {
		name   string
		ind    Indicator
		values map[string]any
		value  *float64
		band   string
	}{
		{"verify hides the zero-denominator red", verify, map[string]any{"a": 3, "b": 0}, nil, BandContext},
		{"verify hides a red value", verify, map[string]any{"a": 30, "b": 1}, ptr(30), BandContext},
		{"negative numerator over zero is not applicable", ratio, map[string]any{"a": -1, "b": 0}, nil, ""},
		{"infinite input is missing", ratio, map[string]any{"a": math.Inf(1), "b": 1}, nil, ""},
		{"json.Number accepted", ratio, map[string]any{"a": json.Number("50"), "b": json.Number("2")}, ptr(25), BandGreen},
		{"bool is not a number", ratio, map[string]any{"a": true, "b": 1}, nil, ""},
		{"band with two conditions inside", between, map[string]any{"a": 20}, ptr(20), BandGreen},
		{"band with two conditions above", between, map[string]any{"a": 25}, ptr(25), BandAmber},
		{"nil map", between, nil, nil, ""},
	}
	for _, tc := range tests {
		got := tc.ind.Evaluate(tc.values)
		if !floatPtrEqual(got.Value, tc.value) || got.Band != tc.band {
			t.Errorf("%s: Evaluate = %v %q; want %v %q", tc.name, fmtPtr(got.Value), got.Band, fmtPtr(tc.value), tc.band)
		}
	}
}

func TestAggregate(t *testing.T) {
	vals := []float64{2.875, 4, 3.5, 6}
	tests := []struct {
		kind string
		vals []float64
		want float64
		ok   bool
	}{
		{AggregateMin, vals, 2.875, true},
		{AggregateMax, vals, 6, true},
		{AggregateSum, vals, 16.375, true},
		{AggregateMean, vals, 16.375 / 4, true},
		{AggregateMin, []float64{-3, 14}, -3, true},
		{AggregateMean, nil, 0, false},
		{"median", vals, 0, false},
	}
	for _, tc := range tests {
		got, ok := Aggregate(tc.kind, tc.vals)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Aggregate(%q, %v) = %v, %v; want %v, %v", tc.kind, tc.vals, got, ok, tc.want, tc.ok)
		}
	}
}

// TestBandLabelsFollowTheComparison: a red or amber label must speak in the
// comparison's direction. Where the standard is a maximum (lte, lt) the value
// is too high, so "below", "less", "fewer" would mislead, and the reverse for
// a minimum. Checked in en and ru, whose wording is closest to the numbers.
func TestBandLabelsFollowTheComparison(t *testing.T) {
	tpl := defaultTemplate(t)
	tooLow := map[string][]string{"en": {"below", "less", "fewer", "lower", "colder", "closer"}, "ru": {"ниже", "меньше", "реже", "холоднее", "ближе"}}
	tooHigh := map[string][]string{"en": {"above", "more", "higher", "steeper", "hotter"}, "ru": {"выше", "больше", "чаще", "круче", "жарче"}}
	for _, ind := range tpl.Indicators {
		var wrong, right map[string][]string
		switch ind.Comparison {
		case CompareGTE, CompareGT:
			wrong, right = tooHigh, tooLow
		case CompareLTE, CompareLT:
			wrong, right = tooLow, tooHigh
		default:
			continue
		}
		for colour, text := range ind.BandLabels {
			for lang, words := range wrong {
				for _, w := range words {
					if strings.Contains(strings.ToLower(text[lang]), w) {
						t.Errorf("%s %s label %q (%s) says %q against comparison %s", ind.ID, colour, text[lang], lang, w, ind.Comparison)
					}
				}
			}
			for lang, words := range right {
				found := false
				for _, w := range words {
					found = found || strings.Contains(strings.ToLower(text[lang]), w)
				}
				if !found {
					t.Errorf("%s %s label %q (%s) does not say which way the standard is missed (want one of %v)", ind.ID, colour, text[lang], lang, words)
				}
			}
		}
	}
}
