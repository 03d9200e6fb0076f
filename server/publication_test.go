package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"inspecta/internal/exiffixture"
	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

// TestPublicationCheck: a location label that names a detainee is flagged
// on the coordinator's pre-approval screen and left out of the PDF and CSV
// until it is cleared; a changed label is checked again; the approval
// records the check and that the coordinator had it on screen.
func TestPublicationCheck(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hs := httptest.NewServer(server.New(db, nil))
	t.Cleanup(hs.Close)
	err = db.Write(ctx, func(tx *store.Tx) error {
		for _, u := range []store.NewUser{{Username: "coord", Role: "coordinator", Region: "KZ-KAR"}, {Username: "member", Role: "member", Region: "KZ-KAR"}} {
			u.Password = "publication-test-" + u.Username
			if _, err := tx.CreateUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	coord, err := isync.Login(ctx, nil, hs.URL, "coord", "publication-test-coord", "laptop")
	if err != nil {
		t.Fatal(err)
	}
	facility, visit, cell := uuid.NewString(), uuid.NewString(), uuid.NewString()
	named := "Cell 3 (detainee Ivanov I.I., b. 1985)"
	for _, op := range []struct {
		typ schema.RecordType
		id  string
		f   map[string]any
	}{
		{"facility", facility, map[string]any{"name": "[TEST] IVS No. 2", "type": "ivs", "region": "KZ-KAR"}},
		{"visit", visit, map[string]any{"facility_id": facility, "started_at": "2026-11-20T09:00:00Z", "status": "submitted"}},
		{"location", cell, map[string]any{"visit_id": visit, "label": named, "kind": "cell"}},
		{"location", uuid.NewString(), map[string]any{"visit_id": visit, "label": "Exercise yard", "kind": "yard"}},
	} {
		if _, err := coord.Upsert(op.typ, op.id, op.f); err != nil {
			t.Fatal(err)
		}
	}
	if err := coord.Push(ctx); err != nil {
		t.Fatal(err)
	}
	tok := coord.State.Token
	check := func() map[string]any {
		t.Helper()
		status, body := get(t, hs.URL, tok, "/api/v1/visits/"+visit+"/publication-check")
		if status != http.StatusOK {
			t.Fatalf("publication check = %d %s", status, body)
		}
		var out map[string]any
		json.Unmarshal([]byte(body), &out)
		return out
	}
	printed := func(what string) (pdf, csv bool) {
		t.Helper()
		_, p := get(t, hs.URL, tok, "/api/v1/facilities/"+facility+"/report.pdf?lang=en&unapproved=1")
		_, c := get(t, hs.URL, tok, "/api/v1/facilities/"+facility+"/report.csv?kind=observations&unapproved=1")
		if !strings.Contains(strings.Join(strings.Fields(p), " "), "Exercise yard") {
			t.Fatalf("%s: the report does not print the unflagged label at all; the check of the flagged one means nothing:\n%.1500s", what, p)
		}
		return strings.Contains(p, "Ivanov"), strings.Contains(c, "Ivanov")
	}

	c := check()
	texts := c["texts"].([]any)
	if len(texts) != 2 || c["flagged"].(float64) != 1 || c["withheld"].(float64) != 1 {
		t.Fatalf("check = %v; want 2 texts, 1 flagged and withheld", c)
	}
	if pdf, csv := printed("flagged"); pdf || csv {
		t.Errorf("a flagged, uncleared label is printed (PDF %v, CSV %v)", pdf, csv)
	}
	if status, _ := get(t, hs.URL, mustLogin(t, hs.URL, "member"), "/api/v1/visits/"+visit+"/publication-check"); status != http.StatusForbidden {
		t.Errorf("publication check as a member = %d; want 403", status)
	}

	deskCall(t, hs.URL, tok, "POST", "/api/v1/visits/"+visit+"/publication-check/clear",
		map[string]string{"record_type": "location", "record_id": cell, "field": "label"}, http.StatusOK)
	if c := check(); c["withheld"].(float64) != 0 {
		t.Errorf("after clearing, withheld = %v; want 0", c["withheld"])
	}
	if pdf, _ := printed("cleared"); !pdf { // the CSV lists a location only with a value
		t.Errorf("a cleared label is not printed in the PDF")
	}

	// Changed, it is checked again: the clearance was for the old text.
	if _, err := coord.Upsert("location", cell, map[string]any{"label": "Cell 3 (Ivanov I.I.)"}); err != nil {
		t.Fatal(err)
	}
	if err := coord.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if pdf, csv := printed("changed"); pdf || csv {
		t.Errorf("a changed, flagged label is printed on the old clearance (PDF %v, CSV %v)", pdf, csv)
	}

	digest := check()["digest"].(string)
	// A check that is not a digest is refused, not taken as "no check seen".
	deskCall(t, hs.URL, tok, "POST", "/api/v1/visits/"+visit+"/approve", map[string]any{"publication_check": 42}, http.StatusBadRequest)
	deskCall(t, hs.URL, tok, "POST", "/api/v1/visits/"+visit+"/approve", map[string]string{"publication_check": digest}, http.StatusOK)
	var rec store.PublicationCheck
	err = db.Read(ctx, func(tx *store.Tx) error {
		c, err := tx.LastPublicationCheck(visit)
		if c != nil {
			rec = *c
		}
		return err
	})
	if err != nil || rec.Texts != 2 || rec.Flagged != 1 || rec.Cleared != 0 || !rec.Seen {
		t.Errorf("recorded check = %+v, %v; want 2 texts, 1 flagged, 0 cleared, seen", rec, err)
	}
}

func mustLogin(t *testing.T, base, username string) string {
	t.Helper()
	c, err := isync.Login(context.Background(), nil, base, username, "publication-test-"+username, "phone")
	if err != nil {
		t.Fatal(err)
	}
	return c.State.Token
}

// TestPublicationCheckListsPhotoCaptions: the captions of the photos a
// report prints are on the publication check, and only those (not of a
// photo nobody cleared, of a confidential note, of a deleted place or a
// deleted photo); a flagged caption is withheld from the report until
// cleared there, as every printed free text is.
func TestPublicationCheckListsPhotoCaptions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	gone := f.newLocation("aida", f.visit, "Cell 14")
	seed := uint64(40)
	photo := func(location, caption string, clear bool) string {
		t.Helper()
		id, data := newUUID(), exiffixture.JPEG(64, 48, 80, 30, seed)
		seed++
		f.announce("aida", id, location, data, map[string]any{"caption": caption})
		if status, body := f.upload("aida", id, data); status != http.StatusOK || body["complete"] != true {
			t.Fatalf("upload = %d %v", status, body)
		}
		if clear {
			if status, body := f.api("POST", "/api/v1/photos/"+id+"/publication", "coord",
				map[string]any{"may_publish": true, "no_person_identifiable": true}); status != http.StatusOK {
				t.Fatalf("clear photo = %d %v", status, body)
			}
		}
		return id
	}
	named := photo(f.cell, "Bed of detainee Ivanov I.I.", true)
	firstName := photo(f.cell, "Where Serik slept", true) // the heuristic does not flag it: shown, printed
	whole := photo("", "Gate of the facility", true)
	photo(f.cell, "Uncleared, of Bolat", false)
	notePhoto := photo(f.cell, "Of the note, Dana", true)
	photo(gone, "Place deleted, Erlan", true)
	deleted := photo(f.cell, "Deleted, Timur", true)
	if status, body := f.api("DELETE", "/api/v1/photos/"+deleted, "coord", nil); status != http.StatusOK {
		t.Fatalf("delete photo = %d %v", status, body)
	}
	// A photo of a confidential note, and a place deleted after its photo
	// was cleared, are as the store keeps them.
	if err := f.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec("UPDATE photos SET note_id = ? WHERE id = ?", newUUID(), notePhoto); err != nil {
			return err
		}
		_, err := tx.Exec("UPDATE locations SET deleted = 1 WHERE id = ?", gone)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	check := func() map[string]map[string]any {
		t.Helper()
		out := map[string]map[string]any{}
		for _, p := range publicationTexts(t, f) {
			if p["record_type"] == "photo" {
				out[p["record_id"].(string)] = p
			}
		}
		return out
	}
	c := check()
	if len(c) != 3 || c[named] == nil || c[firstName] == nil || c[whole] == nil {
		t.Fatalf("captions on the check = %v; want those of the 3 printed photos", c)
	}
	if c[named]["printed"] != false || len(c[named]["flags"].([]any)) == 0 || c[firstName]["printed"] != true || c[whole]["printed"] != true {
		t.Errorf("check = %v; want the named caption flagged and withheld, the others printed", c)
	}
	// The check lists the captions of exactly the photos the report reads.
	var reported []*store.ReportPhoto
	if err := f.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		reported, err = tx.ReportPhotos(f.visit)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(reported) != len(c) {
		t.Errorf("the report reads %d photos, the check lists %d captions", len(reported), len(c))
	}
	for _, p := range reported {
		if c[p.ID] == nil {
			t.Errorf("the report reads photo %s whose caption the check does not list", p.ID)
		}
		if p.ID == named && (p.Caption != "" || !p.CaptionWithheld) {
			t.Errorf("the flagged caption reaches the report: %+v", p)
		}
	}
	report := func() string {
		t.Helper()
		_, pdf := get(t, f.hs.URL, f.tokens["coord"], "/api/v1/facilities/"+f.facility+"/report.pdf?lang=en&unapproved=1")
		pdf = strings.Join(strings.Fields(pdf), " ")
		if !strings.Contains(pdf, "Where Serik slept") || !strings.Contains(pdf, "Gate of the facility") {
			t.Fatalf("the report does not print the unflagged captions:\n%.2000s", pdf)
		}
		return pdf
	}
	if pdf := report(); strings.Contains(pdf, "Ivanov") {
		t.Errorf("the report prints a flagged, uncleared caption")
	}
	f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord",
		map[string]string{"record_type": "photo", "record_id": named, "field": "caption"})
	if c := check(); c[named]["printed"] != true || c[named]["cleared"] != true {
		t.Errorf("after clearing, the caption = %v; want cleared and printed", c[named])
	}
	if pdf := report(); !strings.Contains(pdf, "Ivanov") {
		t.Errorf("the report does not print a caption the coordinator cleared")
	}
}

// TestApprovedVisitClearsNothingMore: an approved visit's reports print what
// its publication check showed. Neither a text nor a photo (with its
// caption) is cleared for printing after the approval; a photo is still
// withdrawn from the reports.
func TestApprovedVisitClearsNothingMore(t *testing.T) {
	f := newFixture(t)
	named := f.newLocation("aida", f.visit, "Cell of detainee Ivanov I.I.")
	data, later := exiffixture.JPEG(64, 48, 80, 30, 60), exiffixture.JPEG(64, 48, 80, 30, 61)
	cleared, notYet := newUUID(), newUUID()
	for id, d := range map[string][]byte{cleared: data, notYet: later} {
		f.announce("aida", id, f.cell, d, nil)
		if status, body := f.upload("aida", id, d); status != http.StatusOK || body["complete"] != true {
			t.Fatalf("upload = %d %v", status, body)
		}
	}
	clear := map[string]any{"may_publish": true, "no_person_identifiable": true}
	if status, body := f.api("POST", "/api/v1/photos/"+cleared+"/publication", "coord", clear); status != http.StatusOK {
		t.Fatalf("clear photo = %d %v", status, body)
	}
	if status, body := f.approveAsShown("coord"); status != http.StatusOK {
		t.Fatalf("approve = %d %v", status, body)
	}
	if status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord",
		map[string]string{"record_type": "location", "record_id": named, "field": "label"}); status != http.StatusConflict {
		t.Errorf("clearing a text of an approved visit = %d %v; want 409", status, body)
	}
	if status, body := f.api("POST", "/api/v1/photos/"+notYet+"/publication", "coord", clear); status != http.StatusConflict {
		t.Errorf("clearing a photo of an approved visit = %d %v; want 409", status, body)
	}
	if status, body := f.api("POST", "/api/v1/photos/"+cleared+"/publication", "coord", map[string]any{"may_publish": false}); status != http.StatusOK {
		t.Errorf("withdrawing a photo of an approved visit = %d %v; want 200", status, body)
	}
	if n := f.count("SELECT count(*) FROM photos WHERE may_publish = 1"); n != 0 {
		t.Errorf("%d photos may be published; want none", n)
	}
	if n := f.count("SELECT count(*) FROM text_clearances"); n != 0 {
		t.Errorf("%d texts cleared after the approval; want none", n)
	}
}

