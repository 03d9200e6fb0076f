package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// defaultTemplate returns the embedded kz-npm-default template.
func defaultTemplate(tb testing.TB) *Template {
	tb.Helper()
	ts, err := DefaultTemplates()
	if err != nil {
		tb.Fatalf("DefaultTemplates() error: %v", err)
	}
	for _, t := range ts {
		if t.ID == "kz-npm-default" {
			return t
		}
	}
	tb.Fatalf("DefaultTemplates() has no kz-npm-default template")
	return nil
}

func TestDefaultTemplates(t *testing.T) {
	tpl := defaultTemplate(t)
	if got, want := tpl.Ref(), "kz-npm-default@2"; got != want {
		t.Errorf("Ref() = %q; want %q", got, want)
	}
	if len(tpl.Items) < 40 {
		t.Errorf("template has %d items; want at least 40", len(tpl.Items))
	}

	// Every code of the standards draft is covered (G04 split in two).
	var want []string
	for _, sec := range []struct {
		letter string
		n      int
	}{{"A", 5}, {"B", 8}, {"C", 9}, {"D", 10}, {"E", 1}, {"F", 6}, {"G", 3}} {
		for i := 1; i <= sec.n; i++ {
			want = append(want, fmt.Sprintf("%s%02d", sec.letter, i))
		}
	}
	want = append(want, "G04a", "G04b", "C01a")
	codes := map[string]bool{}
	for _, it := range tpl.Items {
		codes[it.Code] = true
	}
	for _, c := range want {
		if !codes[c] {
			t.Errorf("no item with code %s", c)
		}
	}

	// Ids the sync engine, client and reports rely on.
	fixed := []struct{ id, code, typ, scope string }{
		{"official_capacity", "A01", TypeInteger, ScopeVisit},
		{"headcount", "A02", TypeInteger, ScopeVisit},
		{"access_refused_details", "A05", TypeText, ScopeVisit},
		{"location_type", "B01", TypeChoice, ScopeLocation},
		{"cell_area_m2", "B02", TypeNumber, ScopeLocation},
		{"persons_present", "B03", TypeInteger, ScopeLocation},
		{"sleeping_places", "B06", TypeInteger, ScopeLocation},
		{"air_temperature_c", "C01", TypeNumber, ScopeLocation},
		{"air_temp_measured_at", "C01a", TypeDateTime, ScopeLocation},
		{"outdoor_temperature_c", "C02", TypeNumber, ScopeLocation},
		{"toilets_working", "D03", TypeInteger, ScopeLocation},
		{"drinking_water_l_per_person", "D05", TypeNumber, ScopeLocation},
		{"disability_assistance_notes", "F06", TypeText, ScopeLocation},
		{"private_interviews_count", "G01", TypeInteger, ScopeVisit},
	}
	for _, f := range fixed {
		it, ok := tpl.Item(f.id)
		if !ok {
			t.Errorf("Item(%q) not found", f.id)
			continue
		}
		if it.Code != f.code || it.Type != f.typ || it.Scope != f.scope {
			t.Errorf("Item(%q) = code %s type %s scope %s; want %s %s %s", f.id, it.Code, it.Type, it.Scope, f.code, f.typ, f.scope)
		}
	}
	if _, ok := tpl.Item("no_such_item"); ok {
		t.Errorf("Item(%q) found; want not found", "no_such_item")
	}

	// A and G are asked once per visit, B–F per location.
	for _, it := range tpl.Items {
		wantScope := ScopeLocation
		if c := it.Code[0]; c == 'A' || c == 'G' {
			wantScope = ScopeVisit
		}
		if it.Scope != wantScope {
			t.Errorf("item %q (%s) scope = %s; want %s", it.ID, it.Code, it.Scope, wantScope)
		}
		if it.Type == TypeText && !it.Personal {
			t.Errorf("free-text item %q is not marked personal", it.ID)
		}
	}

	// Tolerances the coordinator's disagreement check depends on.
	for id, tol := range map[string]float64{"cell_area_m2": 0.5, "air_temperature_c": 1, "persons_present": 0, "headcount": 0} {
		it, _ := tpl.Item(id)
		if it == nil || it.Tolerance == nil || *it.Tolerance != tol {
			t.Errorf("item %q tolerance is not %v", id, tol)
		}
	}
}

