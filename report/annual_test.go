package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inspecta/demo"
	"inspecta/report"
	"inspecta/store"
	isync "inspecta/sync"
)

func date(s string) time.Time {
	d, err := report.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// addDisputedVisit records a 2025 visit of the fixture's facility whose one
// location the members disagree on: step-free route yes and no.
func (f *fixture) addDisputedVisit() {
	f.t.Helper()
	visit, loc := newID(), newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": f.facilityID, "kind": "follow_up",
			"started_at": "2025-03-04T10:00:00+05:00", "team": []string{f.m1.ID, f.m2.ID}})
		f.op(tx, f.coord, "location", loc, map[string]any{"visit_id": visit, "label": "Камера 9", "kind": "cell"})
		f.observe(tx, f.m1, visit, loc, "step_free_route", true, "")
		f.observe(tx, f.m2, visit, loc, "step_free_route", false, "")
		f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
	})
}

func standard(ar *report.AnnualReport, id string) report.StandardLine {
	for _, s := range ar.Standards {
		if s.ID == id {
			return s
		}
	}
	return report.StandardLine{}
}

// TestAnnualReportFigures checks the annual report's figures against the
// fixture: visits, the obstruction, recommendations and the standards.
func TestAnnualReportFigures(t *testing.T) {
	f := newFixture(t).build()
	f.addDisputedVisit()
	b := f.builder()
	ar, err := b.Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: "en", From: date("2023-01-01"), To: date("2023-12-31"), GeneratedBy: "Test Staff"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ar.Previous.From.Format("2006-01-02") + ".." + ar.Previous.To.Format("2006-01-02"); got != "2022-01-01..2022-12-31" {
		t.Errorf("previous period = %s; want 2022-01-01..2022-12-31", got)
	}
	if len(ar.VisitsByRegion) != 1 || ar.VisitsByRegion[0].Total != 1 || ar.VisitsByRegion[0].ByKind["regular"] != 1 {
		t.Errorf("visits by region = %+v; want one regular visit in KZ-KAR", ar.VisitsByRegion)
	}
	if len(ar.Obstructions) != 1 || !ar.Obstructions[0].Refused || !ar.Obstructions[0].Details {
		t.Errorf("obstructions = %+v; want the 2023 visit, refused with details", ar.Obstructions)
	}
	if r := ar.Recs; r.Made != 2 || r.Implemented != 1 || r.NotImplemented != 1 || r.Rate(r.Implemented) != 0.5 {
		t.Errorf("recommendations = %+v; want 2 made, 1 implemented (50 %%), 1 not", r)
	}
	if s := standard(ar, "space"); s.Below != 1 || s.Assessed != 1 || s.PrevAsses != 0 {
		t.Errorf("space = %+v; want 1 of 1 below, nothing before", s)
	}
	if s := standard(ar, "sanitation"); s.Below != 0 || s.Assessed != 1 {
		t.Errorf("sanitation = %+v; want 0 of 1 below (8 persons per toilet)", s)
	}
	if s := standard(ar, "disability"); s.Assessed != 0 {
		t.Errorf("disability = %+v; want not assessed in 2023", s)
	}
	text := pdfText(t, renderPDF(t, ar))
	checkNothingConfidential(t, "annual PDF", text)
	for _, want := range []string{"Annual report on places of detention", "Karaganda Region", "access refused",
		"refusal or delay described", "Space per person", "1 of 1", "50 %", facilityName, "Test Staff"} {
		if !has(text, want) {
			t.Errorf("annual PDF lacks %q", want)
		}
	}

	// 2025: the members disagree on the step-free route and no one decided;
	// the facility counts as below the standard (the worst answer recorded).
	// The visit is submitted, not approved: left out and counted, unless
	// the request includes it (provisionally).
	left, err := b.Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: "en", From: date("2025-01-01"), To: date("2025-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if left.Unapproved != 1 || left.VisitsByRegion[0].Total != 0 {
		t.Errorf("2025 without unapproved visits: %d unapproved, %d counted; want 1 and 0", left.Unapproved, left.VisitsByRegion[0].Total)
	}
	ar25, err := b.Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: "en", From: date("2025-01-01"), To: date("2025-12-31"), IncludeUnapproved: true})
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, renderPDF(t, ar25)); !has(text, "PROVISIONAL") {
		t.Error("an annual report including unapproved visits is not marked provisional")
	}
	if s := standard(ar25, "disability"); s.Below != 1 {
		t.Errorf("2025 disability = %+v; want the unresolved step-free route counted as below", s)
	}
	if ar25.VisitsByRegion[0].ByKind["follow_up"] != 1 {
		t.Errorf("2025 visits = %+v; want one follow-up", ar25.VisitsByRegion)
	}

	var buf bytes.Buffer
	if err := ar.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
		t.Error("CSV has no UTF-8 BOM")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[0]+"/"+r[1]+"/"+r[4]] = r[6] + "|" + r[7]
	}
	for key, want := range map[string]string{
		"visits/KZ-KAR/regular":             "|1",
		"standard//space.below":             "0|1",
		"standard//disability.assessed":     "0|0",
		"recommendations//made":             "|2",
		"recommendations//implemented.rate": "|0.5",
		"obstruction/KZ-KAR/access_refused": "|2023-01-18",
		"period//from":                      "2022-01-01|2023-01-01",
		"meta//unapproved":                  "|0",
		"meta//provisional":                 "|false",
	} {
		if got[key] != want {
			t.Errorf("CSV %s = %q; want %q", key, got[key], want)
		}
	}
	// 2025 has a visit not yet approved: the CSV says it was left out, or
	// taken in and the figures provisional.
	for _, include := range []bool{false, true} {
		ar, err := b.Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: "en", From: date("2025-01-01"), To: date("2025-12-31"), IncludeUnapproved: include})
		if err != nil {
			t.Fatal(err)
		}
		rows := csvRows(t, ar.WriteCSV)
		got := map[string]string{}
		for _, r := range rows[1:] {
			got[r[0]+"/"+r[4]] = r[7]
		}
		if got["meta/unapproved"] != "1" || got["meta/provisional"] != fmt.Sprint(include) {
			t.Errorf("2025 CSV (unapproved included: %v): unapproved %q, provisional %q; want 1, %v", include, got["meta/unapproved"], got["meta/provisional"], include)
		}
	}
	if strings.Contains(buf.String(), plantedName) {
		t.Error("CSV carries a personal text")
	}
}

