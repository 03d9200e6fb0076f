package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/xlsform/xlsformtest"
)

// raw makes a request with a raw body as who and returns the status and body.
func (e *deskEnv) raw(method, path, who string, body []byte) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.hs.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// versionTwo is the built-in default checklist's next version (the built-in
// one is version 2, so this is 3): item window_obstructed
// renamed window_blocked, item pests removed.
func versionTwo(t *testing.T) []byte {
	t.Helper()
	ts, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(ts[0])
	var m map[string]any
	json.Unmarshal(body, &m)
	m["version"] = ts[0].Version + 1
	var items []any
	for _, x := range m["items"].([]any) {
		it := x.(map[string]any)
		switch it["id"] {
		case "pests":
			continue
		case "window_obstructed":
			it["id"] = "window_blocked"
			it["label"].(map[string]any)["en"] = "Is the window blocked?"
		}
		items = append(items, it)
	}
	m["items"] = items
	out, _ := json.Marshal(m)
	return out
}

// Done when 4: a visit recorded with version 1 still validates, shows and
// reports the same after version 2 (one item renamed, one removed) is
// activated; a new visit uses version 2.
func TestVersionTwoLeavesVersionOneVisitsAlone(t *testing.T) {
	f := newFixture(t)
	f.signUp("admin", schema.RoleAdmin, "")
	for _, who := range []string{"aida", "bolat"} {
		f.observe(who, f.cell, "location_type", "multiple")
		f.observe(who, f.cell, "cell_area_m2", 11.5)
		f.observe(who, f.cell, "persons_present", 4)
		f.observe(who, f.cell, "window_obstructed", "partly")
	}
	f.observe("aida", f.cell, "pests", "insects")
	shown := func() (map[string]any, string, string) {
		_, detail := f.api("GET", "/api/v1/visits/"+f.visit, "coord", nil)
		_, obs := f.raw("GET", "/api/v1/facilities/"+f.facility+"/report.csv?kind=observations&unapproved=1", "coord", nil)
		_, inds := f.raw("GET", "/api/v1/facilities/"+f.facility+"/report.csv?kind=indicators&unapproved=1", "coord", nil)
		vc := f.consolidation("coord")
		return map[string]any{"detail": detail, "consolidation": vc}, string(obs), string(inds)
	}
	beforeView, beforeObs, beforeInds := shown()
	if !strings.Contains(beforeObs, "insects") && !strings.Contains(beforeObs, "Insects") {
		t.Fatalf("the observations CSV does not show the pests answer before the change:\n%s", beforeObs)
	}
	if ref := beforeView["detail"].(map[string]any)["visit"].(map[string]any)["checklist"]; ref != "kz-npm-default@2" {
		t.Fatalf("the visit was started with %v; want kz-npm-default@2", ref)
	}

	status, body := f.raw("POST", "/api/v1/checklist-versions?activate=1&name=v2.json", "admin", versionTwo(t))
	if status != http.StatusOK {
		t.Fatalf("upload v2 = %d %s; want 200", status, body)
	}

	afterView, afterObs, afterInds := shown()
	if !reflect.DeepEqual(beforeView, afterView) {
		a, _ := json.Marshal(beforeView)
		b, _ := json.Marshal(afterView)
		t.Fatalf("the version 1 visit shows differently after v2 is active:\nbefore %s\nafter  %s", a, b)
	}
	if beforeObs != afterObs || beforeInds != afterInds {
		t.Fatalf("the reports of the version 1 visit changed after v2 is active:\nbefore %s\nafter  %s\nbefore %s\nafter  %s", beforeObs, afterObs, beforeInds, afterInds)
	}
	// The version 1 visit still validates with version 1: the removed item is
	// accepted, the renamed one's new id is not.
	f.observe("bolat", f.cell, "pests", "rodents")
	st, res := f.push("bolat", f.op("bolat", "observation", newUUID(), map[string]any{"visit_id": f.visit, "location_id": f.cell, "item": "window_blocked", "value": "fully"}, nil))
	if st != http.StatusOK || res[0]["status"] != "rejected" {
		t.Fatalf("window_blocked on a version 1 visit = %d %v; want rejected", st, res)
	}
	// Its version cannot be changed by sync.
	st, res = f.push("aida", f.op("aida", "visit", f.visit, map[string]any{"checklist": "kz-npm-default@3"}, nil))
	if st != http.StatusOK || res[0]["status"] != "rejected" {
		t.Fatalf("moving a visit to version 2 = %d %v; want rejected", st, res)
	}

	// A new visit gets version 2, with its items.
	aida, bolat := f.users["aida"], f.users["bolat"]
	newVisit := f.newVisit("aida", "2026-11-27T09:00:00Z", aida.ID, bolat.ID)
	_, detail := f.api("GET", "/api/v1/visits/"+newVisit, "coord", nil)
	if ref := detail["visit"].(map[string]any)["checklist"]; ref != "kz-npm-default@3" {
		t.Fatalf("a new visit got %v; want kz-npm-default@3", ref)
	}
	f.mustPush("aida", f.op("aida", "observation", newUUID(), map[string]any{"visit_id": newVisit, "item": "team_size", "value": 2}, nil))
	st, res = f.push("aida", f.op("aida", "observation", newUUID(), map[string]any{"visit_id": newVisit, "item": "pests", "value": "none", "location_id": f.newLocation("aida", newVisit, "Cell 3")}, nil))
	if st != http.StatusOK || res[0]["status"] != "rejected" {
		t.Fatalf("pests on a version 2 visit = %d %v; want rejected", st, res)
	}

	// The phone's list: v2 active, v1 kept for the visit that uses it.
	_, lists := f.api("GET", "/api/v1/checklists", "aida", nil)
	got := map[string]bool{}
	for _, x := range lists["checklists"].([]any) {
		c := x.(map[string]any)
		got[c["id"].(string)+"@"+strings.TrimSuffix(strings.TrimSuffix(jsonNumber(c["version"]), ".0"), ".00")] = c["active"].(bool)
	}
	if active, ok := got["kz-npm-default@3"]; !ok || !active {
		t.Errorf("checklists list %v; want v2 active", got)
	}
	if active, ok := got["kz-npm-default@2"]; !ok || active {
		t.Errorf("checklists list %v; want v1 kept, not active", got)
	}
	sig := lists["signature"].(string)
	_, again := f.api("GET", "/api/v1/checklists?known="+sig, "aida", nil)
	if again["unchanged"] != true {
		t.Errorf("asking with the current signature = %v; want unchanged", again)
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestChecklistUploadOnTheDesk: an admin previews (nothing stored), stores and
// activates a hand-written XLSForm; a broken one is refused at its place and
// nothing is stored; a member may not upload.
func TestChecklistUploadOnTheDesk(t *testing.T) {
	e := newDeskEnv(t)
	e.signUp("admin", schema.RoleAdmin, "")
	e.signUp("aida", schema.RoleMember, "KZ-KAR")
	good, err := xlsformtest.HandWritten().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.raw("POST", "/api/v1/checklist-versions", "aida", good); st != http.StatusForbidden {
		t.Fatalf("a member's upload = %d; want 403", st)
	}
	st, body := e.raw("POST", "/api/v1/checklist-versions?preview=1&name=quick.xlsx", "admin", good)
	var prev struct {
		Checklist schema.Template `json:"checklist"`
		Stored    bool            `json:"stored"`
	}
	json.Unmarshal(body, &prev)
	if st != http.StatusOK || prev.Stored || prev.Checklist.Ref() != "police-cell-quick@1" || prev.Checklist.Title["kk"] == "" {
		t.Fatalf("preview = %d %s", st, body)
	}
	if n := e.count("SELECT count(*) FROM checklists WHERE id = 'police-cell-quick'"); n != 0 {
		t.Fatalf("a preview stored %d versions; want none", n)
	}

	broken := xlsformtest.HandWritten()
	broken.Set("survey", broken.Row("survey", "area"), "constraint", ". > 0")
	bad, _ := broken.Bytes()
	st, body = e.raw("POST", "/api/v1/checklist-versions", "admin", bad)
	var refusal struct {
		Error    struct{ Code string }
		Problems []struct {
			Sheet, Column, Cell, Message string
			Row                          int
		}
	}
	json.Unmarshal(body, &refusal)
	if st != http.StatusUnprocessableEntity || refusal.Error.Code != "checklist_invalid" || len(refusal.Problems) == 0 ||
		refusal.Problems[0].Sheet != "survey" || refusal.Problems[0].Column != "constraint" || refusal.Problems[0].Row != broken.Row("survey", "area") {
		t.Fatalf("broken upload = %d %s; want 422 at survey, the area row, column constraint", st, body)
	}
	if n := e.count("SELECT count(*) FROM checklists WHERE id = 'police-cell-quick'"); n != 0 {
		t.Fatalf("a refused upload stored %d versions; want none", n)
	}

	if st, body = e.raw("POST", "/api/v1/checklist-versions?activate=1", "admin", good); st != http.StatusOK {
		t.Fatalf("store and activate = %d %s", st, body)
	}
	_, list := e.api("GET", "/api/v1/checklist-versions", "admin", nil)
	found := false
	for _, x := range list["versions"].([]any) {
		v := x.(map[string]any)
		if v["ref"] == "police-cell-quick@1" {
			found = v["active"] == true && v["source"] == "xlsform"
		}
	}
	if !found {
		t.Fatalf("versions after upload = %v; want police-cell-quick@1 active from xlsform", list)
	}
	st, xlsx := e.raw("GET", "/api/v1/checklist-versions/police-cell-quick@1/export?format=xlsform", "admin", nil)
	if st != http.StatusOK || !bytes.HasPrefix(xlsx, []byte("PK")) {
		t.Fatalf("export = %d (%d bytes); want an xlsx", st, len(xlsx))
	}
}

// TestRegionChecklistsFirst: a new phone asks first for the checklists its
// region needs (?region=KZ-KAR): the general one, the one for each type of the
// region's facilities and the versions its visits use, not the others; the
// whole list has every active checklist and another signature, so the app's
// next ask brings the rest.
func TestRegionChecklistsFirst(t *testing.T) {
	f := newFixture(t) // one SIZO in KZ-KAR, a visit on the general checklist
	ids := func(path string) (map[string]bool, string) {
		t.Helper()
		status, lists := f.api("GET", path, "aida", nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s = %d %v", path, status, lists)
		}
		got := map[string]bool{}
		for _, x := range lists["checklists"].([]any) {
			got[x.(map[string]any)["id"].(string)] = true
		}
		sig, _ := lists["signature"].(string)
		if partial := lists["partial"] == true; partial != strings.Contains(path, "region=") {
			t.Errorf("GET %s: partial = %v", path, lists["partial"])
		}
		return got, sig
	}
	region, regionSig := ids("/api/v1/checklists?region=KZ-KAR")
	for id, want := range map[string]bool{"kz-npm-default": true, "kz-penitentiary": true, "kz-police-custody": false, "kz-psychiatric": false, "kz-children-care": false} {
		if region[id] != want {
			t.Errorf("region list %v: has %s = %v; want %v", region, id, region[id], want)
		}
	}
	all, allSig := ids("/api/v1/checklists")
	if len(all) < 6 || allSig == regionSig {
		t.Errorf("whole list %v (signature %s, region's %s); want every checklist and another signature", all, allSig, regionSig)
	}
	if _, again := f.api("GET", "/api/v1/checklists?known="+regionSig, "aida", nil); again["unchanged"] == true {
		t.Error("the whole list answered unchanged to the region list's signature")
	}
	// A facility of another type in the region brings its checklist.
	if status, fac := f.api("POST", "/api/v1/facilities", "coord", map[string]any{"name": "IVS Saran", "type": "ivs", "region": "KZ-KAR"}); status != http.StatusCreated {
		t.Fatalf("create facility = %d %v", status, fac)
	}
	if region, _ = ids("/api/v1/checklists?region=KZ-KAR"); !region["kz-police-custody"] {
		t.Errorf("region list %v after an IVS was added; want kz-police-custody", region)
	}
}

// TestActivateNamesABadReference: a version that is not a whole number of 1
// or more is refused as such (400 on ref), not answered as a server failure;
// a well-formed one that is not stored is 404.
func TestActivateNamesABadReference(t *testing.T) {
	f := newFixture(t)
	f.signUp("admin", schema.RoleAdmin, "")
	for ref, want := range map[string]int{"kz-penitentiary@0": 400, "kz-penitentiary@x": 400, "kz-penitentiary@-1": 400, "no-such-list@1": 404} {
		status, body := f.raw("POST", "/api/v1/checklist-versions/"+ref+"/activate", "admin", nil)
		if status != want {
			t.Errorf("activate %s = %d %s; want %d", ref, status, body, want)
		}
		if want == 400 && !strings.Contains(string(body), `"ref"`) {
			t.Errorf("activate %s: %s; want the refusal on ref", ref, body)
		}
	}
}