// TestPublicationCheckRecommendationFieldsAndTextAnswers: a recommendation's
// category and addressee are typed as freely as its text, and a text answer
// cleared for publication is printed as a note is: each is on the check, and
// flagged it is printed (PDF, CSV) only once that very text is cleared.
func TestPublicationCheckRecommendationFieldsAndTextAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec := newUUID()
	f.mustPush("aida", f.op("aida", "recommendation", rec, map[string]any{"facility_id": f.facility, "visit_id": f.visit,
		"text": "Repair the window of cell 12", "category": "Complaint of Petrov P.P.", "addressee": "Family of detainee Sidorov S.S."}, nil))
	answer := f.observe("aida", f.cell, "disability_assistance_notes", "Detainee Kuznetsov K.K. has no wheelchair")
	// A coordinator cleared the answer for publication (as the store keeps it).
	if err := f.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(`INSERT INTO publication_clearances (record_type, record_id, field, cleared_by, cleared_at)
			VALUES ('observation', ?, 'value', ?, '2026-11-27T10:00:00Z')`, answer, f.users["coord"].ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	names := map[string]struct{ typ, id, field string }{
		"Petrov":    {"recommendation", rec, "category"},
		"Sidorov":   {"recommendation", rec, "addressee"},
		"Kuznetsov": {"observation", answer, "value"},
	}
	check := func() map[string]map[string]any {
		t.Helper()
		out := map[string]map[string]any{}
		for _, p := range publicationTexts(t, f) {
			out[p["record_type"].(string)+"/"+p["field"].(string)] = p
		}
		return out
	}
	printed := func(name string) []string {
		t.Helper()
		var where []string
		for _, path := range []string{"report.pdf?lang=en&unapproved=1", "report.csv?kind=recommendations&unapproved=1", "report.csv?kind=observations&unapproved=1"} {
			status, body := get(t, f.hs.URL, f.tokens["coord"], "/api/v1/facilities/"+f.facility+"/"+path)
			if status != http.StatusOK {
				t.Fatalf("%s = %d %s", path, status, body)
			}
			if strings.Contains(body, name) {
				where = append(where, path)
			}
		}
		return where
	}
	c := check()
	for name, w := range names {
		p := c[w.typ+"/"+w.field]
		if p == nil || p["record_id"] != w.id || p["printed"] != false || len(p["flags"].([]any)) == 0 {
			t.Errorf("%s/%s on the check = %v; want it flagged and withheld", w.typ, w.field, p)
		}
		if where := printed(name); len(where) > 0 {
			t.Errorf("the flagged, uncleared %s %s is printed in %v", w.typ, w.field, where)
		}
	}
	if where := printed("Repair the window"); len(where) == 0 {
		t.Fatal("the recommendation is not printed at all; the check of its fields means nothing")
	}
	for name, w := range names {
		if status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord",
			map[string]string{"record_type": w.typ, "record_id": w.id, "field": w.field}); status != http.StatusOK {
			t.Fatalf("clear %s/%s = %d %v", w.typ, w.field, status, body)
		}
		if where := printed(name); len(where) == 0 {
			t.Errorf("the cleared %s %s is printed nowhere", w.typ, w.field)
		}
	}
}

