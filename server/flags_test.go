package server_test

import (
	"net/http"
	"testing"

	"inspecta/schema"
	"inspecta/xlsform/xlsformtest"
)

// TestFlagsTakeTheirDocumentedValueOnly: a query flag is 1 (on), 0 or
// absent (off); any other value is refused 400 invalid naming the parameter.
// snapshot=true was read as no snapshot (a pull from 0 then left the
// device's own records out, and the reset dropped them from the phone) and
// preview=yes stored the checklist an admin meant only to look at.
func TestFlagsTakeTheirDocumentedValueOnly(t *testing.T) {
	e := newDeskEnv(t)
	e.signUp("admin", schema.RoleAdmin, "")
	e.signUp("staff", schema.RoleStaff, "")
	e.signUp("aida", schema.RoleMember, "KZ-KAR")
	for _, c := range []struct{ path, who, field string }{
		{"/api/v1/sync/pull?since=0&snapshot=true", "aida", "snapshot"},
		{"/api/v1/sync/pull?since=0&snapshot=yes", "aida", "snapshot"},
		{"/api/v1/sync/pull?since=0&compact=true", "aida", "compact"},
		{"/api/v1/sync/pull?since=0&compact=yes&snapshot=1", "aida", "compact"},
		{"/api/v1/reports/annual.csv?unapproved=yes", "staff", "unapproved"},
	} {
		status, body := e.api("GET", c.path, c.who, nil)
		if status != http.StatusBadRequest || errorField(body, "code") != "invalid" || errorField(body, "field") != c.field {
			t.Errorf("GET %s = %d %v; want 400 invalid naming %s", c.path, status, body, c.field)
		}
	}
	for _, path := range []string{"/api/v1/sync/pull?since=0&snapshot=1&compact=1", "/api/v1/sync/pull?since=0&snapshot=0&compact=", "/api/v1/sync/pull"} {
		if status, body := e.api("GET", path, "aida", nil); status != http.StatusOK {
			t.Errorf("GET %s = %d %v; want 200", path, status, body)
		}
	}
	good, err := xlsformtest.HandWritten().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"preview=yes", "preview=true", "preview=1&activate=true"} {
		st, body := e.raw("POST", "/api/v1/checklist-versions?name=quick.xlsx&"+q, "admin", good)
		if st != http.StatusBadRequest {
			t.Errorf("upload with %s = %d %s; want 400", q, st, body)
		}
	}
	if n := e.count("SELECT count(*) FROM checklists WHERE id = 'police-cell-quick'"); n != 0 {
		t.Errorf("uploads with a flag refused stored %d versions; want none", n)
	}
}
