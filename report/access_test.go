package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"inspecta/report"
	"inspecta/store"
)

const plantedObstructionNote = "PLANTED-OBSTRUCTION-NOTE the deputy head Testname Testov said no"

// accessFixture is a region with two facilities. Facility A: two approved
// visits; at the first, access to an area and to documents was refused, a
// person was produced after 30 minutes, the team waited 45 minutes at the
// gate, and six persons were interviewed; at the second, four. Facility B:
// one visit, two interviews.
type accessFixture struct {
	*fixture
	facilityB  string
	visitsA    []string
	visitB     string
	interviews map[string][]string // by visit: interview ids, in order
}

// interview is one interview's answers.
type interview struct {
	private, consent, fear, followUp bool
	complaints                       []string
}

func newAccessFixture(t *testing.T) *accessFixture {
	f := &accessFixture{fixture: newFixture(t), interviews: map[string][]string{}}
	f.facilityID, f.facilityB = newID(), newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "facility", f.facilityID, map[string]any{"name": "IVS A (test)", "type": "ivs", "region": "KZ-KAR"})
		f.op(tx, f.coord, "facility", f.facilityB, map[string]any{"name": "IVS B (test)", "type": "ivs", "region": "KZ-KAR"})
	})
	// Visit A1: consent 4 of 6 (the 2 without are withheld through the
	// complement), fear 1, health 2, legal 5 of 6 (complement 1).
	a1 := []interview{
		{true, true, true, true, []string{"ill_treatment", "conditions", "health", "legal"}},
		{true, true, false, true, []string{"ill_treatment", "conditions", "health", "legal"}},
		{true, true, false, true, []string{"ill_treatment", "conditions", "legal"}},
		{true, true, false, false, []string{"conditions", "legal"}},
		{true, false, false, false, []string{"conditions", "legal"}},
		{true, false, false, false, []string{"conditions"}},
	}
	// Visit A2: health 2 again, so that the facility's period total (4)
	// would be printable on its own: it is withheld because it adds up
	// withheld counts.
	a2 := []interview{
		{true, true, false, false, []string{"conditions", "health"}},
		{true, true, false, false, []string{"conditions", "health"}},
		{true, true, false, false, []string{"conditions"}},
		{true, true, false, false, []string{"conditions"}},
	}
	f.visitsA = append(f.visitsA, f.visit(f.facilityID, "2025-03-10T09:00:00+05:00", a1, true), f.visit(f.facilityID, "2025-06-10T09:00:00+05:00", a2, false))
	f.visitB = f.visit(f.facilityB, "2025-04-10T09:00:00+05:00", []interview{
		{true, true, false, true, []string{"health"}}, {true, true, false, false, nil}}, false)
	return f
}

func (f *accessFixture) visit(facility, start string, ivs []interview, obstructed bool) string {
	visit := newID()
	f.write(func(tx *store.Tx) {
		fields := map[string]any{"facility_id": facility, "kind": "regular", "started_at": start,
			"team": []string{f.m1.ID, f.m2.ID}, "ombudsperson_rep_present": true, "team_size": 3, "rep_in_interviews": "no"}
		if obstructed {
			st, _ := time.Parse(time.RFC3339, start)
			fields["arrived_at"] = st.Format(time.RFC3339)
			fields["admitted_at"] = st.Add(45 * time.Minute).Format(time.RFC3339)
		}
		f.op(tx, f.coord, "visit", visit, fields)
		if obstructed {
			f.op(tx, f.m1, "obstruction", newID(), map[string]any{"visit_id": visit, "kind": "refused", "target": "area",
				"reason_given": "security", "note": plantedObstructionNote})
			f.op(tx, f.m1, "obstruction", newID(), map[string]any{"visit_id": visit, "kind": "refused", "target": "documents", "reason_given": "none_given"})
			f.op(tx, f.m2, "obstruction", newID(), map[string]any{"visit_id": visit, "kind": "delayed", "target": "person", "minutes": 30, "reason_given": "staff_absent"})
		}
		for i, iv := range ivs {
			id := newID()
			u := f.m1
			if i%2 == 1 {
				u = f.m2
			}
			f.op(tx, u, "interview", id, map[string]any{"visit_id": visit, "private_setting": iv.private, "consent": iv.consent,
				"fear_of_reprisal": iv.fear, "follow_up": iv.followUp, "complaints": iv.complaints, "present": []string{"none"}})
			f.interviews[visit] = append(f.interviews[visit], id)
		}
		f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
	})
	f.approve(visit)
	return visit
}

