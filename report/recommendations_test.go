package report_test

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"inspecta/report"
	"inspecta/store"
	isync "inspecta/sync"
)

// Texts of recommendations no report of approved visits may print.
const (
	recAtDraft     = "Recommendation made at a draft visit"
	recAtSubmitted = "Recommendation made at a submitted, unapproved visit"
	recAtDeleted   = "Recommendation made at a deleted visit"
	recAtDesk      = "Recommendation the coordinator recorded at the desk"
)

// addUnreviewedRecommendations adds, after the fixture's two approved
// visits, a draft visit, a submitted visit (at which the first fixture
// recommendation is marked implemented) and a deleted visit, each with a
// recommendation of its own, and a recommendation made at no visit. It
// returns the submitted visit.
func (f *fixture) addUnreviewedRecommendations() (submitted string) {
	f.t.Helper()
	var first string
	f.write(func(tx *store.Tx) {
		if err := tx.QueryRow(`SELECT id FROM recommendations WHERE facility_id = ? AND category = 'infrastructure'`, f.facilityID).Scan(&first); err != nil {
			f.t.Fatal(err)
		}
	})
	visit := func(start, status, text string) string {
		id := newID()
		f.write(func(tx *store.Tx) {
			f.op(tx, f.coord, "visit", id, map[string]any{"facility_id": f.facilityID, "kind": "follow_up",
				"started_at": start, "team": []string{f.m1.ID, f.m2.ID}})
			f.op(tx, f.m1, "recommendation", newID(), map[string]any{"facility_id": f.facilityID, "visit_id": id,
				"text": text, "category": "space", "addressee": "Director"})
			if status != "draft" {
				f.op(tx, f.coord, "visit", id, map[string]any{"status": status})
			}
		})
		return id
	}
	visit("2024-05-10T09:00:00+05:00", "draft", recAtDraft)
	submitted = visit("2024-06-10T09:00:00+05:00", "submitted", recAtSubmitted)
	deleted := visit("2024-07-10T09:00:00+05:00", "submitted", recAtDeleted)
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "recommendation", first, map[string]any{"status": "implemented", "checked_visit_id": submitted})
		res, err := f.engine.ApplyServerOp(tx, isync.Actor{UserID: f.coord.ID, Role: f.coord.Role, Region: f.coord.Region, DeviceID: "test-coord"},
			isync.Op{Type: "visit", ID: deleted, Action: "delete"})
		if err != nil || res.Status != isync.StatusApplied {
			f.t.Fatalf("delete visit: %v %+v", err, res)
		}
		f.op(tx, f.coord, "recommendation", newID(), map[string]any{"facility_id": f.facilityID,
			"text": recAtDesk, "category": "health", "addressee": "Director"})
	})
	return submitted
}

func recommendationTexts(recs []*store.ReportRecommendation) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Text)
	}
	return out
}

func recommendationStatus(recs []*store.ReportRecommendation, category string) *store.ReportRecommendation {
	for _, r := range recs {
		if r.Category == category {
			return r
		}
	}
	return nil
}

// TestReportsPrintOnlyReviewedRecommendations: a report of approved visits
// prints no recommendation made at a draft, deleted or unapproved visit, and
// no status recorded at one (the status is the last one recorded at an
// approved visit); a provisional report adds the unapproved visit's, never a
// draft's or a deleted one's. A recommendation made at no visit (only the
// coordinator may record one) is printed.
func TestReportsPrintOnlyReviewedRecommendations(t *testing.T) {
	f := newFixture(t).build()
	submitted := f.addUnreviewedRecommendations()
	b := f.builder()

	// The annual report leaves the unapproved visit out and says so: its
	// recommendation and the status given at it go too.
	ar, err := b.Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: "en", From: date("2024-01-01"), To: date("2024-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if ar.Unapproved != 1 {
		t.Errorf("unapproved = %d; want the submitted visit", ar.Unapproved)
	}
	fr := ar.Current[0]
	texts := recommendationTexts(fr.Recommendations)
	for _, bad := range []string{recAtDraft, recAtSubmitted, recAtDeleted} {
		if slices.Contains(texts, bad) {
			t.Errorf("annual report of approved visits prints %q", bad)
		}
	}
	if !slices.Contains(texts, recAtDesk) {
		t.Errorf("annual report lacks the coordinator's own recommendation: %q", texts)
	}
	if r := recommendationStatus(fr.Recommendations, "infrastructure"); r == nil || r.Status != "not_implemented" || r.CheckedVisitID != f.visits[1] {
		t.Errorf("first recommendation = %+v; want not_implemented as checked at the approved 2024 visit", r)
	} else {
		for _, h := range r.History {
			if h.VisitID == submitted {
				t.Errorf("history prints the status given at the unapproved visit: %+v", r.History)
			}
		}
	}

	// A facility report over a later period: the submitted visit is before
	// it (so not an unapproved visit of the period), its recommendation
	// still is not printed.
	later, err := b.Facility(f.ctx, f.facilityID, report.Request{Lang: "en", From: date("2025-01-01"), To: date("2025-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if texts := recommendationTexts(later.Recommendations); slices.Contains(texts, recAtSubmitted) || slices.Contains(texts, recAtDraft) || slices.Contains(texts, recAtDeleted) {
		t.Errorf("facility report of approved visits prints unreviewed recommendations: %q", texts)
	}

	// Provisional: the submitted visit's recommendation and status are in,
	// a draft's and a deleted visit's never.
	prov, err := b.Facility(f.ctx, f.facilityID, report.Request{Lang: "en", IncludeUnapproved: true})
	if err != nil {
		t.Fatal(err)
	}
	texts = recommendationTexts(prov.Recommendations)
	if !slices.Contains(texts, recAtSubmitted) || slices.Contains(texts, recAtDraft) || slices.Contains(texts, recAtDeleted) {
		t.Errorf("provisional report prints %q; want the submitted visit's, not the draft's or the deleted visit's", texts)
	}
	if r := recommendationStatus(prov.Recommendations, "infrastructure"); r == nil || r.Status != "implemented" {
		t.Errorf("provisional: first recommendation = %+v; want implemented, as checked at the submitted visit", r)
	}
	// Its CSV marks what rests on the unapproved visit.
	rows := csvRows(t, func(w io.Writer) error { return prov.WriteCSV(w, report.CSVRecommendations) })
	col := slices.Index(rows[0], "provisional")
	if col < 0 {
		t.Fatalf("recommendations CSV has no provisional column: %q", rows[0])
	}
	for _, r := range rows[1:] {
		want := strings.Contains(r[8], recAtSubmitted) || r[6] == "infrastructure" // made, or checked, at the submitted visit
		if r[col] != fmt.Sprint(want) {
			t.Errorf("CSV row %q: provisional %s; want %v", r[8], r[col], want)
		}
	}
}