// TestPublicationCheckConsolidatedTextAnswer: the coordinator's consolidated
// text answer, cleared for publication, is on the check; flagged, it is
// printed only once that very text is cleared there.
func TestPublicationCheckConsolidatedTextAnswer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/consolidations", "coord", map[string]any{
		"location_id": f.cell, "item": "disability_assistance_notes",
		"value": "Detainee Kuznetsov K.K. has no wheelchair", "reason": "as seen by the team"}); status != http.StatusOK {
		t.Fatalf("consolidate = %d %v", status, body)
	}
	var id string
	if err := f.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow("SELECT id FROM consolidations WHERE visit_id = ? AND item = 'disability_assistance_notes'", f.visit).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO publication_clearances (record_type, record_id, field, cleared_by, cleared_at)
			VALUES ('consolidation', ?, 'value', ?, '2026-11-27T10:00:00Z')`, id, f.users["coord"].ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	entry := func() map[string]any {
		t.Helper()
		for _, p := range publicationTexts(t, f) {
			if p["record_type"] == "consolidation" && p["record_id"] == id && p["field"] == "value" {
				return p
			}
		}
		return nil
	}
	printed := func() bool {
		t.Helper()
		_, csv := get(t, f.hs.URL, f.tokens["coord"], "/api/v1/facilities/"+f.facility+"/report.csv?kind=observations&unapproved=1")
		_, pdf := get(t, f.hs.URL, f.tokens["coord"], "/api/v1/facilities/"+f.facility+"/report.pdf?lang=en&unapproved=1")
		return strings.Contains(csv, "Kuznetsov") || strings.Contains(pdf, "Kuznetsov")
	}
	if p := entry(); p == nil || p["printed"] != false || len(p["flags"].([]any)) == 0 {
		t.Errorf("the consolidated answer on the check = %v; want it flagged and withheld", p)
	}
	if printed() {
		t.Error("a flagged, uncleared consolidated answer is printed")
	}
	f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord",
		map[string]string{"record_type": "consolidation", "record_id": id, "field": "value"})
	if p := entry(); p == nil || p["printed"] != true {
		t.Errorf("after clearing, the consolidated answer on the check = %v; want printed", p)
	}
	if !printed() {
		t.Error("a cleared consolidated answer is not printed")
	}
}

// publicationTexts lists the texts of the fixture's visit on its publication
// check, as its coordinator sees them.
func publicationTexts(t *testing.T, f *fixture) []map[string]any {
	t.Helper()
	status, body := f.api("GET", "/api/v1/visits/"+f.visit+"/publication-check", "coord", nil)
	if status != http.StatusOK {
		t.Fatalf("publication check = %d %v", status, body)
	}
	var out []map[string]any
	for _, x := range body["texts"].([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

// TestRecommendationOfNoVisitIsOnTheCheck: a recommendation made at no visit
// (visit_id "", the coordinator's own, which reports print) is on the
// publication check of the visits of its facility, and a flagged one is
// printed (PDF, CSV) only once cleared there, as every printed free text.
func TestRecommendationOfNoVisitIsOnTheCheck(t *testing.T) {
	f := newFixture(t)
	plain, named := newUUID(), newUUID()
	f.mustPush("coord", f.op("coord", "recommendation", plain, map[string]any{"facility_id": f.facility,
		"text": "Ventilate the punishment cells daily", "category": "Ventilation"}, nil))
	f.mustPush("coord", f.op("coord", "recommendation", named, map[string]any{"facility_id": f.facility,
		"text": "Transfer detainee Kuznetsov K.K. to a hospital", "category": "Health"}, nil))
	printed := func(text string) []string { t.Helper(); return printedIn(t, f, "recommendations", text) }
	listed := map[string]map[string]any{}
	for _, p := range publicationTexts(t, f) {
		if p["field"] == "text" {
			listed[p["record_id"].(string)] = p
		}
	}
	if p := listed[plain]; p == nil || p["printed"] != true {
		t.Errorf("the plain recommendation of no visit on the check = %v; want listed, printed", p)
	}
	if p := listed[named]; p == nil || p["printed"] != false || len(p["flags"].([]any)) == 0 {
		t.Fatalf("the flagged recommendation of no visit on the check = %v; want listed, flagged, withheld", p)
	}
	if where := printed("punishment cells"); len(where) != 2 {
		t.Errorf("the plain recommendation of no visit is printed in %v; want the PDF and the CSV", where)
	}
	if where := printed("Kuznetsov"); len(where) > 0 {
		t.Errorf("the flagged, uncleared recommendation of no visit is printed in %v", where)
	}
	if status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord",
		map[string]string{"record_type": "recommendation", "record_id": named, "field": "text"}); status != http.StatusOK {
		t.Fatalf("clear = %d %v", status, body)
	}
	if where := printed("Kuznetsov"); len(where) != 2 {
		t.Errorf("the cleared recommendation of no visit is printed in %v; want the PDF and the CSV", where)
	}
}

// TestPlainTextAnswerPassesTheCheck: a text item its checklist says is not
// personal ("personal": false) is printed without a clearance for
// publication, but as every printed free text: on the check, and flagged
// (a name) printed (PDF, CSV) only once that very text is cleared.
func TestPlainTextAnswerPassesTheCheck(t *testing.T) {
	f := newFixture(t)
	f.signUp("admin", schema.RoleAdmin, "")
	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(ts[0])
	var m map[string]any
	json.Unmarshal(body, &m)
	m["version"] = ts[0].Version + 100 // above any version the server holds
	for _, x := range m["items"].([]any) {
		if it := x.(map[string]any); it["id"] == "disability_assistance_notes" {
			it["personal"] = false
		}
	}
	body, _ = json.Marshal(m)
	if status, answer := f.raw("POST", "/api/v1/checklist-versions?activate=1&name=plain.json", "admin", body); status != http.StatusOK {
		t.Fatalf("upload = %d %s", status, answer)
	}
	f.visit = f.newVisit("aida", "2026-11-27T09:00:00Z", f.users["aida"].ID, f.users["bolat"].ID)
	f.cell = f.newLocation("aida", f.visit, "Cell 3")
	other := f.newLocation("aida", f.visit, "Cell 4")
	named := f.observe("aida", f.cell, "disability_assistance_notes", "Detainee Kuznetsov K.K. has no wheelchair")
	f.observe("aida", other, "disability_assistance_notes", "No ramp at the entrance")
	printed := func(text string) []string { t.Helper(); return printedIn(t, f, "observations", text) }
	if where := printed("No ramp at the entrance"); len(where) != 2 {
		t.Fatalf("the plain text answer nothing flags is printed in %v; want the PDF and the CSV", where)
	}
	var listed map[string]any
	for _, p := range publicationTexts(t, f) {
		if p["record_id"] == named {
			listed = p
		}
	}
	if listed == nil || listed["printed"] != false || len(listed["flags"].([]any)) == 0 {
		t.Fatalf("the flagged plain text answer on the check = %v; want flagged and withheld", listed)
	}
	if where := printed("Kuznetsov"); len(where) > 0 {
		t.Errorf("the flagged, uncleared plain text answer is printed in %v", where)
	}
	if status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord",
		map[string]string{"record_type": "observation", "record_id": named, "field": "value"}); status != http.StatusOK {
		t.Fatalf("clear = %d %v", status, body)
	}
	if where := printed("Kuznetsov"); len(where) != 2 {
		t.Errorf("the cleared plain text answer is printed in %v; want the PDF and the CSV", where)
	}
}

// printedIn lists which of the facility's reports print text: its PDF and
// its CSV of kind, both with unapproved visits, as the coordinator gets them.
func printedIn(t *testing.T, f *fixture, kind, text string) []string {
	t.Helper()
	var where []string
	for _, path := range []string{"report.pdf?lang=en&unapproved=1", "report.csv?kind=" + kind + "&unapproved=1"} {
		status, body := get(t, f.hs.URL, f.tokens["coord"], "/api/v1/facilities/"+f.facility+"/"+path)
		if status != http.StatusOK {
			t.Fatalf("%s = %d %s", path, status, body)
		}
		if strings.Contains(body, text) {
			where = append(where, path)
		}
	}
	return where
}
