package report_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"inspecta/report"
	"inspecta/schema"
	"inspecta/store"
)

// careVisit is one visit of a care home: its checklist, and one place with
// its floor area for four persons.
type careVisit struct {
	start, checklist, kind string
	area                   float64
	more                   map[string]any // other answers about the place
}

// careHistory is a social-care home visited four times on the general
// checklist (which judges floor space by the CPT's 4 m² prison minimum:
// 10 m² for 4 persons is red) and then, since the per-facility-type
// checklists, on kz-social-care (which knows no authoritative figure for a
// shared room: 6 m² for 4 persons is shown for comparison only).
var careHistory = []careVisit{
	{"2020-03-10T10:00:00+05:00", "kz-npm-default", "cell", 10, nil},
	{"2021-03-10T10:00:00+05:00", "kz-npm-default", "cell", 10, nil},
	{"2022-03-10T10:00:00+05:00", "kz-npm-default", "cell", 10, nil},
	{"2023-03-10T10:00:00+05:00", "kz-npm-default", "cell", 10, nil},
	{"2024-02-06T10:00:00+05:00", "kz-social-care", "room", 6, nil},
}

// buildCareHome records the visits, approved, of a new social-care home of
// KZ-KAR named name; it becomes the fixture's facility.
func (f *fixture) buildCareHome(name string, visits []careVisit) *fixture {
	f.t.Helper()
	f.facilityID = newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "facility", f.facilityID, map[string]any{"name": name, "type": "social_care",
			"region": "KZ-KAR", "authority": "МТСЗН", "address": "г. Караганда", "capacity": 100})
	})
	for _, c := range visits {
		visit, loc := newID(), newID()
		f.visits = append(f.visits, visit)
		f.write(func(tx *store.Tx) {
			f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": f.facilityID, "kind": "regular", "checklist": c.checklist,
				"started_at": c.start, "team": []string{f.m1.ID, f.m2.ID}})
			f.op(tx, f.coord, "location", loc, map[string]any{"visit_id": visit, "label": "Room 1", "kind": c.kind})
			for _, m := range []*store.User{f.m1, f.m2} {
				f.observe(tx, m, visit, loc, "cell_area_m2", c.area, "")
				f.observe(tx, m, visit, loc, "persons_present", 4, "")
				if c.kind == "cell" {
					f.observe(tx, m, visit, loc, "location_type", "multiple", "")
				}
				for item, v := range c.more {
					f.observe(tx, m, visit, loc, item, v, "")
				}
			}
			f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
		})
		f.approve(visit)
	}
	return f
}

