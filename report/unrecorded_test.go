package report_test

import (
	"strings"
	"testing"

	"inspecta/report"
	"inspecta/store"
)

// TestUnsetYesNoFieldsPrintNotRecorded: a visit that never set whether it
// was announced or accompanied by the Ombudsperson's representative prints
// "not recorded" there, never a "No" nobody answered; a visit that set them
// prints its answers.
func TestUnsetYesNoFieldsPrintNotRecorded(t *testing.T) {
	f := newFixture(t).build()
	visit := newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": f.facilityID, "kind": "special",
			"started_at": "2024-09-02T10:00:00+05:00", "team": []string{f.m1.ID, f.m2.ID}})
		f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
	})
	f.approve(visit)
	r, err := f.builder().Facility(f.ctx, f.facilityID, report.Request{Lang: "en", From: date("2024-09-01"), To: date("2024-09-30")})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Visits) != 1 || !r.Visits[0].AnnouncedUnknown || !r.Visits[0].RepPresentUnknown {
		t.Fatalf("visits = %+v; want the one visit, both fields unknown", r.Visits)
	}
	text := pdfText(t, renderPDF(t, r))
	for _, want := range []string{"Announced in advance not recorded", "Ombudsperson not recorded"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Announced in advance No") {
		t.Errorf("report prints an unanswered field as No")
	}

	// The fixture's visits set both: their answers are printed.
	known, err := f.builder().Facility(f.ctx, f.facilityID, report.Request{Lang: "en", From: date("2023-01-01"), To: date("2023-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if vm := known.Visits[0]; vm.AnnouncedUnknown || vm.RepPresentUnknown {
		t.Errorf("fixture visit = %+v; want both fields recorded", vm.ReportVisit)
	}
	if text := pdfText(t, renderPDF(t, known)); !strings.Contains(text, "Announced in advance No") {
		t.Errorf("report of a visit that answered No lacks it:\n%s", text)
	}
}
