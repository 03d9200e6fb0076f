package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"inspecta/internal/exiffixture"
	"inspecta/schema"
	"inspecta/store"
)

// TestCaptionWithheldApartFromPhoto: a caption nothing flags may still tell
// who is on the photo ("Where Serik slept"). The coordinator withholds it
// on the publication check and the report prints the photo without it; so
// it does for a flagged caption already cleared, and for a place's label
// (printed as its number). Withholding is done even after the approval (it
// prints less); printing again is not (409 locked), as a clearance is not.
func TestCaptionWithheldApartFromPhoto(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	yard := f.newLocation("aida", f.visit, "Yard of Serik")
	photo := func(caption string, seed uint64) string {
		t.Helper()
		id, data := newUUID(), exiffixture.JPEG(64, 48, 80, 30, seed)
		f.announce("aida", id, f.cell, data, map[string]any{"caption": caption})
		if status, body := f.upload("aida", id, data); status != http.StatusOK || body["complete"] != true {
			t.Fatalf("upload = %d %v", status, body)
		}
		if status, body := f.api("POST", "/api/v1/photos/"+id+"/publication", "coord",
			map[string]any{"may_publish": true, "no_person_identifiable": true}); status != http.StatusOK {
			t.Fatalf("clear photo = %d %v", status, body)
		}
		return id
	}
	serik := photo("Where Serik slept", 70)
	named := photo("Bed of detainee Ivanov I.I.", 71)
	gate := photo("Gate of the facility", 72)
	withhold := func(who, typ, id, field string, withhold any) (int, map[string]any) {
		t.Helper()
		body := map[string]any{"record_type": typ, "record_id": id, "field": field}
		if withhold != nil {
			body["withhold"] = withhold
		}
		return f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/withhold", who, body)
	}
	report := func() string {
		t.Helper()
		_, pdf := get(t, f.hs.URL, f.tokens["coord"], "/api/v1/facilities/"+f.facility+"/report.pdf?lang=en&unapproved=1")
		pdf = strings.Join(strings.Fields(pdf), " ")
		if !strings.Contains(pdf, "Gate of the facility") {
			t.Fatalf("the report does not print the caption nobody withheld:\n%.2000s", pdf)
		}
		return pdf
	}
	reported := func() map[string]*store.ReportPhoto {
		t.Helper()
		out := map[string]*store.ReportPhoto{}
		if err := f.db.Read(ctx, func(tx *store.Tx) error {
			list, err := tx.ReportPhotos(f.visit)
			for _, p := range list {
				out[p.ID] = p
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if pdf := report(); !strings.Contains(pdf, "Where Serik slept") || !strings.Contains(pdf, "Yard of Serik") {
		t.Fatalf("before any withholding, the report does not print the unflagged caption and label:\n%.2000s", pdf)
	}
	if status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord",
		map[string]string{"record_type": "photo", "record_id": named, "field": "caption"}); status != http.StatusOK {
		t.Fatalf("clear caption = %d %v", status, body)
	}

	// Only the region's coordinator withholds, and only a text on the check.
	if status, _ := withhold("aida", "photo", serik, "caption", true); status != http.StatusForbidden {
		t.Errorf("a member withholds a caption: %d; want 403", status)
	}
	if status, _ := withhold("coord", "photo", serik, "image", true); status != http.StatusNotFound {
		t.Errorf("withholding a field not on the check = %d; want 404", status)
	}
	for _, w := range []struct{ typ, id, field string }{{"photo", serik, "caption"}, {"photo", named, "caption"}, {"location", yard, "label"}} {
		if status, body := withhold("coord", w.typ, w.id, w.field, nil); status != http.StatusOK {
			t.Fatalf("withhold %s %s = %d %v", w.typ, w.field, status, body)
		}
	}
	listed := map[string]map[string]any{}
	for _, p := range publicationTexts(t, f) {
		listed[p["record_id"].(string)] = p
	}
	for _, id := range []string{serik, named, yard} {
		if p := listed[id]; p == nil || p["withheld"] != true || p["printed"] != false {
			t.Errorf("a withheld text on the check = %v; want withheld, not printed", p)
		}
	}
	if p := listed[gate]; p == nil || p["withheld"] != false || p["printed"] != true {
		t.Errorf("the caption nobody withheld on the check = %v; want printed", p)
	}
	photos := reported()
	for _, id := range []string{serik, named} {
		if p := photos[id]; p == nil {
			t.Errorf("withholding its caption took photo %s out of the report", id)
		} else if p.Caption != "" || !p.CaptionWithheld {
			t.Errorf("the report reads a withheld caption: %+v", p)
		}
	}
	pdf := report()
	for _, text := range []string{"Serik", "Ivanov"} {
		if strings.Contains(pdf, text) {
			t.Errorf("the report prints %q, withheld by the coordinator", text)
		}
	}
	if n := f.count("SELECT count(*) FROM audit_events WHERE action = 'text_withheld'"); n != 3 {
		t.Errorf("%d withholdings in the audit trail; want 3", n)
	}

	// Printed again before the approval, the text is judged as before.
	if status, body := withhold("coord", "photo", serik, "caption", false); status != http.StatusOK {
		t.Fatalf("print again = %d %v", status, body)
	}
	if !strings.Contains(report(), "Where Serik slept") {
		t.Errorf("a caption printed again is not printed")
	}

	if status, body := f.approveAsShown("coord"); status != http.StatusOK {
		t.Fatalf("approve = %d %v", status, body)
	}
	if status, _ := withhold("coord", "photo", named, "caption", false); status != http.StatusConflict {
		t.Errorf("printing a caption of an approved visit again = %d; want 409", status)
	}
	if status, body := withhold("coord", "photo", serik, "caption", true); status != http.StatusOK {
		t.Errorf("withholding a caption of an approved visit = %d %v; want 200", status, body)
	}
	if p := reported()[named]; p == nil || p.Caption != "" {
		t.Errorf("after a refused print again, the caption is read: %+v", p)
	}
	if p := reported()[serik]; p == nil || p.Caption != "" {
		t.Errorf("a caption withheld after the approval is still read: %+v", p)
	}
}

// TestRecommendationOfNoVisitClearedOnFacilityCheck: a recommendation made
// at no visit is printed by every report of its facility, and once every
// visit of the facility is approved no visit's check may clear it. The
// facility's own check lists it (and no recommendation made at a visit); a
// flagged one is printed (PDF, CSV) once cleared there; any is withheld
// there. Only the coordinator of the facility's region decides.
func TestRecommendationOfNoVisitClearedOnFacilityCheck(t *testing.T) {
	f := newFixture(t)
	f.signUp("coord2", schema.RoleCoordinator, "KZ-ALA")
	plain, named, atVisit := newUUID(), newUUID(), newUUID()
	f.mustPush("coord", f.op("coord", "recommendation", plain, map[string]any{"facility_id": f.facility,
		"text": "Ventilate the punishment cells daily", "category": "Ventilation"}, nil))
	f.mustPush("coord", f.op("coord", "recommendation", named, map[string]any{"facility_id": f.facility,
		"text": "Transfer detainee Kuznetsov K.K. to a hospital", "category": "Health"}, nil))
	f.mustPush("aida", f.op("aida", "recommendation", atVisit, map[string]any{"facility_id": f.facility, "visit_id": f.visit,
		"text": "Repair the windows"}, nil))
	if status, body := f.approveAsShown("coord"); status != http.StatusOK {
		t.Fatalf("approve = %d %v", status, body)
	}
	clearBody := map[string]string{"record_type": "recommendation", "record_id": named, "field": "text"}
	if status, _ := f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord", clearBody); status != http.StatusConflict {
		t.Fatalf("clearing on the approved visit's check = %d; want 409 (the case the facility's check is for)", status)
	}
	path := "/api/v1/facilities/" + f.facility + "/publication-check"
	for _, who := range []string{"aida", "coord2"} {
		if status, _ := f.api("GET", path, who, nil); status != http.StatusForbidden {
			t.Errorf("the facility's check as %s = %d; want 403", who, status)
		}
		if status, _ := f.api("POST", path+"/clear", who, clearBody); status != http.StatusForbidden {
			t.Errorf("clearing on the facility's check as %s = %d; want 403", who, status)
		}
	}
	check := func() map[string]map[string]any {
		t.Helper()
		status, body := f.api("GET", path, "coord", nil)
		if status != http.StatusOK {
			t.Fatalf("facility check = %d %v", status, body)
		}
		out := map[string]map[string]any{}
		for _, x := range body["texts"].([]any) {
			p := x.(map[string]any)
			out[p["record_id"].(string)+"/"+p["field"].(string)] = p
		}
		return out
	}
	c := check()
	if len(c) != 4 || c[atVisit+"/text"] != nil {
		t.Errorf("facility check = %v; want the text and category of the 2 recommendations of no visit", c)
	}
	if p := c[named+"/text"]; p == nil || p["printed"] != false || len(p["flags"].([]any)) == 0 {
		t.Fatalf("the flagged recommendation on the facility's check = %v; want flagged, not printed", p)
	}
	printed := func(text string) []string { t.Helper(); return printedIn(t, f, "recommendations", text) }
	if where := printed("Kuznetsov"); len(where) > 0 {
		t.Errorf("the flagged, uncleared recommendation is printed in %v", where)
	}
	if status, _ := f.api("POST", path+"/clear", "coord", map[string]string{"record_type": "recommendation", "record_id": atVisit, "field": "text"}); status != http.StatusNotFound {
		t.Errorf("clearing a recommendation made at a visit on the facility's check = %d; want 404", status)
	}
	if status, body := f.api("POST", path+"/clear", "coord", clearBody); status != http.StatusOK || body["withheld"].(float64) != 0 {
		t.Fatalf("clear on the facility's check = %d %v; want 200, nothing withheld", status, body)
	}
	if where := printed("Kuznetsov"); len(where) != 2 {
		t.Errorf("the recommendation cleared on the facility's check is printed in %v; want the PDF and the CSV", where)
	}
	if status, body := f.api("POST", path+"/withhold", "coord", map[string]any{"record_type": "recommendation", "record_id": plain, "field": "text", "withhold": true}); status != http.StatusOK {
		t.Fatalf("withhold on the facility's check = %d %v", status, body)
	}
	if where := printed("punishment cells"); len(where) > 0 {
		t.Errorf("the recommendation withheld on the facility's check is printed in %v", where)
	}
	if n := f.count("SELECT count(*) FROM audit_events WHERE action IN ('text_cleared', 'text_withheld')"); n != 2 {
		t.Errorf("%d decisions in the audit trail; want 2", n)
	}
}

// TestWithheldAnswerTheMembersAgreeOn: two members record the same text
// answer of an item not personal; the report prints it as their common
// value. The coordinator withholds one of the two records on the check:
// the common value is then not printed through the other (the check lists
// both records; withholding either one holds the text back).
func TestWithheldAnswerTheMembersAgreeOn(t *testing.T) {
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
	text := "The one who limps sleeps on the floor"
	first := f.observe("aida", f.cell, "disability_assistance_notes", text)
	f.observe("bolat", f.cell, "disability_assistance_notes", text)
	printed := func() []string { t.Helper(); return printedIn(t, f, "observations", "limps") }
	if where := printed(); len(where) != 2 {
		t.Fatalf("the answer both members agree on is printed in %v; want the PDF and the CSV", where)
	}
	if _, pc := f.api("GET", "/api/v1/visits/"+f.visit+"/publication-check", "coord", nil); len(pc["unpublished"].([]any)) != 0 {
		t.Errorf("unpublished = %v; an answer of an item not personal is printed without a clearance for publication", pc["unpublished"])
	}
	if status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/withhold", "coord",
		map[string]any{"record_type": "observation", "record_id": first, "field": "value", "withhold": true}); status != http.StatusOK {
		t.Fatalf("withhold = %d %v", status, body)
	}
	if where := printed(); len(where) > 0 {
		t.Errorf("the answer withheld on one member's record is printed through the other's in %v", where)
	}
}

// TestNoteClearedForPublicationFromTheCheck: a member's note and a personal
// text answer stay out of every report; the check lists them apart (not in
// its texts or digest) and the coordinator, confirming that no person can
// be identified from one, clears it for publication there. It is then a
// text the reports print, under the rule of every printed free text (a
// flagged one only once cleared), and withheld again from there. Not after
// the approval (409 locked); never by a member (403).
func TestNoteClearedForPublicationFromTheCheck(t *testing.T) {
	f := newFixture(t)
	tmpl, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	personal, _ := personalItems(t, tmpl[0])
	noted, answered := newUUID(), newUUID()
	f.mustPush("aida", f.op("aida", "observation", noted, map[string]any{"visit_id": f.visit, "location_id": f.cell,
		"item": "cell_area_m2", "value": 12, "note": "Mould along the north wall"}, nil))
	f.mustPush("bolat", f.op("bolat", "observation", answered, map[string]any{"visit_id": f.visit, "location_id": f.cell,
		"item": personal, "value": "Detainee Kuznetsov K.K. says the heating fails"}, nil))
	check := func() (texts, unpublished map[string]map[string]any, digest string) {
		t.Helper()
		status, body := f.api("GET", "/api/v1/visits/"+f.visit+"/publication-check", "coord", nil)
		if status != http.StatusOK {
			t.Fatalf("publication check = %d %v", status, body)
		}
		texts, unpublished = map[string]map[string]any{}, map[string]map[string]any{}
		for key, into := range map[string]map[string]map[string]any{"texts": texts, "unpublished": unpublished} {
			for _, x := range body[key].([]any) {
				p := x.(map[string]any)
				into[p["record_id"].(string)+"/"+p["field"].(string)] = p
			}
		}
		return texts, unpublished, body["digest"].(string)
	}
	printed := func(text string) []string { t.Helper(); return printedIn(t, f, "observations", text) }
	texts, unpublished, before := check()
	if len(unpublished) != 2 || unpublished[noted+"/note"] == nil || unpublished[answered+"/value"] == nil {
		t.Fatalf("unpublished = %v; want the note and the personal answer", unpublished)
	}
	if texts[noted+"/note"] != nil || texts[answered+"/value"] != nil {
		t.Errorf("texts = %v; a note no one cleared for publication is listed as printed", texts)
	}
	if where := printed("Mould"); len(where) > 0 {
		t.Fatalf("a note no one cleared for publication is printed in %v", where)
	}
	publish := func(who, id, field string, confirm bool) (int, map[string]any) {
		t.Helper()
		return f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/publish", who,
			map[string]any{"record_type": "observation", "record_id": id, "field": field, "no_person_identifiable": confirm})
	}
	if status, _ := publish("aida", noted, "note", true); status != http.StatusForbidden {
		t.Errorf("a member clears a note for publication: %d; want 403", status)
	}
	if status, _ := publish("coord", noted, "note", false); status != http.StatusBadRequest {
		t.Errorf("clearing a note for publication unconfirmed = %d; want 400", status)
	}
	if status, _ := publish("coord", noted, "value", true); status != http.StatusNotFound {
		t.Errorf("clearing a number for publication = %d; want 404 (not a note or a personal text)", status)
	}
	for _, p := range []struct{ id, field string }{{noted, "note"}, {answered, "value"}} {
		if status, body := publish("coord", p.id, p.field, true); status != http.StatusOK {
			t.Fatalf("clear %s for publication = %d %v", p.field, status, body)
		}
	}
	texts, unpublished, after := check()
	if len(unpublished) != 0 || texts[noted+"/note"]["printed"] != true || texts[answered+"/value"]["printed"] != false {
		t.Errorf("after clearing: texts %v, unpublished %v; want the note printed, the flagged answer listed and withheld", texts, unpublished)
	}
	if before == after {
		t.Errorf("the check's digest did not change when a note joined the printed texts")
	}
	if where := printed("Mould along the north wall"); len(where) != 2 {
		t.Errorf("the note cleared for publication is printed in %v; want the PDF and the CSV", where)
	}
	if where := printed("Kuznetsov"); len(where) > 0 {
		t.Errorf("the flagged answer cleared for publication is printed in %v before its text is cleared", where)
	}
	if n := f.count("SELECT count(*) FROM audit_events WHERE action = 'text_published'"); n != 2 {
		t.Errorf("%d clearances for publication in the audit trail; want 2", n)
	}
	f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/withhold", "coord",
		map[string]any{"record_type": "observation", "record_id": noted, "field": "note"})
	if where := printed("Mould"); len(where) > 0 {
		t.Errorf("the note withheld after its clearance for publication is printed in %v", where)
	}

	other := newUUID()
	f.mustPush("aida", f.op("aida", "observation", other, map[string]any{"visit_id": f.visit, "location_id": f.cell,
		"item": "persons_present", "value": 3, "note": "Bunk beds in two tiers"}, nil))
	if status, body := f.approveAsShown("coord"); status != http.StatusOK {
		t.Fatalf("approve = %d %v", status, body)
	}
	if status, _ := publish("coord", other, "note", true); status != http.StatusConflict {
		t.Errorf("clearing a note of an approved visit for publication = %d; want 409", status)
	}
}

