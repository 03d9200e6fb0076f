package report_test

import (
	"io"
	"slices"
	"strings"
	"testing"

	"inspecta/report"
	"inspecta/store"
)

// TestCSVDropsBidiControls: a text with bidi controls is written to a CSV in
// the order it was stored and checked (a spreadsheet would show the letters
// after U+202E reversed), and a formula behind one is still guarded.
func TestCSVDropsBidiControls(t *testing.T) {
	f := newFixture(t).build()
	visit, loc, formula := newID(), newID(), newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": f.facilityID, "kind": "regular",
			"started_at": "2025-03-04T10:00:00+05:00", "team": []string{f.m1.ID, f.m2.ID}})
		f.op(tx, f.coord, "location", loc, map[string]any{"visit_id": visit, "label": "Камера \u202e9 кол\u202c", "kind": "cell"})
		f.op(tx, f.coord, "location", formula, map[string]any{"visit_id": visit, "label": "\u202e=1+1", "kind": "cell"})
		f.observe(tx, f.m1, visit, loc, "step_free_route", true, "")
		f.observe(tx, f.m2, visit, loc, "step_free_route", true, "")
		f.observe(tx, f.m1, visit, formula, "step_free_route", true, "")
		f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
	})
	f.approve(visit)
	r, err := f.builder().Facility(f.ctx, f.facilityID, report.Request{Lang: "en", From: date("2025-03-01"), To: date("2025-03-31")})
	if err != nil {
		t.Fatal(err)
	}
	rows := csvRows(t, func(w io.Writer) error { return r.WriteCSV(w, report.CSVObservations) })
	col := slices.Index(rows[0], "location_label")
	labels := map[string]bool{}
	for _, row := range rows[1:] {
		labels[row[col]] = true
		if strings.ContainsAny(row[col], "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
			t.Errorf("CSV cell %q keeps a bidi control", row[col])
		}
	}
	if !labels["Камера 9 кол"] || !labels["'=1+1"] {
		t.Errorf("location labels in the CSV = %v; want «Камера 9 кол» and the guarded «'=1+1»", labels)
	}
}
