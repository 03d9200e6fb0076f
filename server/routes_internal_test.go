package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"

	"inspecta/store"
)

// TestEveryRouteButThePublicOnesNeedsAToken walks the route table: only the
// health check, signing in and what the app needs before it are public; a
// request without a token to any other route is answered 401 before its
// handler runs; every path is under /api/v1 but the health check.
func TestEveryRouteButThePublicOnesNeedsAToken(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := New(db, nil)
	public := map[string]bool{"GET HEAD /healthz": true, "POST /api/v1/auth/login": true,
		"GET /api/v1/regions": true, "GET /api/v1/checklists": true}
	vars := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, rt := range s.api() {
		if !rt.who.token != public[rt.methods+" "+rt.path] {
			t.Errorf("route %s %s: public = %v; want %v", rt.methods, rt.path, !rt.who.token, public[rt.methods+" "+rt.path])
		}
		if rt.path != "/healthz" && !regexp.MustCompile(`^/api/v1/`).MatchString(rt.path) {
			t.Errorf("route %s %s is outside /api/v1", rt.methods, rt.path)
		}
		if !rt.who.token {
			if len(rt.who.roles) > 0 {
				t.Errorf("route %s %s names roles but takes no token", rt.methods, rt.path)
			}
			continue
		}
		path := vars.ReplaceAllString(rt.path, "x")
		for _, method := range regexp.MustCompile(`\S+`).FindAllString(rt.methods, -1) {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(method, path, nil))
			if w.Code != http.StatusUnauthorized {
				t.Errorf("%s %s without a token = %d; want 401", method, path, w.Code)
			}
		}
	}
}