func TestDefaultTemplatesAreShared(t *testing.T) {
	a, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := DefaultTemplates()
	a[0] = nil // the caller owns the slice
	if b[0] == nil {
		t.Fatalf("DefaultTemplates() returned a slice shared between callers")
	}
}

// walkTexts calls fn for every Text reachable from v, with a readable path.
func walkTexts(v reflect.Value, path string, fn func(path string, t Text)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkTexts(v.Elem(), path, fn)
		}
	case reflect.Map:
		if v.Type() == reflect.TypeOf(Text(nil)) {
			if !v.IsNil() {
				fn(path, v.Interface().(Text))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			elem := v.Index(i)
			name := fmt.Sprintf("%s[%d]", path, i)
			if elem.Kind() == reflect.Struct {
				if id := elem.FieldByName("ID"); id.IsValid() {
					name = fmt.Sprintf("%s[%s]", path, id.String())
				}
			}
			walkTexts(elem, name, fn)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				walkTexts(v.Field(i), path+"."+f.Name, fn)
			}
		}
	}
}

func TestEveryTextTranslated(t *testing.T) {
	tpl := defaultTemplate(t)
	n := 0
	walkTexts(reflect.ValueOf(tpl), "template", func(path string, txt Text) {
		n++
		for _, lang := range Languages {
			if strings.TrimSpace(txt[lang]) == "" {
				t.Errorf("%s: missing %s", path, lang)
			}
		}
		for lang, s := range txt {
			if !utf8.ValidString(s) || strings.TrimSpace(s) != s {
				t.Errorf("%s.%s = %q: invalid UTF-8 or stray spaces", path, lang, s)
			}
		}
	})
	// Title, 11 sections, 45 items with label and help, options, indicators.
	if n < 150 {
		t.Errorf("walked %d texts; want at least 150 (is the walk missing fields?)", n)
	}
}

func TestKazakhTexts(t *testing.T) {
	tpl := defaultTemplate(t)
	const kazakhLetters = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
	all := &strings.Builder{}
	walkTexts(reflect.ValueOf(tpl), "template", func(path string, txt Text) {
		all.WriteString(txt["kk"])
	})
	lower := strings.ToLower(all.String())
	for _, r := range "әғқңөұүі" { // һ is rare in native words: not required
		if !strings.ContainsRune(lower, r) {
			t.Errorf("no Kazakh text contains %q", r)
		}
	}
	// Help texts are long sentences: each must be Kazakh, not Russian copied over.
	for _, it := range tpl.Items {
		kk, ru := it.Help["kk"], it.Help["ru"]
		if kk == ru {
			t.Errorf("item %q: Kazakh help is the Russian text", it.ID)
		}
		if !strings.ContainsAny(kk, kazakhLetters) {
			t.Errorf("item %q: Kazakh help %q has no Kazakh-specific letter", it.ID, kk)
		}
	}
	for _, ind := range tpl.Indicators {
		if !strings.ContainsAny(ind.Source["kk"], kazakhLetters) {
			t.Errorf("indicator %q: Kazakh source has no Kazakh-specific letter", ind.ID)
		}
	}
}

func TestIndicatorsDeclared(t *testing.T) {
	tpl := defaultTemplate(t)
	want := map[string]string{ // id → scope
		"space_per_person": ScopeLocation, "space_per_person_single": ScopeLocation,
		"occupancy_rate": ScopeVisit, "sleeping_places_per_person": ScopeLocation,
		"lowest_temperature": ScopeLocation, "persons_per_toilet": ScopeLocation,
		"drinking_water": ScopeLocation, "outdoor_exercise_minutes": ScopeLocation,
		"showers_per_week": ScopeLocation, "wall_distance": ScopeLocation,
		"ceiling_height": ScopeLocation, "ramp_slope": ScopeLocation,
	}
	for id, scope := range want {
		ind, ok := tpl.Indicator(id)
		if !ok {
			t.Errorf("Indicator(%q) not found", id)
			continue
		}
		if ind.Scope != scope {
			t.Errorf("indicator %q scope = %s; want %s", id, ind.Scope, scope)
		}
	}
	for _, ind := range tpl.Indicators {
		if ind.Threshold != nil {
			for _, lang := range Languages {
				if strings.TrimSpace(ind.Source[lang]) == "" {
					t.Errorf("indicator %q has a threshold but no %s source", ind.ID, lang)
				}
			}
		}
	}
	if ind, _ := tpl.Indicator("ramp_slope"); ind == nil || !ind.Verify {
		t.Errorf("ramp_slope must be verify: true (STANDARDS.md marks it [verify])")
	}
	if ind, _ := tpl.Indicator("persons_per_toilet"); ind == nil || ind.ZeroDenominatorBand != BandRed {
		t.Errorf("persons_per_toilet must declare zero_denominator_band red")
	}
}

