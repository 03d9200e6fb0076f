package server_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"inspecta/server"
)

func TestStaticFilesGzipAndETag(t *testing.T) {
	env := newAPIEnv(t)
	srv := server.New(env.db, nil)
	js := strings.Repeat("export const x = 1;\n", 200)
	srv.Client = fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Inspecta</title>")}, "app.js": {Data: []byte(js)},
		"manifest.webmanifest": {Data: []byte(`{"name":"Inspecta"}`)}}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	get := func(path string, header map[string]string) *http.Response {
		req, _ := http.NewRequest("GET", hs.URL+path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := get("/app.js", map[string]string{"Accept-Encoding": "gzip"})
	zr, err := gzip.NewReader(resp.Body)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("app.js with Accept-Encoding gzip: %v, Content-Encoding %q", err, resp.Header.Get("Content-Encoding"))
	}
	body, _ := io.ReadAll(zr)
	resp.Body.Close()
	if string(body) != js || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("app.js = %d bytes, %q; want the file as JavaScript", len(body), resp.Header.Get("Content-Type"))
	}
	etag := resp.Header.Get("ETag")
	if resp := get("/app.js", map[string]string{"If-None-Match": etag}); etag == "" || resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with ETag %q = %d; want 304", etag, resp.StatusCode)
	}
	if resp := get("/manifest.webmanifest", nil); resp.Header.Get("Content-Type") != "application/manifest+json" {
		t.Errorf("manifest Content-Type = %q", resp.Header.Get("Content-Type"))
	}
	if resp := get("/visits/123", nil); resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("an app route = %d %q; want index.html", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestColleaguesOfOwnRegionOnly(t *testing.T) {
	env := newAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	env.user("member2", "member", "KZ-KAR")
	env.user("coord", "coordinator", "KZ-KAR")
	env.user("memberala", "member", "KZ-ALA")
	env.user("staff", "staff", "")
	status, body := env.call("GET", "/api/v1/colleagues", env.token("member1"), nil)
	users, _ := body["users"].([]any)
	if status != http.StatusOK || len(users) != 3 {
		t.Fatalf("colleagues = %d %v; want the 3 users of KZ-KAR", status, body)
	}
	for _, u := range users {
		if u.(map[string]any)["region_id"] != "KZ-KAR" {
			t.Errorf("colleague of another region: %v", u)
		}
	}
	if status, _ := env.call("GET", "/api/v1/colleagues", env.token("staff"), nil); status != http.StatusForbidden {
		t.Errorf("staff colleagues = %d; want 403", status)
	}
}

func TestHSTSOnlyOverTLS(t *testing.T) {
	env := newAPIEnv(t)
	srv := server.New(env.db, nil)
	srv.TLS = true
	hs := httptest.NewTLSServer(srv)
	defer hs.Close()
	resp, err := hs.Client().Get(hs.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h := resp.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("HSTS over TLS = %q; want a max-age", h)
	}
	plain, err := http.Get(env.hs.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	plain.Body.Close()
	if h := plain.Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("HSTS over plain HTTP = %q; want none", h)
	}
}
