package server_test

import (
	"net/http"
	"testing"

	"inspecta/schema"
)

// TestOnlyTheCoordinatorDecides: every decision on a visit (consolidate,
// resolve a conflict, the publication check and clearing or withholding a
// text, the facility's check, approve, reopen) is refused to a member of the visit's own team and to staff, who
// may both read the visit.
func TestOnlyTheCoordinatorDecides(t *testing.T) {
	f := newFixture(t)
	f.signUp("staff", schema.RoleStaff, "")
	v := "/api/v1/visits/" + f.visit
	decide := map[string]any{"location_id": f.cell, "item": "cell_area_m2", "value": 12, "reason": "mine"}
	for _, who := range []string{"aida", "staff"} {
		if status, body := f.api("GET", v, who, nil); status != http.StatusOK {
			t.Fatalf("GET %s as %s = %d %v; want 200 (the reader may read the visit)", v, who, status, body)
		}
		for _, tt := range []struct {
			method, path string
			body         any
		}{
			{"POST", v + "/consolidations", decide},
			{"POST", v + "/conflicts/" + newUUID() + "/resolve", map[string]any{"keep": "winner"}},
			{"GET", v + "/publication-check", nil},
			{"POST", v + "/publication-check/clear", map[string]any{"record_type": "location", "record_id": f.cell, "field": "label"}},
			{"POST", v + "/publication-check/withhold", map[string]any{"record_type": "location", "record_id": f.cell, "field": "label", "withhold": false}},
			{"GET", "/api/v1/facilities/" + f.facility + "/publication-check", nil},
			{"POST", "/api/v1/facilities/" + f.facility + "/publication-check/clear", map[string]any{"record_type": "location", "record_id": f.cell, "field": "label"}},
			{"POST", "/api/v1/facilities/" + f.facility + "/publication-check/withhold", map[string]any{"record_type": "location", "record_id": f.cell, "field": "label"}},
			{"POST", v + "/approve", nil},
			{"POST", v + "/reopen", map[string]string{"reason": "x"}},
		} {
			status, body := f.api(tt.method, tt.path, who, tt.body)
			code := ""
			if e, ok := body["error"].(map[string]any); ok {
				code, _ = e["code"].(string)
			}
			if status != http.StatusForbidden || code != "forbidden" {
				t.Errorf("%s %s as %s = %d %v; want 403 forbidden", tt.method, tt.path, who, status, body)
			}
		}
	}
}
