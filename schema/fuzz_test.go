package schema

import (
	"encoding/json"
	"math"
	"testing"
)

// FuzzParseTemplate loads arbitrary template text: it must never panic, and a
// template it accepts must evaluate every indicator without panicking.
// Seed corpus: testdata/fuzz/FuzzParseTemplate, plus the embedded default.
func FuzzParseTemplate(f *testing.F) {
	def, err := checklistFS.ReadFile("checklists/default.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(def)
	f.Add([]byte(`{"id":"x","version":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tmpl, err := ParseTemplate("fuzz.json", data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("a refusal with no message")
			}
			return
		}
		for _, scope := range []string{ScopeVisit, ScopeLocation} {
			tmpl.Evaluate(scope, map[string]any{})
		}
	})
}

// FuzzParseValue checks any raw value against every numeric and text item:
// an accepted number is finite and inside the item's range.
func FuzzParseValue(f *testing.F) {
	tmpls, err := DefaultTemplates()
	if err != nil {
		f.Fatal(err)
	}
	tmpl := tmpls[0]
	for _, seed := range []string{`11.5`, `1e999`, `"NaN"`, `-0`, `null`, `true`, `"14"`, `"\ud800"`, `12345678901234567890`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, it := range tmpl.Items {
			v, err := tmpl.ParseValue(it.ID, json.RawMessage(raw))
			if err != nil {
				continue
			}
			if x, ok := v.(float64); ok {
				if math.IsNaN(x) || math.IsInf(x, 0) || (it.Min != nil && x < *it.Min) || (it.Max != nil && x > *it.Max) {
					t.Fatalf("%s accepted %q as %v", it.ID, raw, x)
				}
			}
		}
	})
}

// FuzzEvaluateIndicators evaluates the default indicators on arbitrary
// numbers: values are finite or absent and bands are known words.
func FuzzEvaluateIndicators(f *testing.F) {
	tmpls, err := DefaultTemplates()
	if err != nil {
		f.Fatal(err)
	}
	tmpl := tmpls[0]
	f.Add(11.5, 4.0, 3.0, 14.0, "multiple")
	f.Add(0.0, 0.0, 0.0, -60.0, "single")
	f.Add(math.MaxFloat64, math.SmallestNonzeroFloat64, -1.0, 60.0, "dormitory")
	f.Fuzz(func(t *testing.T, area, persons, toilets, temp float64, kind string) {
		values := map[string]any{"cell_area_m2": area, "persons_present": persons, "sleeping_places": persons,
			"toilets_working": toilets, "air_temperature_c": temp, "location_type": kind}
		for _, r := range tmpl.Evaluate(ScopeLocation, values) {
			if r.Value != nil && (math.IsNaN(*r.Value) || math.IsInf(*r.Value, 0)) {
				t.Fatalf("%s = %v for %v", r.ID, *r.Value, values)
			}
			switch r.Band {
			case "", BandRed, BandAmber, BandGreen, BandContext:
			default:
				t.Fatalf("%s band %q", r.ID, r.Band)
			}
		}
	})
}
