package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPushRenewsTokenAndSaysWhereItsTimeWent: a push renews its device's token
// (in the push's own transaction, not a write of its own), like a pull, and
// its answer's Server-Timing header names every phase of the server's time.
func TestPushRenewsTokenAndSaysWhereItsTimeWent(t *testing.T) {
	env, _ := newFastAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	start := time.Now()
	env.db.Now = func() time.Time { return start }
	used, idle := env.token("member1"), env.token("member1")

	// Twenty days on, one device pushes (nothing new: an empty batch) and so
	// renews its token.
	env.db.Now = func() time.Time { return start.Add(20 * 24 * time.Hour) }
	req, _ := http.NewRequest("POST", env.hs.URL+"/api/v1/sync/push", strings.NewReader(`{"ops": []}`))
	req.Header.Set("Authorization", "Bearer "+used)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("push at day 20 = %d; want 200", resp.StatusCode)
	}
	timing := resp.Header.Get("Server-Timing")
	for _, phase := range []string{"auth;dur=", "slot;dur=", "read;dur=", "decode;dur=", "queue;dur=", "apply;dur=", "commit;dur=", "other;dur=", "pull;dur=", "parts;desc=1"} {
		if !strings.Contains(timing, phase) {
			t.Errorf("the push's Server-Timing %q lacks %s", timing, phase)
		}
	}

	// Forty days on, the idle token has expired; the one that pushed works.
	env.db.Now = func() time.Time { return start.Add(40 * 24 * time.Hour) }
	if status, body := env.call("GET", "/api/v1/sync/pull?since=0", idle, nil); status != http.StatusUnauthorized {
		t.Errorf("idle token at day 40 = %d %v; want 401", status, body)
	}
	if status, body := env.call("GET", "/api/v1/sync/pull?since=0", used, nil); status != http.StatusOK {
		t.Errorf("token renewed by a push at day 40 = %d %v; want 200", status, body)
	}
}
