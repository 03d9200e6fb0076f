package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestDeskWorkloadLooksRowsUp runs what the desk and the devices do (pushes
// with a disagreement, an edit, a delete and its restore; every actor's pull;
// the consolidation and a decision; the audit trail of the visit and of a
// record; conflicts; the visit lists; publication check and approval; the
// facility's history, recommendations and follow-ups; every report; photos;
// the integrity check) with every statement the store runs planned first
// (store.DB.WatchPlans). No statement about an id may read a big stored
// table (answers, op log, record index, interned ids) whole, nor read one
// whole for each row of another: the ids are stored as blobs (migration
// 0020) and a comparison with the text written back reads every row, which
// took the desk's audit of one visit from 0.6 s to 75 s on the bench's 20
// visits. The plans do not depend on the database's size (no ANALYZE).
func TestDeskWorkloadLooksRowsUp(t *testing.T) {
	f := newFixture(t)
	f.signUp("coord2", "coordinator", "KZ-KAR")
	f.signUp("staff", "staff", "")
	f.signUp("root", "admin", "")
	watch := f.db.WatchPlans()
	defer f.db.StopWatchingPlans()

	for _, who := range []string{"aida", "bolat"} {
		f.observe(who, f.cell, "location_type", "multiple")
		f.observe(who, f.cell, "persons_present", 4)
	}
	aidaObs := f.observe("aida", f.cell, "cell_area_m2", 11.5)
	f.observe("bolat", f.cell, "cell_area_m2", 14)
	// An edit of an answer on a stale base: a conflict for the desk.
	f.push("aida", f.op("aida", "observation", aidaObs, map[string]any{"value": 12.0}, map[string]int64{"value": 1}))
	second := f.newLocation("bolat", f.visit, "Cell 14")
	f.observe("bolat", second, "persons_present", 2)

	for _, who := range []string{"aida", "bolat", "coord", "staff", "root"} {
		f.api("GET", "/api/v1/sync/pull?since=0", who, nil)
	}
	f.consolidation("coord")
	f.api("POST", "/api/v1/visits/"+f.visit+"/consolidations", "coord", map[string]any{
		"location_id": f.cell, "item": "cell_area_m2", "observation_id": aidaObs, "reason": "measured with the laser"})
	status, body := f.api("GET", "/api/v1/conflicts", "coord", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /conflicts = %d %v", status, body)
	}
	if list, _ := body["conflicts"].([]any); len(list) > 0 {
		c := list[0].(map[string]any)
		f.api("POST", "/api/v1/visits/"+f.visit+"/conflicts/"+c["id"].(string)+"/resolve", "coord", map[string]any{"pick": "winner"})
	}
	for _, path := range []string{
		"/api/v1/audit?visit_id=" + f.visit,
		"/api/v1/audit?type=observation&id=" + aidaObs,
		"/api/v1/audit?type=visit&id=" + f.visit,
		"/api/v1/visits",
		"/api/v1/visits?facility_id=" + f.facility,
		"/api/v1/visits/" + f.visit,
		"/api/v1/facilities",
		"/api/v1/facilities/" + f.facility,
		"/api/v1/facilities/" + f.facility + "/history",
		"/api/v1/facilities/" + f.facility + "/recommendations",
		"/api/v1/facilities/" + f.facility + "/followups",
		"/api/v1/quarantine",
		"/api/v1/photos?visit_id=" + f.visit,
	} {
		if status, body := f.api("GET", path, "coord", nil); status != http.StatusOK {
			t.Errorf("GET %s = %d %v", path, status, body)
		}
	}

	// A place deleted, listed and restored.
	del := f.op("coord", "location", second, nil, map[string]int64{"_deleted": int64(f.count("SELECT value FROM sync_seq"))})
	del["action"] = "delete"
	delete(del, "fields")
	f.push("coord", del)
	if status, body := f.api("GET", "/api/v1/deleted", "coord", nil); status != http.StatusOK {
		t.Errorf("GET /deleted = %d %v", status, body)
	}
	if status, body := f.api("POST", "/api/v1/deleted/location/"+second+"/restore", "coord", nil); status != http.StatusOK {
		t.Errorf("restore = %d %v", status, body)
	}

	_, pc := f.api("GET", "/api/v1/visits/"+f.visit+"/publication-check", "coord", nil)
	f.api("POST", "/api/v1/visits/"+f.visit+"/approve", "coord", map[string]any{"publication_check": pc["digest"]})
	for _, path := range []string{
		"/api/v1/facilities/" + f.facility + "/report.pdf?lang=en&unapproved=1",
		"/api/v1/facilities/" + f.facility + "/report.csv?kind=observations&unapproved=1",
		"/api/v1/facilities/" + f.facility + "/report.csv?kind=indicators&unapproved=1",
		"/api/v1/regions/KZ-KAR/report.pdf?lang=ru&unapproved=1",
		"/api/v1/regions/KZ-KAR/report.csv?kind=recommendations&unapproved=1",
	} {
		if status, text := get(t, f.hs.URL, f.tokens["coord"], path); status != http.StatusOK {
			t.Errorf("GET %s = %d %s", path, status, text)
		}
	}
	for _, path := range []string{"/api/v1/reports/annual.pdf?from=2026-01-01&to=2026-12-31", "/api/v1/reports/annual.csv?from=2026-01-01&to=2026-12-31"} {
		if status, text := get(t, f.hs.URL, f.tokens["staff"], path); status != http.StatusOK {
			t.Errorf("GET %s = %d %s", path, status, text)
		}
	}
	for _, path := range []string{"/api/v1/devices", "/api/v1/users", "/api/v1/storage", "/api/v1/audit/accounts"} {
		if status, body := f.api("GET", path, "root", nil); status != http.StatusOK {
			t.Errorf("GET %s = %d %v", path, status, body)
		}
	}
	if problems, err := f.db.Check(context.Background()); err != nil || len(problems) > 0 {
		t.Errorf("integrity check = %v, %v", problems, err)
	}

	if n := watch.Statements(); n < 200 {
		t.Fatalf("only %d statements planned: the watch is not seeing the workload", n)
	}
	if problems := watch.Problems(); len(problems) > 0 {
		t.Errorf("%d statements read a big table whole where they should look rows up:\n\n%s",
			len(problems), strings.Join(problems, "\n\n"))
	}
}
