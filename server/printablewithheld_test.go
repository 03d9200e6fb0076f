package server_test

import (
	"net/http"
	"strings"
	"testing"

	"inspecta/schema"
)

// TestUncheckedPrintableTextsWithheldFromStaff: a printable text (a
// location's label, a recommendation's text, category, addressee) that the
// pre-approval check flags and no coordinator cleared is withheld from staff
// and admins on every desk route that returns it, as every report withholds
// it; the region's coordinator sees it (to clear or correct it), the visit's
// team too; a text that passes the check, or that the coordinator cleared,
// is shown to all of them.
func TestUncheckedPrintableTextsWithheldFromStaff(t *testing.T) {
	f := newFixture(t)
	f.signUp("admin", schema.RoleAdmin, "")
	f.signUp("staff", schema.RoleStaff, "")
	named := f.newLocation("aida", f.visit, "Cell of Nurlan Abenov")
	f.mustPush("aida", f.op("aida", "recommendation", newUUID(), map[string]any{"facility_id": f.facility, "visit_id": f.visit,
		"text": "Release detainee Petrov I.I. (IIN 850312300123)", "category": "Zhaksybekov case", "addressee": "Director Serikbayev",
		"checked_visit_id": ""}, nil))
	f.mustPush("aida", f.op("aida", "recommendation", newUUID(), map[string]any{"facility_id": f.facility, "visit_id": f.visit,
		"text": "Repair the ventilation of block B", "category": "ventilation", "addressee": "Director",
		"checked_visit_id": ""}, nil))
	f.observe("aida", f.cell, "persons_present", 4)

	secrets := []string{"Abenov", "Petrov", "850312", "Zhaksybekov", "Serikbayev"}
	routes := []string{"/api/v1/facilities/" + f.facility + "/history", "/api/v1/facilities/" + f.facility + "/recommendations",
		"/api/v1/visits/" + f.visit, "/api/v1/visits/" + f.visit + "/consolidation", "/api/v1/audit?visit_id=" + f.visit}
	read := func(who, path string) (int, string) {
		return get(t, f.hs.URL, f.tokens[who], path)
	}
	for _, who := range []string{"staff", "admin"} {
		for _, p := range routes {
			status, body := read(who, p)
			if status == http.StatusForbidden {
				continue // the route is not this role's
			}
			if status != http.StatusOK {
				t.Fatalf("%s GET %s = %d %s", who, p, status, body)
			}
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("%s GET %s shows %q, which the check flags and nobody cleared", who, p, s)
				}
			}
			shown := "Cell 12" // texts that pass the check are shown
			if strings.Contains(p, "recommendations") {
				shown = "Repair the ventilation of block B"
			}
			if !strings.Contains(body, shown) {
				t.Errorf("%s GET %s does not show %q, which passes the check: %s", who, p, shown, body)
			}
		}
	}
	for _, p := range routes[:4] {
		status, body := read("coord", p)
		if status != http.StatusOK {
			t.Fatalf("coord GET %s = %d %s", p, status, body)
		}
		want := []string{"Abenov"} // the visit, its consolidation
		switch {
		case strings.HasSuffix(p, "/history"):
			want = []string{"Abenov", "Petrov", "Zhaksybekov", "Serikbayev"}
		case strings.HasSuffix(p, "/recommendations"):
			want = []string{"Petrov", "Zhaksybekov", "Serikbayev"}
		}
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("the region's coordinator GET %s does not show %q (to clear or correct it)", p, s)
			}
		}
	}
	if _, body := read("aida", "/api/v1/facilities/"+f.facility+"/recommendations"); !strings.Contains(body, "Petrov") {
		t.Error("a member of the region does not see the recommendation she wrote")
	}

	// Cleared by the coordinator, the label is shown to staff.
	if status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/publication-check/clear", "coord",
		map[string]string{"record_type": "location", "record_id": named, "field": "label"}); status != http.StatusOK {
		t.Fatalf("clear label = %d %v", status, body)
	}
	if _, body := read("staff", "/api/v1/visits/"+f.visit); !strings.Contains(body, "Cell of Nurlan Abenov") {
		t.Errorf("staff do not see a label the coordinator cleared: %s", body)
	}
}