// TestWithheldTextHiddenFromStaff: staff and admins see a printable text
// only once it passed the pre-approval check, as reports do; a text the
// coordinator withheld from the reports (judging that it may identify a
// person) has not: the desk's reads give them the place's number and no
// recommendation text. The coordinator still sees both, to print them again.
func TestWithheldTextHiddenFromStaff(t *testing.T) {
	f := newFixture(t)
	f.signUp("staff", schema.RoleStaff, "")
	yard := f.newLocation("aida", f.visit, "Yard where Serik walks")
	rec := newUUID()
	f.mustPush("coord", f.op("coord", "recommendation", rec, map[string]any{"facility_id": f.facility,
		"text": "Let Serik see his family"}, nil))
	reads := func(who string) string {
		t.Helper()
		var all []string
		for _, path := range []string{"/api/v1/visits/" + f.visit, "/api/v1/visits/" + f.visit + "/consolidation",
			"/api/v1/facilities/" + f.facility + "/recommendations", "/api/v1/facilities/" + f.facility + "/history"} {
			status, body := get(t, f.hs.URL, f.tokens[who], path)
			if status != http.StatusOK {
				t.Fatalf("GET %s as %s = %d %s", path, who, status, body)
			}
			all = append(all, body)
		}
		return strings.Join(all, "\n")
	}
	if n := strings.Count(reads("staff"), "Serik"); n < 2 {
		t.Fatalf("staff read %d texts naming Serik before any withholding; want the label and the recommendation", n)
	}
	for _, w := range []struct{ path, typ, id, field string }{
		{"/api/v1/visits/" + f.visit, "location", yard, "label"},
		{"/api/v1/facilities/" + f.facility, "recommendation", rec, "text"},
	} {
		if status, body := f.api("POST", w.path+"/publication-check/withhold", "coord",
			map[string]any{"record_type": w.typ, "record_id": w.id, "field": w.field}); status != http.StatusOK {
			t.Fatalf("withhold %s = %d %v", w.typ, status, body)
		}
	}
	if body := reads("staff"); strings.Contains(body, "Serik") {
		t.Errorf("staff read a text the coordinator withheld from the reports:\n%.1500s", body)
	}
	if n := strings.Count(reads("coord"), "Serik"); n < 2 {
		t.Errorf("the coordinator reads %d texts naming Serik after withholding them; want both still shown", n)
	}
}
