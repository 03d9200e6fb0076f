package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"inspecta/server"
	"inspecta/store"
)

type apiEnv struct {
	t  *testing.T
	db *store.DB
	hs *httptest.Server
}

func newAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.PasswordCost = store.MinPasswordCost // test users: bcrypt at its default cost is seconds under -race
	hs := httptest.NewServer(server.New(db, nil))
	t.Cleanup(hs.Close)
	return &apiEnv{t: t, db: db, hs: hs}
}

func (e *apiEnv) user(username, role, region string) {
	e.t.Helper()
	err := e.db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.CreateUser(store.NewUser{Username: username, Role: role, Region: region, Password: "password-" + username})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// call makes a request and returns the status and decoded JSON body.
func (e *apiEnv) call(method, path, token string, body io.Reader) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.hs.URL+path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (e *apiEnv) login(username, password string) (int, map[string]any) {
	b, _ := json.Marshal(map[string]string{"username": username, "password": password, "device_name": "test"})
	return e.call("POST", "/api/v1/auth/login", "", bytes.NewReader(b))
}

func (e *apiEnv) token(username string) string {
	e.t.Helper()
	status, body := e.login(username, "password-"+username)
	if status != http.StatusOK {
		e.t.Fatalf("login(%q) = %d %v; want 200", username, status, body)
	}
	return body["token"].(string)
}

func errorField(body map[string]any, key string) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e[key].(string)
	return s
}

func TestLogin(t *testing.T) {
	env := newAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	status, body := env.login("member1", "password-member1")
	if status != http.StatusOK || body["token"] == "" || body["device_id"] == "" {
		t.Fatalf("login = %d %v; want 200 with token and device_id", status, body)
	}
	user := body["user"].(map[string]any)
	if user["role"] != "member" || user["region_id"] != "KZ-KAR" {
		t.Errorf("login user = %v; want member of KZ-KAR", user)
	}
	if status, body := env.login("member1", "wrong-password"); status != http.StatusUnauthorized || errorField(body, "code") != "bad_credentials" {
		t.Errorf("login with a wrong password = %d %v; want 401 bad_credentials", status, body)
	}
	if status, _ := env.login("nobody", "password-nobody"); status != http.StatusUnauthorized {
		t.Errorf("login of an unknown user = %d; want 401", status)
	}
}

func TestRevokedTokenIsRefused(t *testing.T) {
	env := newAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	token := env.token("member1")
	if status, _ := env.call("GET", "/api/v1/me", token, nil); status != http.StatusOK {
		t.Fatalf("me = %d; want 200", status)
	}
	if status, _ := env.call("POST", "/api/v1/auth/logout", token, nil); status != http.StatusNoContent {
		t.Fatalf("logout = %d; want 204", status)
	}
	for _, path := range []string{"/api/v1/me", "/api/v1/sync/pull?since=0"} {
		if status, body := env.call("GET", path, token, nil); status != http.StatusUnauthorized {
			t.Errorf("GET %s with a revoked token = %d %v; want 401", path, status, body)
		}
	}
	if status, _ := env.call("GET", "/api/v1/me", "forged-token", nil); status != http.StatusUnauthorized {
		t.Errorf("forged token = %d; want 401", status)
	}
	if status, _ := env.call("GET", "/api/v1/me", "", nil); status != http.StatusUnauthorized {
		t.Errorf("no token = %d; want 401", status)
	}
}