// set changes one interview's answers in the table (its visit is approved
// and locked to sync).
func (f *accessFixture) set(interviewID string, fields map[string]any) {
	f.write(func(tx *store.Tx) {
		for k, v := range fields {
			if list, ok := v.([]string); ok {
				b, _ := json.Marshal(list)
				v = string(b)
			}
			if _, err := tx.Exec("UPDATE interviews SET "+k+" = ? WHERE id = ?", v, interviewID); err != nil {
				f.t.Fatal(err)
			}
		}
	})
}

// exports renders everything a reader of the reports gets: the facility
// reports and the regional summary as PDF text, and every CSV.
func (f *accessFixture) exports(t *testing.T, lang string) map[string]string {
	t.Helper()
	now := time.Date(2025, 12, 1, 12, 0, 0, 0, time.UTC)
	out := map[string]string{}
	for name, id := range map[string]string{"A": f.facilityID, "B": f.facilityB} {
		r, err := f.builder().Facility(f.ctx, id, report.Request{Lang: lang, GeneratedBy: "Test Staff", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		out["facility "+name+" PDF"] = pdfText(t, renderPDF(t, r))
		for _, kind := range report.CSVKinds {
			var buf bytes.Buffer
			if err := r.WriteCSV(&buf, kind); err != nil {
				t.Fatal(err)
			}
			out["facility "+name+" CSV "+kind] = buf.String()
		}
	}
	rr, err := f.builder().Region(f.ctx, "KZ-KAR", report.Request{Lang: lang, GeneratedBy: "Test Staff", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	out["region PDF"] = pdfText(t, renderPDF(t, rr))
	for _, kind := range report.CSVKinds {
		var buf bytes.Buffer
		if err := rr.WriteCSV(&buf, kind); err != nil {
			t.Fatal(err)
		}
		out["region CSV "+kind] = buf.String()
	}
	return out
}

// accessRows reads the access CSV into maps by column name, one per visit.
func accessRows(t *testing.T, text string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

// TestObstructionAndInterviewCounts is Done-when 3 of issue 13: a visit with
// refused access, a delay and interviews gives, in the facility and regional
// reports (PDF and CSV), the obstruction counts and the interview counts
// with small counts withheld, and no interview detail.
func TestObstructionAndInterviewCounts(t *testing.T) {
	f := newAccessFixture(t)
	out := f.exports(t, "en")
	const fewer = "fewer than 3"

	// The CSV: one row per visit, obstruction as counts, small counts withheld.
	rows := accessRows(t, out["region CSV access"])
	if len(rows) != 3 {
		t.Fatalf("region access CSV has %d rows; want 3 visits", len(rows))
	}
	var a1 map[string]string
	for _, r := range rows {
		if r["visit_id"] == f.visitsA[0] {
			a1 = r
		}
	}
	want := map[string]string{
		"wait_minutes": "45", "team_size": "3", "team_cap": "3", "at_cap": "true", "refused_area": "1", "refused_documents": "1",
		"refused_person": "0", "delayed_person": "1", "longest_delay_minutes": "30", "reason_security": "1", "reason_none_given": "1",
		"reason_staff_absent": "1", "rep_in_interviews": "no",
		"interviews": "6", "interviews_private": "6", "interviews_follow_up": "3", "interviews_complaint_ill_treatment": "3",
		"interviews_complaint_conditions": "6", "interviews_complaint_contact": "0",
		// withheld: 1 or 2 persons, or 1 or 2 left of the 6
		"interviews_fear_of_reprisal": fewer, "interviews_complaint_health": fewer,
		"interviews_consent": fewer, "interviews_complaint_legal": fewer,
	}
	for col, w := range want {
		if got := a1[col]; got != w {
			t.Errorf("access CSV, visit A1, %s = %q; want %q", col, got, w)
		}
	}
	if !strings.Contains(a1["team_cap_source"], "verification") {
		t.Errorf("team cap source %q does not say it is for verification", a1["team_cap_source"])
	}

	// The PDFs: the same figures in words, the period's totals with every
	// total that adds a withheld count withheld too.
	fa := out["facility A PDF"]
	for _, s := range []string{"Access to the facility and interviews", "Wait at the gate", "45 min", "Access refused",
		"areas 1, documents 1", "Access delayed", "persons 1", "Longest delay or exclusion", "30 min",
		"security 1", "3 of at most 3 (cap for verification)", "Access refused or delayed Yes", "Persons interviewed in private", "complaint about: ill-treatment"} {
		if !strings.Contains(fa, s) {
			t.Errorf("facility PDF lacks %q", s)
		}
	}
	reg := out["region PDF"]
	for _, s := range []string{"Access to the facility and interviews", "Visits with a refusal", "IVS A (test)", "IVS B (test)", "areas 1, documents 1", "45 min", fewer} {
		if !strings.Contains(reg, s) {
			t.Errorf("region PDF lacks %q", s)
		}
	}
	// Facility A's period: 10 interviews, 4 with a health complaint — but
	// each visit's 2 were withheld, so the sum is too.
	r, err := f.builder().Facility(f.ctx, f.facilityID, report.Request{Lang: "en", Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	acc := r.Access()
	if acc.Interviews.Total.Withheld || acc.Interviews.Total.N != 10 {
		t.Errorf("facility A interviews = %+v; want 10, printed", acc.Interviews.Total)
	}
	if h := acc.Interviews.Figures["complaint:health"]; !h.Withheld {
		t.Errorf("facility A health complaints over the period = %+v; want withheld (it adds up withheld counts)", h)
	}
	if c := acc.Interviews.Figures["complaint:conditions"]; c.Withheld || c.N != 10 {
		t.Errorf("facility A conditions complaints = %+v; want 10, printed", c)
	}
	if acc.VisitsRefused != 1 || acc.VisitsDelayed != 1 || acc.Refused["area"] != 1 || acc.Delayed["person"] != 1 || acc.VisitsAtCap != 2 {
		t.Errorf("facility A obstruction = %+v", acc)
	}

	// The annual report lists the obstructed visit, with what was refused.
	from, _ := report.ParseDate("2025-01-01")
	to, _ := report.ParseDate("2025-12-31")
	ar, err := f.builder().Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: "en", From: from, To: to, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(ar.Obstructions) != 1 || ar.Obstructions[0].Visit.ID != f.visitsA[0] {
		t.Errorf("annual report obstructions = %d; want visit A1 only", len(ar.Obstructions))
	}
	var abuf bytes.Buffer
	if err := ar.WriteCSV(&abuf); err != nil {
		t.Fatal(err)
	}
	out["annual CSV"] = abuf.String()
	if !strings.Contains(abuf.String(), "access_refused") {
		t.Errorf("annual CSV has no access_refused row")
	}
	annual := pdfText(t, renderPDF(t, ar))
	out["annual PDF"] = annual
	if !strings.Contains(annual, "Access refused: areas 1, documents 1") || !strings.Contains(annual, "Wait at the gate: 45 min") {
		t.Errorf("annual PDF does not say what was refused and how long the team waited")
	}

	// No interview detail, no obstruction note, anywhere.
	for name, text := range out {
		for _, ids := range f.interviews {
			for _, id := range ids {
				if strings.Contains(text, id) {
					t.Errorf("%s contains interview id %s", name, id)
				}
			}
		}
		if strings.Contains(text, "PLANTED-OBSTRUCTION") || strings.Contains(text, "Testov") {
			t.Errorf("%s contains the obstruction's note", name)
		}
	}
}

// TestWithheldInterviewCountsCannotBeWorkedOut: changing interview answers
// that only withheld figures read — a count of 2 to 1, a complement of 2 to
// 1, a facility's withheld part — leaves every page and every CSV of every
// report identical, in every language.
func TestWithheldInterviewCountsCannotBeWorkedOut(t *testing.T) {
	f := newAccessFixture(t)
	for _, lang := range []string{"en", "ru"} {
		before := f.exports(t, lang)
		a1 := f.interviews[f.visitsA[0]]
		// health 2 -> 1 at visit A1 (the facility's period total 4 -> 3)
		f.set(a1[1], map[string]any{"complaints": []string{"ill_treatment", "conditions", "legal"}})
		// consent 4 -> 5 at visit A1 (those without: 2 -> 1)
		f.set(a1[4], map[string]any{"consent": true})
		// fear 1 -> 2
		f.set(a1[1], map[string]any{"fear_of_reprisal": true})
		// facility B: 2 interviews -> still 2, one follow-up -> two
		f.set(f.interviews[f.visitB][1], map[string]any{"follow_up": true})
		after := f.exports(t, lang)
		for name, b := range before {
			if after[name] != b {
				t.Errorf("%s (%s) changed when only withheld counts changed:\n%s", name, lang, firstDiff(b, after[name]))
			}
		}
		// Back as it was, for the next language.
		f.set(a1[1], map[string]any{"complaints": []string{"ill_treatment", "conditions", "health", "legal"}, "fear_of_reprisal": false})
		f.set(a1[4], map[string]any{"consent": false})
		f.set(f.interviews[f.visitB][1], map[string]any{"follow_up": false})
	}
}

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-120)
	return "before: …" + a[lo:min(len(a), i+120)] + "…\nafter:  …" + b[lo:min(len(b), i+120)] + "…"
}
