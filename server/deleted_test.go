package server_test

import (
	"net/http"
	"testing"
)

// TestCoordinatorRestoresWhatWasDeleted: a member cannot delete a submitted
// visit holding a teammate's answers; the coordinator can delete a place,
// sees it listed among the region's deleted visits and places with who
// deleted it and what it holds, and restores it with everything inside: a
// member's value refused parent_deleted meanwhile ("the coordinator can
// restore the place") is then taken. The same for a whole visit. Before,
// nothing on the desk listed or restored a deleted visit or place.
func TestCoordinatorRestoresWhatWasDeleted(t *testing.T) {
	f := newFixture(t)
	f.observe("bolat", f.cell, "persons_present", 4)

	del := func(who, typ, id string) map[string]any {
		t.Helper()
		op := f.op(who, typ, id, nil, map[string]int64{"_deleted": int64(f.count("SELECT value FROM sync_seq"))})
		op["action"] = "delete"
		delete(op, "fields")
		_, res := f.push(who, op)
		if len(res) != 1 {
			t.Fatalf("delete %s: %v", typ, res)
		}
		return res[0]
	}
	if res := del("aida", "visit", f.visit); res["status"] != "rejected" || res["error"].(map[string]any)["code"] != "forbidden" {
		t.Fatalf("a member's delete of the submitted visit with a teammate's answer = %v; want rejected forbidden", res)
	}
	if res := del("coord", "location", f.cell); res["status"] != "applied" {
		t.Fatalf("the coordinator's delete of the cell = %v; want applied", res)
	}
	if status, _ := f.api("GET", "/api/v1/deleted", "aida", nil); status != http.StatusForbidden {
		t.Errorf("a member lists deleted records: %d; want 403", status)
	}
	listed := func() []any {
		t.Helper()
		status, body := f.api("GET", "/api/v1/deleted", "coord", nil)
		if status != http.StatusOK {
			t.Fatalf("GET /deleted = %d %v", status, body)
		}
		return body["deleted"].([]any)
	}
	list := listed()
	if len(list) != 1 {
		t.Fatalf("deleted = %v; want the cell", list)
	}
	if d := list[0].(map[string]any); d["type"] != "location" || d["id"] != f.cell || d["label"] != "Cell 12" || d["records"] != 1.0 || d["deleted_by_name"] != "Coord" {
		t.Errorf("deleted cell listed as %v; want the cell, its label, 1 record inside, deleted by coord", d)
	}
	value := func() map[string]any {
		return f.op("bolat", "observation", newUUID(), map[string]any{"visit_id": f.visit, "location_id": f.cell, "item": "cell_area_m2", "value": 12.5}, nil)
	}
	if _, res := f.push("bolat", value()); res[0]["status"] != "rejected" || res[0]["error"].(map[string]any)["code"] != "parent_deleted" {
		t.Fatalf("a value in the deleted cell = %v; want rejected parent_deleted", res)
	}
	if status, body := f.api("POST", "/api/v1/deleted/location/"+f.cell+"/restore", "aida", nil); status != http.StatusForbidden {
		t.Errorf("a member restores the cell: %d %v; want 403", status, body)
	}
	if status, body := f.api("POST", "/api/v1/deleted/location/"+f.cell+"/restore", "coord", nil); status != http.StatusOK || body["restored"] != true {
		t.Fatalf("restore the cell = %d %v; want 200 restored", status, body)
	}
	if n := len(listed()); n != 0 {
		t.Errorf("%d deleted records listed after the restore; want none", n)
	}
	f.mustPush("bolat", value())
	if it := cellItem(t, f.consolidation("coord"), f.cell, "persons_present"); it == nil {
		t.Error("the restored cell's answer is not on the desk")
	}

	if res := del("coord", "visit", f.visit); res["status"] != "applied" {
		t.Fatalf("the coordinator's delete of the visit = %v; want applied", res)
	}
	if status, _ := f.api("GET", "/api/v1/visits/"+f.visit, "coord", nil); status != http.StatusNotFound {
		t.Fatalf("the deleted visit answers %d; want 404", status)
	}
	if list := listed(); len(list) != 1 || list[0].(map[string]any)["type"] != "visit" || list[0].(map[string]any)["records"] != 2.0 {
		t.Fatalf("deleted = %v; want the visit with its 2 answers", list)
	}
	if status, body := f.api("POST", "/api/v1/deleted/visit/"+f.visit+"/restore", "coord", nil); status != http.StatusOK || body["restored"] != true {
		t.Fatalf("restore the visit = %d %v; want 200 restored", status, body)
	}
	if status, _ := f.api("GET", "/api/v1/visits/"+f.visit, "coord", nil); status != http.StatusOK {
		t.Errorf("the restored visit answers %d; want 200", status)
	}
}
