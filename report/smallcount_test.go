package report

import (
	"strings"
	"testing"
	"time"

	"inspecta/review"
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
	cell := func(loc string, area float64, persons int64) []*review.ReportValue {
		return []*review.ReportValue{
			{VisitID: "v", LocationID: loc, Item: "location_type", Value: "multiple", Source: review.ValueAgreed},
			{VisitID: "v", LocationID: loc, Item: "cell_area_m2", Value: area, Source: review.ValueAgreed},
			{VisitID: "v", LocationID: loc, Item: "persons_present", Value: persons, Source: review.ValueAgreed},
			{VisitID: "v", LocationID: loc, Item: "sleeping_places", Value: int64(1), Source: review.ValueAgreed},
			{VisitID: "v", LocationID: loc, Item: "toilets_working", Value: int64(1), Source: review.ValueAgreed},
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

// TestEveryChoiceAnswerIsASentence: every option of the default checklist's
// choice items reads as a sentence of its own in every language, never
// "label: option" ("Pests seen: Insects.").
func TestEveryChoiceAnswerIsASentence(t *testing.T) {
	tmpls, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range tmpls[0].Items {
		if it.Type != schema.TypeChoice || it.ID == "location_type" {
			continue
		}
		for _, o := range it.Options {
			for _, lang := range Languages {
				s, _, ok := findingSentence(lang, tmpls[0], &it, o.ID)
				if !ok || strings.Contains(s, ": ") || !strings.HasSuffix(s, ".") {
					t.Errorf("%s=%s in %s reads %q; want a sentence", it.ID, o.ID, lang, s)
				}
			}
		}
	}
}

// TestNumbersPerLanguage: Russian and Kazakh numbers have a decimal comma and
// a space between thousands; English a decimal point.
func TestNumbersPerLanguage(t *testing.T) {
	for _, c := range []struct {
		lang string
		v    float64
		want string
	}{
		{"kk", 0.5, "0,5"}, {"kk", 2000, "2\u00a0000"}, {"ru", 12500, "12\u00a0500"}, {"kk", -1234567, "-1\u00a0234\u00a0567"},
		{"ru", 999, "999"}, {"kk", 103.33, "103,3"}, {"en", 2000, "2000"}, {"en", 0.5, "0.5"},
	} {
		if got := formatNumber(c.lang, c.v); got != c.want {
			t.Errorf("formatNumber(%s, %v) = %q; want %q", c.lang, c.v, got, c.want)
		}
	}
	places := schema.Text{"en": "places/person", "ru": "мест/чел.", "kk": "орын/адам"}
	for _, c := range []struct {
		lang string
		v    float64
		want string
	}{
		{"en", 1, "place/person"}, {"en", 2, "places/person"}, {"ru", 1, "место/чел."}, {"ru", 3, "места/чел."},
		{"ru", 5, "мест/чел."}, {"ru", 21, "место/чел."}, {"ru", 11, "мест/чел."}, {"ru", 0.75, "места/чел."}, {"kk", 5, "орын/адам"},
	} {
		if got := unitText(c.lang, places, c.v); got != c.want {
			t.Errorf("unitText(%s, %v) = %q; want %q", c.lang, c.v, got, c.want)
		}
	}
	if got := plural("ru", "unresolved.count", 2); !strings.HasPrefix(got, "2 значения не согласованы") {
		t.Errorf("ru plural of 2 unresolved values = %q", got)
	}
}

// TestHeadingsWrapBetweenWords: a table heading too long for its column
// wraps between words, never inside one (the regional ranking's
// "орындалмады" came out as "орындалмад/ы").
func TestHeadingsWrapBetweenWords(t *testing.T) {
	for _, lang := range Languages {
		d := newDoc(lang, "t", "t", "t", time.Now())
		d.pdf.AddPage()
		headers := []string{tr(lang, "rank"), tr(lang, "facility"), tr(lang, "latest.visit"), tr(lang, "red.amber"), tr(lang, "worst"), tr(lang, "recs.counts")}
		tb := d.newTable(regionColumns, 7, headers...)
		for i, c := range tb.header {
			d.font(c.style, tb.fontSize(c))
			got := strings.Join(d.lines(c.text, regionColumns[i]-2), " ")
			if want := strings.Join(strings.Fields(c.text), " "); got != want {
				t.Errorf("%s: heading %q wraps as %q", lang, c.text, got)
			}
		}
	}
}

// TestFootnotesWrap: a citation longer than the line wraps onto more lines,
// all of it printed, and the room kept for the footnotes counts those lines.
func TestFootnotesWrap(t *testing.T) {
	d := newDoc("kk", "t", "t", "t", time.Now())
	d.pdf.AddPage()
	long := strings.Repeat("Азаптаудың алдын алу жөніндегі Еуропалық комитет ", 6)
	s := &Source{N: 3, Text: schema.Text{"en": long, "kk": long + ": толық мәтін"}}
	lines := d.footnote(s)
	if len(lines) < 2 {
		t.Fatalf("a long citation takes %d line(s); want it wrapped", len(lines))
	}
	got := strings.Join(lines, " ")
	if !strings.HasPrefix(got, "[3] "+strings.TrimSpace(strings.Join(strings.Fields(long), " "))) {
		t.Errorf("footnote printed as %q; want the whole citation", got)
	}
	if space := d.footnoteSpace([]*Source{s}); space < float64(len(lines))*fnLineH {
		t.Errorf("room kept %.1f mm for %d lines", space, len(lines))
	}
}