// checklistIndicator is an indicator of a checklist of the catalog.
func checklistIndicator(t *testing.T, f *fixture, checklist, id string) *schema.Indicator {
	t.Helper()
	cat, err := f.db.Checklists(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := cat.Template(checklist)
	if tmpl == nil {
		t.Fatalf("no checklist %s in the catalog", checklist)
	}
	ind, ok := tmpl.Indicator(id)
	if !ok {
		t.Fatalf("checklist %s has no indicator %s", checklist, id)
	}
	return ind
}

// sourceNumber is the number the report gives a source text, 0 when uncited.
func sourceNumber(sources []*report.Source, text schema.Text) int {
	for _, s := range sources {
		if s.Text.In("en") == text.In("en") {
			return s.N
		}
	}
	return 0
}

var footnoteMark = regexp.MustCompile(`\[(\d+)\]`)

// checkEverySourceInAnnex checks that every footnote mark of the text is a
// source of the report and that the annex gives each in full.
func checkEverySourceInAnnex(t *testing.T, lang, text string, sources []*report.Source) {
	t.Helper()
	for _, m := range footnoteMark.FindAllStringSubmatch(text, -1) {
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > len(sources) {
			t.Errorf("%s: the text cites [%d]; the report has %d sources", lang, n, len(sources))
		}
	}
	for _, s := range sources {
		if !has(text, s.Text.In(lang)) {
			t.Errorf("%s: source [%d] %.60q is not in the annex", lang, s.N, s.Text.In(lang))
		}
	}
}

var standardWord = map[string]string{"en": "Standard", "ru": "Стандарт", "kk": "Стандарт"}

// TestEachVisitCitesItsOwnChecklist checks that a facility visited on two
// checklists that give one indicator different standards and sources shows
// each visit with its own: the summary line reads as the latest visit's
// (label, standard, source), earlier visits judged otherwise cite theirs in
// their cells, the trends and the chart alike, and the annex gives both.
func TestEachVisitCitesItsOwnChecklist(t *testing.T) {
	f := newFixture(t).buildCareHome("Дом-интернат (тест)", careHistory)
	prison := checklistIndicator(t, f, "kz-npm-default", "space_per_person")
	care := checklistIndicator(t, f, "kz-social-care", "space_per_person")
	if prison.Source.In("en") == care.Source.In("en") || prison.Verify || !care.Verify {
		t.Fatal("the checklists no longer differ on space_per_person: the test tests nothing")
	}
	for _, lang := range report.Languages {
		r, err := f.builder().Facility(f.ctx, f.facilityID, report.Request{Lang: lang, Now: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		var line *report.SummaryLine
		for _, l := range r.Summary {
			if l.Indicator.ID == "space_per_person" {
				line = l
			}
		}
		if line == nil {
			t.Fatalf("%s: no summary line for space_per_person", lang)
		}
		if line.Latest.Band != schema.BandContext || line.PerVisit[0].Band != schema.BandRed {
			t.Fatalf("%s: bands %s then %s; want red on the general checklist, context on the social-care one", lang, line.PerVisit[0].Band, line.Latest.Band)
		}
		if line.Indicator.Label.In(lang) != care.Label.In(lang) || line.Source == nil || line.Source.Text.In(lang) != care.Source.In(lang) {
			t.Errorf("%s: the summary line reads %q citing %.50q; want the latest visit's %q citing %.50q", lang,
				line.Indicator.Label.In(lang), line.Source.Text.In(lang), care.Label.In(lang), care.Source.In(lang))
		}
		nPrison, nCare := sourceNumber(r.Sources, prison.Source), sourceNumber(r.Sources, care.Source)
		if nPrison == 0 || nCare == 0 {
			t.Fatalf("%s: sources %d (prison) and %d (care); want both cited", lang, nPrison, nCare)
		}
		for vi := range r.Visits {
			if want := vi < 4; line.Differs(vi) != want {
				t.Errorf("%s: Differs(%d) = %v; want %v", lang, vi, line.Differs(vi), want)
			}
		}

		pdf := renderPDF(t, r)
		text := pdfText(t, pdf)
		careStd, prisonStd := report.StandardText(lang, care), report.StandardText(lang, prison)
		for _, want := range []string{
			careStd + fmt.Sprintf(" [%d]", nCare),                                 // the line's standard, and the latest visit's tables
			standardWord[lang] + ": " + prisonStd + fmt.Sprintf(" [%d]", nPrison), // earlier visits' cells in the summary
			fmt.Sprintf("2.5 [%d]", nPrison),                                      // the trends (2,5 in ru and kk)
			"): " + prisonStd + fmt.Sprintf(" [%d]", nPrison),                     // the chart: "Standard (10 Mar 2020, …): ≥ 4 m²/person [2]"
			care.Label.In(lang), prison.Label.In(lang),
		} {
			if lang != "en" && strings.HasPrefix(want, "2.5") {
				want = strings.Replace(want, "2.5", "2,5", 1)
			}
			if !has(text, want) {
				t.Errorf("%s: PDF lacks %q", lang, want)
			}
		}
		for _, bad := range []string{careStd + fmt.Sprintf(" [%d]", nPrison), prisonStd + fmt.Sprintf(" [%d]", nCare)} {
			if has(text, bad) {
				t.Errorf("%s: PDF prints %q: one checklist's standard with another's source", lang, bad)
			}
		}
		checkEverySourceInAnnex(t, lang, text, r.Sources)
		if lang == "en" {
			checkChartStandards(t, pdf)
		}
		// The earlier visits' pages head their findings as theirs, not the latest visit's.
		if n := strings.Count(strings.Join(strings.Fields(text), ""), strings.Join(strings.Fields(latestFindings[lang]), "")); n != 1 {
			t.Errorf("%s: %q printed %d times; want once (the summary), the earlier visits' pages head their own", lang, latestFindings[lang], n)
		}
	}
}

var latestFindings = map[string]string{"en": "Key findings at the latest visit", "ru": "Основные недостатки, выявленные при последнем посещении", "kk": "Соңғы баруда анықталған негізгі кемшіліктер"}

var notJudged = map[string]string{"en": "not judged, comparison only: 1", "ru": "без оценки, справочно: 1", "kk": "бағаланбаған, анықтама үшін: 1"}

// TestAnnualComparisonOnlyIsNotJudged checks that a figure shown for
// comparison only (a care home's floor space, which its checklist judges by
// no standard) does not count the facility as meeting the standard: 1.5 m²
// per resident in 2024 is counted apart, not as "0 of 1 below", while 2023,
// on the general checklist, is judged by the CPT minimum.
func TestAnnualComparisonOnlyIsNotJudged(t *testing.T) {
	f := newFixture(t).buildCareHome("Дом-интернат (тест)", careHistory)
	ofOne := map[string]string{"en": "0 of 1", "ru": "0 из 1", "kk": "1 ішінен 0"}
	for _, lang := range report.Languages {
		ar, err := f.builder().Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: lang, From: date("2024-01-01"), To: date("2024-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		s := standard(ar, "space")
		if s.Assessed != 0 || s.Below != 0 || s.NotJudged != 1 {
			t.Errorf("%s: 2024 space = %d of %d below, %d not judged; want none assessed and 1 not judged", lang, s.Below, s.Assessed, s.NotJudged)
		}
		if s.PrevAsses != 1 || s.PrevBelow != 1 || s.PrevNotJudged != 0 {
			t.Errorf("%s: 2023 space = %d of %d below, %d not judged; want 1 of 1 below (2.5 m² against the CPT's 4)", lang, s.PrevBelow, s.PrevAsses, s.PrevNotJudged)
		}
		text := pdfText(t, renderPDF(t, ar))
		if !has(text, notJudged[lang]) {
			t.Errorf("%s: the annual PDF does not count the comparison-only figure (%q)", lang, notJudged[lang])
		}
		if has(text, ofOne[lang]) {
			t.Errorf("%s: the annual PDF prints %q: a comparison-only figure counted as meeting the standard", lang, ofOne[lang])
		}
		if lang != "en" {
			continue
		}
		rows := csvRows(t, ar.WriteCSV)
		got := map[string]string{}
		for _, r := range rows[1:] {
			got[r[0]+"/"+r[4]] = r[6] + "|" + r[7]
		}
		for key, want := range map[string]string{"standard/space.below": "1|0", "standard/space.assessed": "1|0", "standard/space.not_judged": "0|1"} {
			if got[key] != want {
				t.Errorf("annual CSV %s = %q; want %q (previous|this period)", key, got[key], want)
			}
		}
	}
}

// TestRegionComparisonOnlyIsNoPass checks that the regional summary does not
// colour a facility green whose latest visit gave only a figure shown for
// comparison, and says how many such figures it gave; a facility that also
// met a standard (a warm enough room) is green.
func TestRegionComparisonOnlyIsNoPass(t *testing.T) {
	f := newFixture(t).buildCareHome("Дом-интернат (тест)", careHistory)
	comparisonOnly := f.facilityID
	f.buildCareHome("Дом-интернат № 2 (тест)", []careVisit{{"2024-04-02T10:00:00+05:00", "kz-social-care", "room", 6, map[string]any{"air_temperature_c": 21.0}}})
	want := map[string]string{comparisonOnly: schema.BandContext, f.facilityID: schema.BandGreen}
	for _, lang := range report.Languages {
		rr, err := f.builder().Region(f.ctx, "KZ-KAR", report.Request{Lang: lang, From: date("2024-01-01"), To: date("2024-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		if len(rr.Facilities) != 2 || rr.Facilities[0].Latest() == nil || rr.Facilities[1].Latest() == nil {
			t.Fatalf("%s: %d facilities; want the two care homes, visited in 2024", lang, len(rr.Facilities))
		}
		for _, fr := range rr.Facilities {
			if band := report.WorstJudged(fr.Latest()); band != want[fr.Facility.ID] {
				t.Errorf("%s: %s's latest visit is coloured %q; want %q", lang, fr.Facility.Name, band, want[fr.Facility.ID])
			}
		}
		if text := pdfText(t, renderPDF(t, rr)); !has(text, notJudged[lang]) {
			t.Errorf("%s: the regional PDF does not say the figure is shown for comparison only (%q)", lang, notJudged[lang])
		}
	}
}

// Dashed standard lines in the chart's drawing operators: the colour (red
// for a standard, grey for a figure shown for comparison), the width, the
// dash pattern.
var (
	dashedRed  = regexp.MustCompile(`0\.784 0\.118 0\.118 RG\n[\d.]+ w\n\[[\d. ]+\] 0\.00 d\n`)
	dashedGrey = regexp.MustCompile(`0\.471 G\n[\d.]+ w\n\[[\d. ]+\] 0\.00 d\n`)
)

// checkChartStandards checks that the chart of floor space draws each
// visit's own standard: the CPT minimum (red) behind the general checklist's
// visits, the comparison-only figure (grey) behind the care checklist's.
func checkChartStandards(t *testing.T, pdf []byte) {
	t.Helper()
	all := bytes.Join(report.PDFStreams(t, pdf), []byte("\n"))
	if !dashedRed.Match(all) || !dashedGrey.Match(all) {
		t.Errorf("the chart draws a red standard line %v and a grey one %v; want both, each behind its own visits",
			dashedRed.Match(all), dashedGrey.Match(all))
	}
}