// TestAnnualReportDemo builds the annual report of the demo's 2024 and 2025
// in every language: it carries the organisation of the demo settings and
// the facility names in the report's language, and each year's previous
// period agrees with the year before.
func TestAnnualReportDemo(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.PasswordCost = store.MinPasswordCost // the demo users' passwords protect nothing in a test
	defer db.Close()
	if _, err := demo.Load(ctx, db, isync.NewEngine(db)); err != nil {
		t.Fatal(err)
	}
	b := report.NewBuilder(db)
	titles := map[string]string{"ru": "Годовой доклад", "kk": "жылдық баяндама", "en": "Annual report"}
	orgs := map[string]string{"ru": "Коалиция НПО Казахстана", "kk": "ҮЕҰ коалициясы", "en": "NGO Coalition of Kazakhstan"}
	// A word of a facility name that exists only in that language.
	names := map[string]string{"ru": "Следственный изолятор", "kk": "тергеу изоляторы", "en": "Pre-trial detention facility"}
	byYear := map[string]*report.AnnualReport{}
	for _, year := range []string{"2024", "2025"} {
		for _, lang := range report.Languages {
			ar, err := b.Annual(ctx, nil, report.Request{Lang: lang, From: date(year + "-01-01"), To: date(year + "-12-31"), GeneratedBy: "Demo Staff"})
			if err != nil {
				t.Fatal(err)
			}
			byYear[year] = ar
			text := pdfText(t, renderPDF(t, ar))
			for _, want := range []string{titles[lang], orgs[lang], names[lang], "[DEMO]"} {
				if !has(text, want) {
					t.Errorf("%s %s: PDF lacks %q", year, lang, want)
				}
			}
			for other, n := range names {
				if other != lang && has(text, n) {
					t.Errorf("%s %s: PDF prints the %s name %q", year, lang, other, n)
				}
			}
			if has(text, "Национальный превентивный механизм против пыток, Республика Казахстан") {
				t.Errorf("%s %s: the old hard-coded header is back", year, lang)
			}
		}
	}
	for i, s := range byYear["2025"].Standards {
		prior := byYear["2024"].Standards[i]
		if s.PrevBelow != prior.Below || s.PrevAsses != prior.Assessed {
			t.Errorf("%s: 2025's previous period %d of %d; 2024's report says %d of %d", s.ID, s.PrevBelow, s.PrevAsses, prior.Below, prior.Assessed)
		}
		if s.Below > s.Assessed {
			t.Errorf("%s: %d below of %d assessed", s.ID, s.Below, s.Assessed)
		}
	}
	if _, err := b.Annual(ctx, nil, report.Request{Lang: "en", From: date("2025-01-01")}); err != report.ErrAnnualPeriod {
		t.Errorf("annual report with no end = %v; want ErrAnnualPeriod", err)
	}
	if _, err := b.Annual(ctx, []string{"KZ-XXX"}, report.Request{Lang: "en", From: date("2025-01-01"), To: date("2025-12-31")}); err == nil {
		t.Error("annual report of an unknown region: no error")
	}
}

// csvRows is what write writes, read as CSV without its UTF-8 byte-order mark.
func csvRows(t *testing.T, write func(io.Writer) error) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
