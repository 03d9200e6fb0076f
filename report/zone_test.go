package report_test

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"inspecta/report"
	"inspecta/store"
)

// TestKaragandaJanuary2024InUTCPlus6: Karaganda kept UTC+6 until 1 March
// 2024. A visit that started at 00:30 local time on 16 January 2024 (18:30
// UTC on the 15th) reads 16.01.2024 on every page of its report and in its
// CSV, and a time measured then reads 00:30; at UTC+5 it would read
// 15.01.2024 23:30. The period's bounds are days of the region too.
func TestKaragandaJanuary2024InUTCPlus6(t *testing.T) {
	f := newFixture(t)
	f.facilityID = newID()
	visit, loc, rec := newID(), newID(), newID()
	start := time.Date(2024, 1, 15, 18, 30, 0, 0, time.UTC)
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "facility", f.facilityID, map[string]any{"name": "IVS (zone test)", "type": "ivs", "region": "KZ-KAR"})
		f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": f.facilityID, "kind": "regular",
			"started_at": start.Format(time.RFC3339), "ended_at": start.Add(5 * time.Hour).Format(time.RFC3339), "team": []string{f.m1.ID}})
		f.op(tx, f.coord, "location", loc, map[string]any{"visit_id": visit, "label": "Cell 1", "kind": "cell"})
		f.observe(tx, f.m1, visit, loc, "location_type", "multiple", "")
		f.observe(tx, f.m1, visit, loc, "air_temperature_c", 15.0, "")
		f.observe(tx, f.m1, visit, loc, "air_temp_measured_at", start.Format(time.RFC3339), "")
		f.op(tx, f.coord, "recommendation", rec, map[string]any{"facility_id": f.facilityID, "visit_id": visit,
			"text": "Repair the heating.", "status": "open"})
		f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
	})
	f.approve(visit)
	b := report.NewBuilder(f.db)
	for _, lang := range report.Languages {
		day, wrong := "16.01.2024", "15.01.2024"
		if lang == "en" {
			day, wrong = "16 Jan 2024", "15 Jan 2024"
		}
		// The period 16 January (local) holds the visit.
		from, _ := report.ParseDate("2024-01-16")
		r, err := b.Facility(f.ctx, f.facilityID, report.Request{Lang: lang, From: from, To: from,
			Now: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Visits) != 1 {
			t.Fatalf("%s: the period of 16 January local time holds %d visits; want 1", lang, len(r.Visits))
		}
		text := pdfText(t, renderPDF(t, r))
		if !has(text, day) || !has(text, day+" 00:30") {
			t.Errorf("%s: %q or its time 00:30 missing", lang, day)
		}
		if has(text, wrong) || has(text, "23:30") {
			t.Errorf("%s: a date or time printed at UTC+5 (%s 23:30)", lang, wrong)
		}
		var csv bytes.Buffer
		if err := r.WriteCSV(&csv, report.CSVObservations); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(csv.Bytes(), []byte(",2024-01-16,")) || bytes.Contains(csv.Bytes(), []byte("2024-01-15,")) {
			t.Errorf("%s: CSV visit date is not 2024-01-16", lang)
		}
		if m := regexp.MustCompile(`UTC\+5\)`).FindString(text); m != "" && lang == "en" {
			t.Errorf("%s: the method still says dates are in UTC+5", lang)
		}
	}
}
