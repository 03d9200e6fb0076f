package server_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"inspecta/schema"
)

func tinyPNG(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// TestOrgSettings: only an administrator changes the organisation; anyone
// signed in reads it; a logo is judged by its bytes.
func TestOrgSettings(t *testing.T) {
	e := newDeskEnv(t)
	e.signUp("root", schema.RoleAdmin, "")
	e.signUp("staff", schema.RoleStaff, "")
	e.signUp("member", schema.RoleMember, "KZ-KAR")
	org := map[string]any{"name_ru": "Коалиция", "name_kk": "Коалициясы", "name_en": "Coalition", "what_en": "NGO coalition; members of the NPM",
		"address": "Almaty", "contact": "info@example.org", "logo_png_base64": tinyPNG(t)}
	for _, tt := range []struct {
		who  string
		body map[string]any
		want int
	}{
		{"member", org, http.StatusForbidden},
		{"staff", org, http.StatusForbidden},
		{"", org, http.StatusUnauthorized},
		{"root", map[string]any{"name_en": strings.Repeat("x", 301)}, http.StatusBadRequest},
		// GIF bytes under a PNG field; a PNG signature followed by garbage.
		{"root", map[string]any{"name_en": "C", "logo_png_base64": base64.StdEncoding.EncodeToString([]byte("GIF89a\x01\x00\x01\x00"))}, http.StatusBadRequest},
		{"root", map[string]any{"name_en": "C", "logo_png_base64": base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nnot really"))}, http.StatusBadRequest},
		{"root", map[string]any{"name_en": "C", "logo_png_base64": base64.StdEncoding.EncodeToString(make([]byte, 300<<10))}, http.StatusBadRequest},
		{"root", org, http.StatusOK},
	} {
		if status, body := e.api("PUT", "/api/v1/org", tt.who, tt.body); status != tt.want {
			t.Errorf("PUT /org as %q = %d %v; want %d", tt.who, status, body, tt.want)
		}
	}
	status, body := e.api("GET", "/api/v1/org", "member", nil)
	if status != http.StatusOK || body["name_kk"] != "Коалициясы" || body["has_logo"] != true || body["updated_by"] != "Root" {
		t.Errorf("GET /org as member = %d %v; want the settings with a logo, updated by Root", status, body)
	}
	// A PUT without the logo keeps it; "" removes it.
	delete(org, "logo_png_base64")
	if _, body := e.api("PUT", "/api/v1/org", "root", org); body["has_logo"] != true {
		t.Errorf("PUT without logo_png_base64 dropped the logo: %v", body)
	}
	org["logo_png_base64"] = ""
	if _, body := e.api("PUT", "/api/v1/org", "root", org); body["has_logo"] != false {
		t.Errorf("PUT with an empty logo kept it: %v", body)
	}
}

// TestAnnualReportHTTP: staff and admins get the annual report; members and
// coordinators are refused; a period is required.
func TestAnnualReportHTTP(t *testing.T) {
	e := newDeskEnv(t)
	e.signUp("root", schema.RoleAdmin, "")
	e.signUp("staff", schema.RoleStaff, "")
	e.signUp("coord", schema.RoleCoordinator, "KZ-KAR")
	e.signUp("member", schema.RoleMember, "KZ-KAR")
	const q = "?from=2025-01-01&to=2025-12-31&lang=kk&region=KZ-KAR&region=KZ-ALA"
	for _, tt := range []struct {
		who, path string
		want      int
		mime      string
	}{
		{"staff", "/api/v1/reports/annual.pdf" + q, 200, "application/pdf"},
		{"root", "/api/v1/reports/annual.csv" + q, 200, "text/csv; charset=utf-8"},
		{"member", "/api/v1/reports/annual.pdf" + q, 403, ""},
		{"member", "/api/v1/reports/annual.csv" + q, 403, ""},
		{"coord", "/api/v1/reports/annual.pdf" + q, 403, ""},
		{"", "/api/v1/reports/annual.pdf" + q, 401, ""},
		{"staff", "/api/v1/reports/annual.pdf?from=2025-01-01", 400, ""},
		{"staff", "/api/v1/reports/annual.pdf?from=2025-01-01&to=2025-12-31&region=KZ-XXX", 400, ""},
		{"staff", "/api/v1/reports/annual.pdf?from=2025-01-01&to=2025-12-31&lang=de", 400, ""},
	} {
		req, _ := http.NewRequest("GET", e.hs.URL+tt.path, nil)
		if tt.who != "" {
			req.Header.Set("Authorization", "Bearer "+e.tokens[tt.who])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("GET %s as %q = %d; want %d (%s)", tt.path, tt.who, resp.StatusCode, tt.want, body)
			continue
		}
		if tt.mime != "" && resp.Header.Get("Content-Type") != tt.mime {
			t.Errorf("GET %s: Content-Type %q; want %q", tt.path, resp.Header.Get("Content-Type"), tt.mime)
		}
		if tt.want == 200 && !strings.Contains(resp.Header.Get("Content-Disposition"), "annual-report-2025-01-01-2025-12-31") {
			t.Errorf("GET %s: Content-Disposition %q", tt.path, resp.Header.Get("Content-Disposition"))
		}
	}
}

// TestFacilityNamesPerLanguage: the facility API takes and gives names per
// language and stays compatible with clients that send one name.
func TestFacilityNamesPerLanguage(t *testing.T) {
	e := newDeskEnv(t)
	e.signUp("root", schema.RoleAdmin, "")
	// A client of version 1: one name.
	status, old := e.api("POST", "/api/v1/facilities", "root", map[string]any{"name": "IVS Saran", "region": "KZ-KAR", "type": "ivs"})
	if status != http.StatusCreated || old["name"] != "IVS Saran" || old["name_ru"] != "" {
		t.Fatalf("create with one name = %d %v", status, old)
	}
	// A new client: names per language only; the default is the Russian one.
	status, f := e.api("POST", "/api/v1/facilities", "root", map[string]any{"name_ru": "ИВС Сарань", "name_kk": "Саран УҰИ",
		"name_en": "Saran IVS", "authority_kk": "ІІМ", "region": "KZ-KAR", "type": "ivs"})
	if status != http.StatusCreated || f["name"] != "ИВС Сарань" || f["name_kk"] != "Саран УҰИ" || f["authority"] != "ІІМ" {
		t.Fatalf("create with names per language = %d %v", status, f)
	}
	id := f["id"].(string)
	// An old client corrects the default name: the Russian name, equal to it,
	// follows; the Kazakh and English translations stay.
	status, f = e.api("PATCH", "/api/v1/facilities/"+id, "root", map[string]any{"name": "ИВС г. Сарань"})
	if status != http.StatusOK || f["name_ru"] != "ИВС г. Сарань" || f["name_kk"] != "Саран УҰИ" || f["name_en"] != "Saran IVS" {
		t.Errorf("patch of the default name = %d %v; want name_ru to follow, the others kept", status, f)
	}
	status, f = e.api("PATCH", "/api/v1/facilities/"+id, "root", map[string]any{"name_en": "Saran temporary detention facility"})
	if status != http.StatusOK || f["name_en"] != "Saran temporary detention facility" || f["name"] != "ИВС г. Сарань" {
		t.Errorf("patch of the English name = %d %v", status, f)
	}
	// The listing finds a facility by its name in any language.
	if status, list := e.api("GET", "/api/v1/facilities?q=Саран", "root", nil); status != http.StatusOK || len(list["facilities"].([]any)) != 1 {
		t.Errorf("search by the Kazakh name = %d %v; want one facility", status, list)
	}
}
