package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"inspecta/client"
	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

// TestAccountChangesRevokeEveryToken: a password reset, a disable and a role
// change each end every token of the user at once; enabling the account
// again brings none back.
func TestAccountChangesRevokeEveryToken(t *testing.T) {
	e := newAPIEnv(t)
	e.user("root", schema.RoleAdmin, "")
	e.user("zhanar", schema.RoleMember, "KZ-KAR")
	admin := e.token("root")
	var zhanarID string
	e.db.Read(context.Background(), func(tx *store.Tx) error {
		u, err := tx.UserByUsername("zhanar")
		zhanarID = u.ID
		return err
	})
	password := "password-zhanar"
	signIn := func() []string {
		t.Helper()
		var tokens []string
		for range 2 { // a phone and a laptop
			status, body := e.login("zhanar", password)
			if status != http.StatusOK {
				t.Fatalf("login = %d %v", status, body)
			}
			tokens = append(tokens, body["token"].(string))
		}
		return tokens
	}
	working := func(tokens []string) int {
		n := 0
		for _, tok := range tokens {
			if status, _ := e.call("GET", "/api/v1/me", tok, nil); status == http.StatusOK {
				n++
			}
		}
		return n
	}
	send := func(method, path string, body any) {
		t.Helper()
		b, _ := json.Marshal(body)
		if status, out := e.call(method, path, admin, bytes.NewReader(b)); status >= 300 {
			t.Fatalf("%s %s = %d %v", method, path, status, out)
		}
	}

	tokens := signIn()
	if n := working(tokens); n != 2 {
		t.Fatalf("%d of 2 fresh tokens work", n)
	}
	password = "a-fresh-passphrase-7"
	send("POST", "/api/v1/users/"+zhanarID+"/password", map[string]string{"password": password})
	if n := working(tokens); n != 0 {
		t.Errorf("after a password reset %d old token(s) still work; want 0", n)
	}

	tokens = signIn()
	send("PATCH", "/api/v1/users/"+zhanarID, map[string]any{"disabled": true})
	send("PATCH", "/api/v1/users/"+zhanarID, map[string]any{"disabled": false})
	if n := working(tokens); n != 0 {
		t.Errorf("after disable and enable %d old token(s) work again; want 0", n)
	}

	tokens = signIn()
	send("PATCH", "/api/v1/users/"+zhanarID, map[string]any{"role": "coordinator", "region": "KZ-KAR"})
	if n := working(tokens); n != 0 {
		t.Errorf("after a role change %d old token(s) still work; want 0", n)
	}
	if n := working(signIn()); n != 2 {
		t.Errorf("new sign-ins after the changes: %d of 2 work", n)
	}
}

// TestPasswordRule: the rule and every way a password is chosen (create,
// reset) apply it; the README's example passwords pass it.
func TestPasswordRule(t *testing.T) {
	if n := store.CommonPasswordCount(); n != 10000 {
		t.Errorf("the shipped list holds %d common passwords; want 10000", n)
	}
	for _, tt := range []struct {
		username, password string
		ok                 bool
	}{
		{"aida", "short-1", false},                 // under 10 characters
		{"aida", "aaaaaaaaaa", false},              // common (repeated character)
		{"aida", "qwertyuiop", false},              // common (keyboard walk)
		{"aida", "Password2024", false},            // common, whatever the case
		{"aida", "1234567890", false},              // common (digit run)
		{"kazakhstan", "kazakhstan-home-1", false}, // contains the username
		{"aida", "my-AIDA-passphrase", false},      // contains the username, other case
		{"aida", strings.Repeat("long ", 15), false},
		{"aida", "river-lamp-orbit-9", true},
		{"admin", "a-long-password", true}, // the README's example
	} {
		err := store.ValidatePassword(tt.username, tt.password)
		if (err == nil) != tt.ok {
			t.Errorf("ValidatePassword(%q, %q) = %v; want ok = %v", tt.username, tt.password, err, tt.ok)
		}
	}

	e := newAPIEnv(t)
	e.user("root", schema.RoleAdmin, "")
	admin := e.token("root")
	post := func(path string, body any) int {
		b, _ := json.Marshal(body)
		status, _ := e.call("POST", path, admin, bytes.NewReader(b))
		return status
	}
	// Each refusal names its reason as the error code, which the desk says in
	// the admin's language (client/web/i18n.js has a text rf_<reason> for each, refusals.js).
	for pw, reason := range map[string]string{"aaaaaaaaaa": store.PasswordCommon, "zhanar-2026-pass": store.PasswordHasUsername,
		"qwerty123456": store.PasswordCommon, "short": store.PasswordTooShort, strings.Repeat("long ", 15): store.PasswordTooLong} {
		b, _ := json.Marshal(map[string]any{"username": "zhanar", "role": "member", "region": "KZ-KAR", "password": pw})
		status, out := e.call("POST", "/api/v1/users", admin, bytes.NewReader(b))
		if status != http.StatusBadRequest {
			t.Errorf("create user with password %q = %d; want 400", pw, status)
		}
		if code := fmt.Sprint(out["error"].(map[string]any)["code"]); code != reason {
			t.Errorf("create user with password %q: code %q; want %q", pw, code, reason)
		}
	}
	i18n, err := fs.ReadFile(client.Files(), "i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, reason := range store.PasswordReasons {
		if !regexp.MustCompile(`(?m)^\s*rf_` + reason + `: \['[^']+', '[^']+', '[^']+'\]`).Match(i18n) {
			t.Errorf("client/web/i18n.js has no en, ru and kk text rf_%s", reason)
		}
	}
	if status := post("/api/v1/users", map[string]any{"username": "zhanar", "role": "member", "region": "KZ-KAR", "password": "river-lamp-orbit-9"}); status != http.StatusCreated {
		t.Fatalf("create user with a good password = %d; want 201", status)
	}
	var id string
	e.db.Read(context.Background(), func(tx *store.Tx) error {
		u, err := tx.UserByUsername("zhanar")
		id = u.ID
		return err
	})
	for _, pw := range []string{"1q2w3e4r5t6y", "ZHANAR-zhanar-1", "short"} {
		if status := post("/api/v1/users/"+id+"/password", map[string]string{"password": pw}); status != http.StatusBadRequest {
			t.Errorf("reset to %q = %d; want 400", pw, status)
		}
	}
	err = e.db.Write(context.Background(), func(tx *store.Tx) error { return tx.SetPassword(id, "password1234") })
	if err == nil {
		t.Error("store SetPassword accepted a common password")
	}
}