func TestTextIn(t *testing.T) {
	txt := Text{"en": "Cell", "ru": "Камера", "kk": ""}
	for _, c := range []struct{ lang, want string }{{"ru", "Камера"}, {"kk", "Cell"}, {"de", "Cell"}, {"en", "Cell"}} {
		if got := txt.In(c.lang); got != c.want {
			t.Errorf("In(%q) = %q; want %q", c.lang, got, c.want)
		}
	}
}

// brokenVariant returns the default template's JSON changed by edit.
func brokenVariant(t *testing.T, edit func(tpl map[string]any)) []byte {
	t.Helper()
	data, err := checklistFS.ReadFile("checklists/default.json")
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(data, &tpl); err != nil {
		t.Fatal(err)
	}
	edit(tpl)
	out, err := json.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func findByID(list any, id string) map[string]any {
	for _, e := range list.([]any) {
		if m := e.(map[string]any); m["id"] == id {
			return m
		}
	}
	panic("no element " + id)
}

func TestParseTemplateRefusesBrokenTemplates(t *testing.T) {
	item := func(tpl map[string]any, id string) map[string]any { return findByID(tpl["items"], id) }
	indicator := func(tpl map[string]any, id string) map[string]any { return findByID(tpl["indicators"], id) }
	tests := []struct {
		name string
		edit func(map[string]any)
		want string
	}{
		{"missing kk label", func(tpl map[string]any) {
			delete(item(tpl, "cell_area_m2")["label"].(map[string]any), "kk")
		}, `item "cell_area_m2": label missing in kk`},
		{"blank ru help", func(tpl map[string]any) {
			item(tpl, "headcount")["help"].(map[string]any)["ru"] = "  "
		}, `item "headcount": help missing in ru`},
		{"unknown language", func(tpl map[string]any) {
			item(tpl, "headcount")["label"].(map[string]any)["kz"] = "Адам саны"
		}, `item "headcount": label has unknown language "kz"`},
		{"missing option label", func(tpl map[string]any) {
			opt := item(tpl, "location_type")["options"].([]any)[0].(map[string]any)
			delete(opt["label"].(map[string]any), "en")
		}, `item "location_type": option "single": label missing in en`},
		{"missing section title", func(tpl map[string]any) {
			delete(findByID(tpl["sections"], "climate")["title"].(map[string]any), "kk")
		}, `section "climate": title missing in kk`},
		{"missing unit label", func(tpl map[string]any) {
			delete(item(tpl, "air_temperature_c")["unit_label"].(map[string]any), "ru")
		}, `item "air_temperature_c": unit_label missing in ru`},
		{"missing template title", func(tpl map[string]any) {
			delete(tpl["title"].(map[string]any), "kk")
		}, `: title missing in kk`},
		{"unknown item in formula", func(tpl map[string]any) {
			indicator(tpl, "space_per_person")["formula"].(map[string]any)["den"] = "persons"
		}, `indicator "space_per_person": formula refers to unknown item "persons"`},
		{"non-numeric item in formula", func(tpl map[string]any) {
			indicator(tpl, "lowest_temperature")["formula"].(map[string]any)["item"] = "heating_working"
		}, `indicator "lowest_temperature": formula refers to item "heating_working" of type yesno, not a number`},
		{"formula item of another scope", func(tpl map[string]any) {
			indicator(tpl, "occupancy_rate")["formula"].(map[string]any)["den"] = "sleeping_places"
		}, `indicator "occupancy_rate": formula refers to item "sleeping_places" of scope location, not visit`},
		{"unknown option in when", func(tpl map[string]any) {
			indicator(tpl, "space_per_person_single")["when"].(map[string]any)["in"] = []any{"solo"}
		}, `indicator "space_per_person_single": when refers to unknown option "solo"`},
		{"duplicate item id", func(tpl map[string]any) {
			item(tpl, "wall_distance_m")["id"] = "cell_area_m2"
		}, `item "cell_area_m2": duplicate item id`},
		{"duplicate code", func(tpl map[string]any) {
			item(tpl, "wall_distance_m")["code"] = "B02"
		}, `item "wall_distance_m": code "B02" is also used by item "cell_area_m2"`},
		{"unknown field in item", func(tpl map[string]any) {
			item(tpl, "cell_area_m2")["colour"] = "red"
		}, `item "cell_area_m2": unknown field "colour"`},
		{"unknown top-level field", func(tpl map[string]any) {
			tpl["author"] = "someone"
		}, `unknown field "author"`},
		{"unknown band colour", func(tpl map[string]any) {
			indicator(tpl, "space_per_person")["bands"].([]any)[1].(map[string]any)["band"] = "yellow"
		}, `indicator "space_per_person": band 2: unknown colour "yellow"`},
		{"last band conditional", func(tpl map[string]any) {
			bands := indicator(tpl, "lowest_temperature")["bands"].([]any)
			indicator(tpl, "lowest_temperature")["bands"] = bands[:1]
		}, `indicator "lowest_temperature": band 1: the last band must have no condition`},
		{"unknown standard measured", func(tpl map[string]any) {
			indicator(tpl, "space_per_person")["measures"] = "spaces"
		}, `indicator "space_per_person": measures "spaces" is not one of space, temperature, sanitation`},
		{"unknown season", func(tpl map[string]any) {
			indicator(tpl, "lowest_temperature")["season"] = "winter"
		}, `indicator "lowest_temperature": season must be "cold" or absent, got "winter"`},
		{"red band without a band label", func(tpl map[string]any) {
			delete(indicator(tpl, "occupancy_rate")["band_labels"].(map[string]any), "red")
		}, `indicator "occupancy_rate": band red has no band_labels entry`},
		{"band label missing a language", func(tpl map[string]any) {
			delete(indicator(tpl, "occupancy_rate")["band_labels"].(map[string]any)["red"].(map[string]any), "kk")
		}, `indicator "occupancy_rate": band_labels.red missing in kk`},
		{"band label for a band the indicator cannot give", func(tpl map[string]any) {
			indicator(tpl, "occupancy_rate")["band_labels"].(map[string]any)["amber"] = map[string]any{"en": "x", "ru": "x", "kk": "x"}
		}, `indicator "occupancy_rate": band_labels: "amber" is not a red or amber band of this indicator`},
		{"threshold without source", func(tpl map[string]any) {
			delete(indicator(tpl, "wall_distance"), "source")
		}, `indicator "wall_distance": threshold without a source`},
		{"source missing a language", func(tpl map[string]any) {
			delete(indicator(tpl, "wall_distance")["source"].(map[string]any), "kk")
		}, `indicator "wall_distance": source missing in kk`},
		{"number without max", func(tpl map[string]any) {
			delete(item(tpl, "cell_area_m2"), "max")
		}, `item "cell_area_m2": number item needs min and max`},
		{"min above max", func(tpl map[string]any) {
			item(tpl, "air_temperature_c")["min"] = 70
		}, `item "air_temperature_c": min 70 is greater than max 60`},
		{"integer without tolerance", func(tpl map[string]any) {
			delete(item(tpl, "headcount"), "tolerance")
		}, `item "headcount": integer item needs a tolerance`},
		{"choice without options", func(tpl map[string]any) {
			delete(item(tpl, "ventilation"), "options")
		}, `item "ventilation": choice item needs at least two options`},
		{"text without max_length", func(tpl map[string]any) {
			delete(item(tpl, "access_refused_details"), "max_length")
		}, `item "access_refused_details": text item needs a max_length above 0`},
		{"unknown type", func(tpl map[string]any) {
			item(tpl, "hot_water")["type"] = "boolean"
		}, `item "hot_water": unknown type "boolean"`},
		{"unknown section", func(tpl map[string]any) {
			item(tpl, "hot_water")["section"] = "kitchen"
		}, `item "hot_water": unknown section "kitchen"`},
		{"unknown scope", func(tpl map[string]any) {
			item(tpl, "hot_water")["scope"] = "facility"
		}, `item "hot_water": scope must be "visit" or "location", got "facility"`},
		{"unknown aggregate", func(tpl map[string]any) {
			indicator(tpl, "ceiling_height")["aggregate"] = "median"
		}, `indicator "ceiling_height": aggregate must be min, max, sum or mean`},
		{"zero denominator band on a value formula", func(tpl map[string]any) {
			indicator(tpl, "drinking_water")["zero_denominator_band"] = "red"
		}, `indicator "drinking_water": zero_denominator_band applies only to ratio formulas`},
		{"version zero", func(tpl map[string]any) {
			tpl["version"] = 0
		}, `version must be 1 or more`},
	}
	const name = "checklists/broken.json"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTemplate(name, brokenVariant(t, tc.edit))
			if err == nil {
				t.Fatalf("ParseTemplate accepted a template with %s", tc.name)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("ParseTemplate error = %q; want it to contain %q", msg, tc.want)
			}
			for _, line := range strings.Split(msg, "\n") {
				if !strings.HasPrefix(line, name+": ") {
					t.Errorf("error line %q does not start with the file name", line)
				}
			}
		})
	}

	t.Run("trailing data", func(t *testing.T) {
		data, _ := checklistFS.ReadFile("checklists/default.json")
		_, err := ParseTemplate(name, append(data, []byte(`{}`)...))
		if err == nil || !strings.HasPrefix(err.Error(), name+": ") {
			t.Errorf("ParseTemplate with trailing data: err = %v; want an error naming the file", err)
		}
	})
	t.Run("not JSON", func(t *testing.T) {
		_, err := ParseTemplate(name, []byte(`{"id": `))
		if err == nil || !strings.HasPrefix(err.Error(), name+": ") {
			t.Errorf("ParseTemplate of truncated JSON: err = %v; want an error naming the file", err)
		}
	})
	t.Run("default still valid", func(t *testing.T) {
		if _, err := ParseTemplate(name, brokenVariant(t, func(map[string]any) {})); err != nil {
			t.Fatalf("ParseTemplate of the unchanged default (re-encoded): %v", err)
		}
	})
}

