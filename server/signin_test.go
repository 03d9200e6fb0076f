package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"inspecta/server"
	"inspecta/store"
)

// newFastAPIEnv is newAPIEnv with failed sign-ins answered without delay.
func newFastAPIEnv(t *testing.T) (*apiEnv, *server.Server) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.PasswordCost = store.MinPasswordCost
	srv := server.New(db, nil)
	srv.FailureDelay = time.Millisecond
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &apiEnv{t: t, db: db, hs: hs}, srv
}

func TestSignInLockoutAndAdminUnlock(t *testing.T) {
	env, _ := newFastAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	env.user("admin", "admin", "")
	adminToken := env.token("admin")
	for i := 1; i <= store.UserFailureLimit; i++ {
		if status, body := env.login("member1", "wrong-password"); status != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d = %d %v; want 401", i, status, body)
		}
	}
	// Locked: even the right password is refused, with a clear message.
	status, body := env.login("member1", "password-member1")
	if status != http.StatusTooManyRequests || errorField(body, "code") != "signin_locked" || errorField(body, "message") == "" {
		t.Fatalf("sign-in while locked = %d %v; want 429 locked with a message", status, body)
	}
	// An administrator unlocks it.
	b, _ := json.Marshal(map[string]string{"username": "member1"})
	if status, body := env.call("POST", "/api/v1/auth/unlock", adminToken, bytes.NewReader(b)); status != http.StatusNoContent {
		t.Fatalf("unlock = %d %v; want 204", status, body)
	}
	if status, body := env.login("member1", "password-member1"); status != http.StatusOK {
		t.Errorf("sign-in after unlock = %d %v; want 200", status, body)
	}
	// The lock, the failures and the unlock are in the audit trail.
	var n int
	env.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow("SELECT count(*) FROM audit_events WHERE action IN ('login_failed', 'signin_locked', 'signin_unlocked')").Scan(&n)
	})
	if n < store.UserFailureLimit+2 {
		t.Errorf("audit trail holds %d sign-in protection events; want at least %d", n, store.UserFailureLimit+2)
	}
	// A member cannot unlock.
	if status, _ := env.call("POST", "/api/v1/auth/unlock", env.token("member1"), bytes.NewReader(b)); status != http.StatusForbidden {
		t.Errorf("member unlocks = %d; want 403", status)
	}
}

func TestTokenExpiresUnlessRenewedBySync(t *testing.T) {
	env, _ := newFastAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	start := time.Now()
	env.db.Now = func() time.Time { return start }
	used, idle := env.token("member1"), env.token("member1")

	// Twenty days on, one device syncs and so renews its token.
	env.db.Now = func() time.Time { return start.Add(20 * 24 * time.Hour) }
	if status, _ := env.call("GET", "/api/v1/sync/pull?since=0", used, nil); status != http.StatusOK {
		t.Fatalf("pull at day 20 = %d; want 200", status)
	}
	// Forty days on, the idle one has expired; the used one still works.
	env.db.Now = func() time.Time { return start.Add(40 * 24 * time.Hour) }
	status, body := env.call("GET", "/api/v1/sync/pull?since=0", idle, nil)
	if status != http.StatusUnauthorized || errorField(body, "code") != "token_expired" {
		t.Errorf("idle token at day 40 = %d %v; want 401 token_expired", status, body)
	}
	if status, body := env.call("GET", "/api/v1/sync/pull?since=0", used, nil); status != http.StatusOK {
		t.Errorf("renewed token at day 40 = %d %v; want 200", status, body)
	}
}
