package report_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
)

func (f *fixture) token(u *store.User) string {
	f.t.Helper()
	var token string
	err := f.db.Write(f.ctx, func(tx *store.Tx) error {
		var err error
		_, token, err = tx.CreateDevice(u.ID, "test")
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return token
}

func TestReportsOverHTTP(t *testing.T) {
	f := newFixture(t).build()
	hs := httptest.NewServer(server.New(f.db, nil))
	defer hs.Close()
	tokens := map[string]string{
		"staff":       f.token(f.user("staff", schema.RoleStaff, "")),
		"admin":       f.token(f.user("admin", schema.RoleAdmin, "")),
		"coordinator": f.token(f.coord),
		"other coord": f.token(f.user("coord-ala", schema.RoleCoordinator, "KZ-ALA")),
		"member":      f.token(f.m1),
	}
	fac := "/api/v1/facilities/" + f.facilityID
	tests := []struct {
		who, path string
		want      int
		mime      string
	}{
		{"staff", fac + "/report.pdf?lang=kk", 200, "application/pdf"},
		{"admin", fac + "/report.pdf?lang=en&from=2023-01-01&to=2023-12-31", 200, "application/pdf"},
		{"coordinator", fac + "/report.pdf", 200, "application/pdf"},
		{"coordinator", fac + "/report.csv?kind=indicators", 200, "text/csv; charset=utf-8"},
		{"coordinator", "/api/v1/regions/KZ-KAR/report.pdf?lang=ru", 200, "application/pdf"},
		{"staff", "/api/v1/regions/KZ-KAR/report.csv?kind=recommendations", 200, "text/csv; charset=utf-8"},
		{"other coord", fac + "/report.pdf", 403, ""},
		{"other coord", "/api/v1/regions/KZ-KAR/report.pdf", 403, ""},
		{"member", fac + "/report.pdf", 403, ""},
		{"member", "/api/v1/regions/KZ-KAR/report.csv", 403, ""},
		{"staff", fac + "/report.pdf?lang=de", 400, ""},
		{"staff", fac + "/report.pdf?from=2023-13-01", 400, ""},
		{"staff", fac + "/report.csv?kind=photos", 400, ""},
		{"staff", "/api/v1/facilities/01a21aed-0000-7000-8000-000000000000/report.pdf", 404, ""},
		{"staff", "/api/v1/regions/KZ-XXX/report.pdf", 404, ""},
		{"", fac + "/report.pdf", 401, ""},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest("GET", hs.URL+tc.path, nil)
		if tc.who != "" {
			req.Header.Set("Authorization", "Bearer "+tokens[tc.who])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s as %s = %d; want %d (%s)", tc.path, tc.who, resp.StatusCode, tc.want, body)
			continue
		}
		if tc.want != 200 {
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != tc.mime {
			t.Errorf("GET %s: Content-Type %q; want %q", tc.path, ct, tc.mime)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") {
			t.Errorf("GET %s: Content-Disposition %q", tc.path, cd)
		}
		checkNothingConfidential(t, "GET "+tc.path, string(body))
		if tc.mime == "application/pdf" {
			checkNothingConfidential(t, "GET "+tc.path, pdfText(t, body))
		}
	}
}

// TestUnapprovedNeedsConfirmationOverHTTP: a period holding a visit the
// coordinator has not approved answers 409 "unapproved" until the request
// confirms with unapproved=1; the report is then marked provisional. The
// full annex is asked with detail=all.
func TestUnapprovedNeedsConfirmationOverHTTP(t *testing.T) {
	f := newFixture(t).build()
	visit := newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": f.facilityID, "kind": "follow_up",
			"started_at": "2025-03-04T05:00:00Z", "team": []string{f.m1.ID}})
		f.observe(tx, f.m1, visit, "", "headcount", 700, "")
		f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
	})
	hs := httptest.NewServer(server.New(f.db, nil))
	defer hs.Close()
	token := f.token(f.user("staff", schema.RoleStaff, ""))
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", hs.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	fac := "/api/v1/facilities/" + f.facilityID
	for _, path := range []string{fac + "/report.pdf?lang=en", fac + "/report.csv", "/api/v1/regions/KZ-KAR/report.pdf"} {
		if code, body := get(path); code != http.StatusConflict || !strings.Contains(body, `"code":"unapproved"`) {
			t.Errorf("GET %s without confirmation = %d %s; want 409 unapproved", path, code, body)
		}
	}
	code, body := get(fac + "/report.pdf?lang=en&unapproved=1")
	if code != 200 || !has(pdfText(t, []byte(body)), "PROVISIONAL: includes visits not yet approved") {
		t.Errorf("GET with unapproved=1 = %d; want 200 and the report marked provisional", code)
	}
	if code, _ := get(fac + "/report.pdf?lang=en&unapproved=1&detail=all"); code != 200 {
		t.Errorf("GET detail=all = %d; want 200", code)
	}
	if code, body := get(fac + "/report.pdf?lang=en&unapproved=1&detail=everything"); code != 400 || !strings.Contains(body, `"field":"detail"`) {
		t.Errorf("GET detail=everything = %d %s; want 400 on field detail", code, body)
	}
}