func TestParseValue(t *testing.T) {
	tpl := defaultTemplate(t)
	long := `"` + strings.Repeat("ж", 2001) + `"`
	exact := `"` + strings.Repeat("ж", 2000) + `"`
	tests := []struct {
		item    string
		raw     string
		want    any
		wantErr string // substring of the ValueError message; "" means accepted
	}{
		{"cell_area_m2", `11.5`, 11.5, ""},
		{"cell_area_m2", ` 12 `, 12.0, ""},
		{"cell_area_m2", `0.5`, 0.5, ""},
		{"cell_area_m2", `2000`, 2000.0, ""},
		{"cell_area_m2", `0.4`, nil, "cell_area_m2 must be between 0.5 and 2000 m²"},
		{"cell_area_m2", `"11.5"`, nil, "cell_area_m2 must be a number, got a string"},
		{"cell_area_m2", `"NaN"`, nil, "cell_area_m2 must be a number, got a string"},
		{"cell_area_m2", `1e999`, nil, "cell_area_m2 must be a finite number"},
		{"cell_area_m2", `-1e999`, nil, "cell_area_m2 must be a finite number"},
		{"cell_area_m2", `NaN`, nil, "cell_area_m2 is not a valid JSON value"},
		{"cell_area_m2", `true`, nil, "cell_area_m2 must be a number, got a boolean"},
		{"cell_area_m2", `[1]`, nil, "cell_area_m2 must be a number, got an array"},
		{"cell_area_m2", `null`, nil, ""},
		{"cell_area_m2", ``, nil, ""},
		{"air_temperature_c", `-60`, -60.0, ""},
		{"air_temperature_c", `14`, 14.0, ""},
		{"air_temperature_c", `61`, nil, "air_temperature_c must be between -60 and 60 °C"},
		{"air_temperature_c", `-0`, 0.0, ""},
		{"persons_present", `4`, int64(4), ""},
		{"persons_present", `4.0`, int64(4), ""},
		{"persons_present", `1e2`, int64(100), ""},
		{"persons_present", `3.5`, nil, "persons_present must be a whole number"},
		{"persons_present", `-1`, nil, "persons_present must be between 0 and 2000 persons"},
		{"persons_present", `1e30`, nil, "persons_present must be between"},
		{"hot_water", `true`, true, ""},
		{"hot_water", `false`, false, ""},
		{"hot_water", `"yes"`, nil, "hot_water must be true or false, got a string"},
		{"hot_water", `1`, nil, "hot_water must be true or false, got a number"},
		{"location_type", `"single"`, "single", ""},
		{"location_type", `"Single"`, nil, "location_type must be one of: single, multiple, disciplinary, dormitory"},
		{"location_type", `3`, nil, "location_type must be a string, got a number"},
		{"access_refused_details", `"Medical unit: 40 minutes"`, "Medical unit: 40 minutes", ""},
		{"access_refused_details", `"Камера №3\nожидание 20 мин"`, "Камера №3\nожидание 20 мин", ""},
		{"access_refused_details", exact, strings.Repeat("ж", 2000), ""},
		{"access_refused_details", long, nil, "access_refused_details is longer than 2000 characters"},
		{"access_refused_details", "\"bad \xff\xfe\"", nil, "access_refused_details must be valid UTF-8 text"},
		{"access_refused_details", `"lone \ud800 surrogate"`, nil, "broken character at character 6"},
		{"access_refused_details", `"nul \u0000 byte"`, nil, "control character (U+0000)"},
		{"access_refused_details", `{"text":"x"}`, nil, "must be a string, got an object"},
		{"air_temp_measured_at", `"2024-01-15T09:30:00+05:00"`, "2024-01-15T04:30:00Z", ""},
		{"air_temp_measured_at", `"2024-01-15T09:30:00.250Z"`, "2024-01-15T09:30:00.25Z", ""},
		{"air_temp_measured_at", `"15.01.2024 09:30"`, nil, "air_temp_measured_at must be a date and time in RFC 3339 format"},
		{"foo", `1`, nil, `unknown checklist item "foo"`},
		{"foo", `null`, nil, `unknown checklist item "foo"`},
	}
	for _, tc := range tests {
		got, err := tpl.ParseValue(tc.item, json.RawMessage(tc.raw))
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("ParseValue(%q, %s) error: %v; want %#v", tc.item, tc.raw, err, tc.want)
			} else if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseValue(%q, %s) = %#v; want %#v", tc.item, tc.raw, got, tc.want)
			}
			continue
		}
		var ve *ValueError
		if !errors.As(err, &ve) {
			t.Errorf("ParseValue(%q, %s) = %#v, %v; want a *ValueError containing %q", tc.item, tc.raw, got, err, tc.wantErr)
			continue
		}
		if ve.Field != "value" || !strings.Contains(ve.Message, tc.wantErr) {
			t.Errorf("ParseValue(%q, %s) error = {%q %q}; want field value, message containing %q", tc.item, tc.raw, ve.Field, ve.Message, tc.wantErr)
		}
		if got != nil {
			t.Errorf("ParseValue(%q, %s) returned %#v with an error", tc.item, tc.raw, got)
		}
	}
}

