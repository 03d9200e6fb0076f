package schema

import (
	"regexp"
	"strings"
	"testing"
)

// otherLanguage finds, in a text of one language, words of another: Latin
// words in a Russian or Kazakh text, Cyrillic in an English one, and Kazakh
// letters in a Russian text. Abbreviations and citations (CPT/Inf(2015)44,
// ShIZO, CRPD, "Muršić v. Croatia") are the exceptions a checklist needs.
var (
	cyrillic     = regexp.MustCompile(`[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]`)
	kazakhOnly   = regexp.MustCompile(`[ӘәҒғҚқҢңӨөҰұҮүҺһІі]`)
	latinWord    = regexp.MustCompile(`\b[A-Za-z][a-z]{3,}\b`)
	allowedLatin = regexp.MustCompile(`^(Inf|Housing|Health|Guidelines|Guide|Detention|Focus|Muršić|Croatia|Ananyev|Others|Russia|Rules|Nelson|Mandela|Protocol|Istanbul|Havana|Bangkok)$`)
)

// wrongWording are the words of custody that must not appear in the
// checklists of psychiatric and social-care institutions.
var wrongWording = map[string]*regexp.Regexp{
	"en": regexp.MustCompile(`(?i)\b(detainees?|cells?|prisoners?|inmates?)\b`),
	"ru": regexp.MustCompile(`(?i)(задержанн|камер|заключённ|осуждённ)`),
	"kk": regexp.MustCompile(`(?i)(ұсталған|камера|сотталған|тұтқын)`),
}

// texts calls f with every user-facing text of the template and where it is.
func (t *Template) texts(f func(where, lang, s string)) {
	each := func(where string, tx Text) {
		for lang, s := range tx {
			f(where, lang, s)
		}
	}
	each("title", t.Title)
	for _, s := range t.Sections {
		each("section "+s.ID, s.Title)
	}
	for _, it := range t.Items {
		each("item "+it.ID+" label", it.Label)
		each("item "+it.ID+" help", it.Help)
		each("item "+it.ID+" unit", it.UnitLabel)
		each("item "+it.ID+" source", it.Source)
		for _, o := range it.Options {
			each("item "+it.ID+" option "+o.ID, o.Label)
		}
	}
	for _, ind := range t.Indicators {
		each("indicator "+ind.ID+" label", ind.Label)
		each("indicator "+ind.ID+" unit", ind.UnitLabel)
		each("indicator "+ind.ID+" source", ind.Source)
		for b, tx := range ind.BandLabels {
			each("indicator "+ind.ID+" band "+b, tx)
		}
	}
}

// TestChecklistPerFacilityType: every facility type starts its visits with a
// checklist of its own (the general one for "other"); each loads and
// validates (DefaultTemplates), its screens' texts (titles, questions, help,
// options, indicators, their words and every source) are in each language with no words
// of another, and those of psychiatric and social-care institutions speak of
// patients, residents or children and rooms or wards, never of detainees or
// cells.
func TestChecklistPerFacilityType(t *testing.T) {
	ts, err := DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ivs": "kz-police-custody", "special_reception": "kz-police-custody", "reception_distribution": "kz-police-custody",
		"military_guardhouse": "kz-police-custody", "sizo": "kz-penitentiary", "colony": "kz-penitentiary",
		"psychiatric": "kz-psychiatric", "social_care": "kz-social-care", "children_institution": "kz-children-care",
		"juvenile_centre": "kz-children-care", "other": "kz-npm-default",
	}
	for _, typ := range FacilityTypes {
		got := cat.ForFacilityType(typ)
		if got == nil || got.ID != want[typ] {
			t.Errorf("ForFacilityType(%q) = %v; want %s", typ, got, want[typ])
		}
	}
	care := map[string]bool{"kz-psychiatric": true, "kz-social-care": true, "kz-children-care": true}
	for _, tpl := range ts {
		if tpl.ID == "kz-npm-default" {
			continue // the general checklist of version 1, kept as it is for the visits made with it
		}
		tpl.texts(func(where, lang, s string) {
			switch lang {
			case "en":
				if m := cyrillic.FindString(s); m != "" {
					t.Errorf("%s: %s (en) has Cyrillic %q: %s", tpl.ID, where, m, s)
				}
			case "ru":
				if m := kazakhOnly.FindString(s); m != "" {
					t.Errorf("%s: %s (ru) has the Kazakh letter %q: %s", tpl.ID, where, m, s)
				}
				fallthrough
			case "kk":
				for _, w := range latinWord.FindAllString(s, -1) {
					if !allowedLatin.MatchString(w) {
						t.Errorf("%s: %s (%s) has the Latin word %q: %s", tpl.ID, where, lang, w, s)
					}
				}
			}
			if care[tpl.ID] {
				if m := wrongWording[lang].FindString(s); m != "" {
					t.Errorf("%s: %s (%s) speaks of %q: %s", tpl.ID, where, lang, m, s)
				}
			}
		})
		if care[tpl.ID] {
			persons := map[string]string{"kz-psychiatric": "patients", "kz-social-care": "residents", "kz-children-care": "children"}[tpl.ID]
			it, _ := tpl.Item("persons_present")
			if it == nil || !strings.Contains(strings.ToLower(it.Label.In("en")), persons) {
				t.Errorf("%s: persons present does not speak of %s: %v", tpl.ID, persons, it)
			}
		}
		if _, asks := tpl.Item("location_type"); asks {
			t.Errorf("%s asks the kind of place again (location_type): the place's kind is the one question", tpl.ID)
		}
		if len(tpl.LocationKinds) == 0 || len(tpl.FacilityTypes) == 0 {
			t.Errorf("%s names no kinds of place or facility types", tpl.ID)
		}
	}
}

// TestBuiltinIndicatorsByFacilityType: an imported checklist gets the
// indicators of its facility type's checklist, then the general one's: a
// police checklist's space per person is the CPT's shared-cell standard of the
// general checklist, not the care homes' comparison-only figure.
func TestBuiltinIndicatorsByFacilityType(t *testing.T) {
	cat, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	general, _ := cat.Default().Indicator("space_per_person")
	police, _ := cat.ForFacilityType("ivs").Indicator("space_per_person_police")
	care, _ := cat.ForFacilityType("psychiatric").Indicator("space_per_person")
	for _, c := range []struct {
		types []string
		id    string
		want  *Indicator
	}{
		{[]string{"ivs"}, "space_per_person", general},
		{[]string{"ivs"}, "space_per_person_police", police},
		{[]string{"psychiatric"}, "space_per_person", care},
		{nil, "space_per_person", general},
	} {
		list, err := BuiltinIndicators(c.types)
		if err != nil {
			t.Fatal(err)
		}
		var got *Indicator
		for i := range list {
			if list[i].ID == c.id {
				got = &list[i]
			}
		}
		if got == nil || c.want == nil || !SameIndicator(*got, *c.want) {
			t.Errorf("BuiltinIndicators(%v) %s = %+v; want %+v", c.types, c.id, got, c.want)
		}
	}
}