func TestFacilityRoles(t *testing.T) {
	env := newAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	env.user("coord", "coordinator", "KZ-KAR")
	env.user("coordala", "coordinator", "KZ-ALA")
	env.user("staff", "staff", "")
	body := `{"name":"СИЗО № 61","type":"sizo","region":"KZ-KAR","authority":"MIA","capacity":500}`

	status, created := env.call("POST", "/api/v1/facilities", env.token("coord"), strings.NewReader(body))
	if status != http.StatusCreated || created["verified"] != true || created["name"] != "СИЗО № 61" {
		t.Fatalf("coordinator creates facility = %d %v; want 201, verified", status, created)
	}
	id := created["id"].(string)

	tests := []struct {
		name, user, method, path, body string
		want                           int
	}{
		{"staff cannot create", "staff", "POST", "/api/v1/facilities", body, http.StatusForbidden},
		{"member cannot change the registry", "member1", "PATCH", "/api/v1/facilities/" + id, `{"name":"x"}`, http.StatusForbidden},
		{"other region's coordinator cannot read", "coordala", "GET", "/api/v1/facilities/" + id, "", http.StatusForbidden},
		{"other region's coordinator cannot create here", "coordala", "POST", "/api/v1/facilities", body, http.StatusForbidden},
		{"member reads own region", "member1", "GET", "/api/v1/facilities/" + id, "", http.StatusOK},
		{"staff reads every region", "staff", "GET", "/api/v1/facilities/" + id, "", http.StatusOK},
		{"coordinator edits", "coord", "PATCH", "/api/v1/facilities/" + id, `{"capacity":480}`, http.StatusOK},
		{"unknown type", "coord", "POST", "/api/v1/facilities", `{"name":"a","type":"castle","region":"KZ-KAR"}`, http.StatusBadRequest},
		{"unknown facility", "coord", "GET", "/api/v1/facilities/0193aaaa-0000-7000-8000-000000000000", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		var r io.Reader
		if tt.body != "" {
			r = strings.NewReader(tt.body)
		}
		if status, resp := env.call(tt.method, tt.path, env.token(tt.user), r); status != tt.want {
			t.Errorf("%s: %s %s = %d %v; want %d", tt.name, tt.method, tt.path, status, resp, tt.want)
		}
	}
	// A member's new facility is unverified until a coordinator confirms it.
	status, mine := env.call("POST", "/api/v1/facilities", env.token("member1"), strings.NewReader(`{"name":"IVS Saran","type":"ivs","region":"KZ-KAR"}`))
	if status != http.StatusCreated || mine["verified"] != false {
		t.Errorf("member creates facility = %d %v; want 201, unverified", status, mine)
	}
	status, list := env.call("GET", "/api/v1/facilities?q=saran", env.token("member1"), nil)
	if facs, _ := list["facilities"].([]any); status != http.StatusOK || len(facs) != 1 {
		t.Errorf("search facilities by name = %d %v; want the one facility", status, list)
	}
}

func TestBadRequests(t *testing.T) {
	env := newAPIEnv(t)
	env.user("coord", "coordinator", "KZ-KAR")
	token := env.token("coord")
	huge := `{"name":"` + strings.Repeat("a", 2<<20) + `"}`
	tests := []struct {
		name, method, path, body string
		want                     int
		code                     string
	}{
		{"malformed JSON", "POST", "/api/v1/facilities", `{"name": "x",`, http.StatusBadRequest, "bad_json"},
		{"body over the limit", "POST", "/api/v1/facilities", huge, http.StatusRequestEntityTooLarge, "too_large"},
		{"invalid UTF-8", "POST", "/api/v1/facilities", "{\"name\":\"\xff\xfe\"}", http.StatusBadRequest, "bad_encoding"},
		{"push body not JSON", "POST", "/api/v1/sync/push", `not json`, http.StatusBadRequest, "bad_json"},
		{"pull with a bad since", "GET", "/api/v1/sync/pull?since=abc", "", http.StatusBadRequest, "invalid"},
		{"unknown endpoint", "GET", "/api/v1/nothing", "", http.StatusNotFound, "not_found"},
	}
	for _, tt := range tests {
		var r io.Reader
		if tt.body != "" {
			r = strings.NewReader(tt.body)
		}
		status, body := env.call(tt.method, tt.path, token, r)
		if status != tt.want || errorField(body, "code") != tt.code || errorField(body, "message") == "" {
			t.Errorf("%s: %s %s = %d %v; want %d %s with a message", tt.name, tt.method, tt.path, status, body, tt.want, tt.code)
		}
	}
	_, body := env.call("POST", "/api/v1/facilities", token, strings.NewReader(`{"name": "x",`))
	if msg := errorField(body, "message"); !strings.Contains(msg, "JSON") {
		t.Errorf("malformed JSON message = %q; want it to name the problem", msg)
	}
}

func TestSecurityHeadersAndHealth(t *testing.T) {
	env := newAPIEnv(t)
	resp, err := http.Get(env.hs.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz = %d; want 200", resp.StatusCode)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("response lacks %s", h)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline scripts: %q", csp)
	}
	status, body := env.call("GET", "/api/v1/checklists", "", nil)
	if list, _ := body["checklists"].([]any); status != http.StatusOK || len(list) == 0 {
		t.Errorf("checklists = %d; want the default template", status)
	}
}

// TestSignedOutIsNotSaidRevoked: a token ended by its own sign-out was
// answered device_revoked, "revoked by an administrator", which is not what
// happened. It is answered signed_out; a device an administrator revoked,
// even the administrator's own, is still answered device_revoked.
func TestSignedOutIsNotSaidRevoked(t *testing.T) {
	env := newAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	env.user("root", "admin", "")
	out := env.token("member1")
	if status, _ := env.call("POST", "/api/v1/auth/logout", out, nil); status != http.StatusNoContent {
		t.Fatalf("logout = %d; want 204", status)
	}
	lost, rootLost, rootDesk := env.token("member1"), env.token("root"), env.token("root")
	for _, tok := range []string{lost, rootLost} {
		_, me := env.call("GET", "/api/v1/me", tok, nil)
		if status, body := env.call("POST", "/api/v1/devices/"+me["device_id"].(string)+"/revoke", rootDesk, nil); status/100 != 2 {
			t.Fatalf("revoke = %d %v", status, body)
		}
	}
	for tok, want := range map[string]string{out: "signed_out", lost: "device_revoked", rootLost: "device_revoked"} {
		status, body := env.call("GET", "/api/v1/sync/pull?since=0", tok, nil)
		if status != http.StatusUnauthorized || errorField(body, "code") != want {
			t.Errorf("pull with a token ended for %s = %d %v; want 401 %s", want, status, body, want)
		}
	}
}