// Every numeric item accepts its own limits and refuses just outside them.
func TestParseValueLimitsOfEveryItem(t *testing.T) {
	tpl := defaultTemplate(t)
	for _, it := range tpl.Items {
		if !it.Numeric() {
			continue
		}
		for _, f := range []float64{*it.Min, *it.Max} {
			if _, err := tpl.ParseValue(it.ID, json.RawMessage(formatNumber(f))); err != nil {
				t.Errorf("ParseValue(%q, %v) error: %v", it.ID, f, err)
			}
		}
		for _, f := range []float64{*it.Min - 1, *it.Max + 1} {
			if _, err := tpl.ParseValue(it.ID, json.RawMessage(formatNumber(f))); err == nil {
				t.Errorf("ParseValue(%q, %v) accepted a value out of range", it.ID, f)
			}
		}
	}
}

// A text item whose checklist says nothing of "personal" is personal (its
// answers are withheld from reports until cleared); "personal": false said in
// so many words is kept, also when the template is stored and read again.
func TestTextItemIsPersonalUnlessTheChecklistSaysOtherwise(t *testing.T) {
	base, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	var first string // the first text item, whose "personal" is said below
	for _, it := range base[0].Items {
		if it.Type == TypeText {
			first = it.ID
			break
		}
	}
	stored := string(mustMarshal(t, base[0]))
	for _, said := range []struct {
		field string
		want  bool
	}{{"", true}, {`"personal": false,`, false}, {`"personal": true,`, true}} {
		body := strings.Replace(stored, `"personal":true,`, said.field, 1)
		if body == stored {
			t.Fatal(`no "personal":true, in the stored checklist to replace`)
		}
		tpl, err := ParseTemplate("imported.json", []byte(body))
		if err != nil {
			t.Fatalf("%q: %v", said.field, err)
		}
		again, err := ParseTemplate("stored.json", mustMarshal(t, tpl))
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range []*Template{tpl, again} {
			if it, _ := tp.Item(first); it == nil || it.Personal != said.want {
				t.Errorf("personal said as %q: item %s = %+v; want Personal %t", said.field, first, it, said.want)
			}
		}
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
