package report_test

import (
	"io"
	"slices"
	"strings"
	"testing"

	"inspecta/report"
	"inspecta/store"
)

// TestUnrecordedAccessPrintsNotRecorded: a visit that never set its
// access-refused flag and recorded nothing of its access (no time at the
// gate, team size, obstruction) prints "Access refused or delayed: not
// recorded", its access table "not recorded" for what was refused or
// delayed and its access CSV row empty counts, never a "No" or a 0 nobody
// gave; a visit that recorded its time at the gate prints "No".
func TestUnrecordedAccessPrintsNotRecorded(t *testing.T) {
	f := newFixture(t).build()
	silent, gate := newID(), newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "visit", silent, map[string]any{"facility_id": f.facilityID, "kind": "special",
			"started_at": "2024-09-02T10:00:00+05:00", "team": []string{f.m1.ID, f.m2.ID}, "announced": true, "ombudsperson_rep_present": false})
		f.op(tx, f.coord, "visit", gate, map[string]any{"facility_id": f.facilityID, "kind": "special",
			"started_at": "2024-10-02T10:00:00+05:00", "team": []string{f.m1.ID, f.m2.ID}, "announced": true, "ombudsperson_rep_present": false,
			"arrived_at": "2024-10-02T10:00:00+05:00", "admitted_at": "2024-10-02T10:00:00+05:00"})
		f.op(tx, f.coord, "visit", silent, map[string]any{"status": "submitted"})
		f.op(tx, f.coord, "visit", gate, map[string]any{"status": "submitted"})
	})
	f.approve(silent)
	f.approve(gate)
	build := func(from, to string) *report.FacilityReport {
		r, err := f.builder().Facility(f.ctx, f.facilityID, report.Request{Lang: "en", From: date(from), To: date(to)})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	r := build("2024-09-01", "2024-09-30")
	if len(r.Visits) != 1 || !r.Visits[0].AccessRefusedUnknown {
		t.Fatalf("visits = %+v; want the one visit, its access flag unknown", r.Visits)
	}
	text := pdfText(t, renderPDF(t, r))
	if !strings.Contains(text, "Access refused or delayed not recorded") {
		t.Errorf("report of a visit that recorded nothing of its access lacks «Access refused or delayed not recorded»:\n%s", text)
	}
	if strings.Contains(text, "Access refused or delayed No") {
		t.Error("report prints an unrecorded access as No")
	}
	if !strings.Contains(text, "Access refused not recorded") || !strings.Contains(text, "Access delayed not recorded") {
		t.Errorf("the access table of a visit that recorded nothing of its access does not say «not recorded»:\n%s", text)
	}
	rows := csvRows(t, func(w io.Writer) error { return r.WriteCSV(w, report.CSVAccess) })
	if len(rows) != 2 {
		t.Fatalf("access CSV = %v; want a header and one row", rows)
	}
	for i, col := range rows[0] {
		if strings.HasPrefix(col, "refused_") || strings.HasPrefix(col, "delayed_") || strings.HasPrefix(col, "reason_") || col == "longest_delay_minutes" {
			if rows[1][i] != "" {
				t.Errorf("access CSV %s = %q for a visit that recorded nothing of its access; want empty", col, rows[1][i])
			}
		}
	}

	r = build("2024-10-01", "2024-10-31")
	text = pdfText(t, renderPDF(t, r))
	if !strings.Contains(text, "Access refused or delayed No") {
		t.Errorf("report of a visit that recorded its time at the gate and no obstruction lacks «Access refused or delayed No»:\n%s", text)
	}
	rows = csvRows(t, func(w io.Writer) error { return r.WriteCSV(w, report.CSVAccess) })
	if i := slices.Index(rows[0], "refused_area"); i < 0 || rows[1][i] != "0" {
		t.Errorf("access CSV of a visit that recorded its access: %v; want refused_area 0", rows)
	}

	// The fixture's visits set the flag: the one refused prints Yes.
	if text := pdfText(t, renderPDF(t, build("2023-01-01", "2023-12-31"))); !strings.Contains(text, "Access refused or delayed Yes") {
		t.Errorf("report of a visit that set access refused lacks «Yes»:\n%s", text)
	}
}