// TestSignInFloodDoesNotSlowSync: 60 addresses keep failing sign-ins while a
// member pushes; the member's median push takes less than one failed sign-in
// takes alone on the same machine in the same run (a password check, about
// 100 ms quiet, seconds on a loaded machine under -race). The password check
// runs outside the writer and at most a few at a time: were it inside, each
// push would wait for the checks queued before it.
func TestSignInFloodDoesNotSlowSync(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := server.New(db, nil)
	srv.FailureDelay = time.Millisecond
	// The test gives each attacker its own address, as a real flood has.
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("X-Test-Addr"); a != "" {
			r.RemoteAddr = a + ":40000"
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	var facility string
	err = db.Write(context.Background(), func(tx *store.Tx) error {
		u, err := tx.CreateUser(store.NewUser{Username: "member1", Role: "member", Region: "KZ-KAR", Password: "password-member1"})
		if err != nil {
			return err
		}
		facility = uuid.Must(uuid.NewV7()).String()
		_, err = srv.Engine.ApplyServerOp(tx, isync.Actor{UserID: u.ID, Role: schema.RoleMember, Region: "KZ-KAR", DeviceID: "setup"}, isync.Op{Type: "facility", ID: facility,
			Action: "upsert", Fields: map[string]json.RawMessage{"name": json.RawMessage(`"[TEST] IVS"`), "region": json.RawMessage(`"KZ-KAR"`)}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	device, err := isync.Login(ctx, nil, hs.URL, "member1", "password-member1", "phone")
	if err != nil {
		t.Fatal(err)
	}

	// One failed sign-in alone, three times: the yardstick.
	var alone []time.Duration
	for i := range 3 {
		body, _ := json.Marshal(map[string]string{"username": "member1", "password": "wrong-password-x"})
		req, _ := http.NewRequest("POST", hs.URL+"/api/v1/auth/login", bytes.NewReader(body))
		req.Header.Set("X-Test-Addr", fmt.Sprintf("203.0.113.%d", i+1))
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		alone = append(alone, time.Since(start))
	}
	slices.Sort(alone)
	signIn := alone[1]

	var wg sync.WaitGroup
	var failures, inFlight atomic.Int64
	for a := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				body, _ := json.Marshal(map[string]string{"username": fmt.Sprintf("guess-%d-%d", a, i%4), "password": "wrong-password-x"})
				req, _ := http.NewRequestWithContext(ctx, "POST", hs.URL+"/api/v1/auth/login", bytes.NewReader(body))
				req.Header.Set("X-Test-Addr", fmt.Sprintf("198.51.100.%d", a+1))
				inFlight.Add(1)
				resp, err := http.DefaultClient.Do(req)
				inFlight.Add(-1)
				if err != nil {
					return
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusUnauthorized {
					failures.Add(1)
				}
			}
		}()
	}
	// Let the flood build up: some failures answered, 60 more in flight.
	for deadline := time.Now().Add(120 * time.Second); failures.Load() < 5; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d failed sign-ins answered in 60 s", failures.Load())
		}
	}
	before := failures.Load()
	visit := uuid.Must(uuid.NewV7()).String()
	if _, err := device.Upsert("visit", visit, map[string]any{"facility_id": facility}); err != nil {
		t.Fatal(err)
	}
	var took []time.Duration
	// Under a loaded machine (and -race) one bcrypt check can take seconds, so
	// few failures may be answered while the member pushes; what matters is
	// that the flood presses on the server all the while: sign-ins waiting at
	// the start of every push.
	quiet := 0
	for i := range 25 {
		if inFlight.Load() < 30 {
			quiet++
		}
		if _, err := device.Upsert("location", uuid.Must(uuid.NewV7()).String(), map[string]any{
			"visit_id": visit, "label": fmt.Sprintf("Cell %d", i+1), "kind": "cell"}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		pushCtx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		err := device.Push(pushCtx)
		stop()
		if err != nil {
			cancel()
			wg.Wait()
			t.Fatalf("push %d during the flood: %v (after %v)", i+1, err, time.Since(start))
		}
		took = append(took, time.Since(start))
	}
	during := failures.Load() - before
	cancel()
	wg.Wait()
	total := failures.Load()
	slices.Sort(took)
	median := took[len(took)/2]
	t.Logf("push median %v (max %v); one failed sign-in alone %v; %d failed sign-ins from 60 addresses in all, %d answered while pushing", median, took[len(took)-1], signIn, total, during)
	if quiet > 0 || total < 5 {
		t.Errorf("the flood did not press while the member pushed: %d pushes started with fewer than 30 sign-ins in flight, %d failures answered in all", quiet, total)
	}
	if median >= signIn {
		t.Errorf("push median %v during the flood; want under one failed sign-in alone (%v)", median, signIn)
	}
}
