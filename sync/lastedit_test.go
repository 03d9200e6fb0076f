package sync_test

// "The edit made last in real time wins" (docs/protocol.md, "Clock") when a
// phone's clock was wrong once and put right before it synced.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"inspecta/store"
	isync "inspecta/sync"
)

// yearsAhead is how far a phone's date was set wrong while offline.
const yearsAhead = 36 * 365 * 24 * time.Hour

// TestClockRestartsAfterADateSetAhead: a clock whose last stamp is more than
// a day ahead of its physical time starts again from the physical time; one
// less than a day ahead (it may have observed that stamp) goes on after it.
func TestClockRestartsAfterADateSetAhead(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	c := &isync.Clock{Node: "d", Now: func() time.Time { return now }}
	c.Observe(isync.HLC{Wall: now.Add(23 * time.Hour), Counter: 4}.String())
	if got := c.Next(); !got.Wall.Equal(now.Add(23*time.Hour)) || got.Counter != 5 {
		t.Errorf("after a stamp 23 h ahead: %s; want it followed", got)
	}
	c = &isync.Clock{Node: "d", Now: func() time.Time { return now.Add(yearsAhead) }}
	c.Next()
	c.Now = func() time.Time { return now }
	if got := c.Next(); !got.Wall.Equal(now) || got.Counter != 0 {
		t.Errorf("after the date was put right: %s; want %s/0000", got, now.Format(time.RFC3339))
	}
}

// TestDateSetAheadOncePutRight: a member's phone had its date set years ahead
// while offline, made an edit, had the date put right and made another one,
// and synced only after a teammate's later edit of the same field. The
// teammate's edit was made last: it wins. The member's own two edits keep
// their order (no conflict between them).
func TestDateSetAheadOncePutRight(t *testing.T) {
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	ctx := context.Background()
	var off time.Duration
	a.Now = func() time.Time { return tm.clock.Now().Add(off) }
	tm.clock.Advance(time.Minute)
	off = yearsAhead
	a.Upsert("location", tm.cellID, map[string]any{"label": "A, date ahead", "kind": "ward"})
	tm.clock.Advance(time.Minute)
	off = 0 // put right; no sync in between
	tm.clock.Advance(time.Hour)
	a.Upsert("location", tm.cellID, map[string]any{"label": "A, date right"})
	tm.clock.Advance(time.Hour)
	b.Upsert("location", tm.cellID, map[string]any{"label": "B, later"})
	if err := b.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	tm.clock.Advance(time.Hour)
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	tm.syncAll(t)
	got := tm.env.record("location", tm.cellID)
	if got.Fields["label"] != "B, later" || got.Fields["kind"] != "ward" {
		t.Errorf("label %v, kind %v (stamp %s); want B's later label and A's kind", got.Fields["label"], got.Fields["kind"], got.Versions["label"].HLC)
	}
	if h, _ := isync.ParseHLC(got.Versions["kind"].HLC); h.Wall.After(tm.clock.Now().Add(-2 * time.Hour)) {
		t.Errorf("A's first edit is stamped %s; want no later than A's next edit, two hours before the sync", h)
	}

	// Alone, the member's later edit wins over the earlier one, as a plain update.
	tm.clock.Advance(time.Minute)
	off = yearsAhead
	a.Upsert("location", tm.cellID, map[string]any{"label": "A again, date ahead"})
	off = 0
	tm.clock.Advance(time.Minute)
	a.Upsert("location", tm.cellID, map[string]any{"label": "A again, date right"})
	open := tm.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL")
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tm.env.record("location", tm.cellID).Fields["label"]; got != "A again, date right" {
		t.Errorf("label = %v; want the member's later edit", got)
	}
	if n := tm.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"); n != open {
		t.Errorf("open conflicts %d, were %d: a member's own two edits in order are no conflict", n, open)
	}
}

// TestDateGoneBehindBoundsNothing: a later operation whose time is before the
// device's sign-in (its clock went back to 1970 after the first edit) says
// nothing of when the earlier one was made: the earlier edit keeps its time
// and beats a teammate's edit made before it.
func TestDateGoneBehindBoundsNothing(t *testing.T) {
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	ctx := context.Background()
	var off time.Duration
	a.Now = func() time.Time { return tm.clock.Now().Add(off) }
	tm.clock.Advance(time.Minute)
	b.Upsert("location", tm.cellID, map[string]any{"label": "B, earlier"})
	tm.clock.Advance(time.Hour)
	a.Upsert("location", tm.cellID, map[string]any{"label": "A, later"})
	off = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Sub(tm.clock.Now())
	a.Upsert("location", tm.cellID, map[string]any{"kind": "ward"})
	off = 0
	if err := b.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	tm.clock.Advance(time.Hour)
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tm.env.record("location", tm.cellID); got.Fields["label"] != "A, later" {
		t.Errorf("label = %v (stamp %s); want A's later edit", got.Fields["label"], got.Versions["label"].HLC)
	}
}

// TestSignInAgainKeepsTheEditsTime: a member's edit waits on the phone while
// a teammate edits the same field later; then the member's tokens are revoked
// (a password reset) and the phone signs in again. It stays the same device:
// the waiting edit keeps its time (not the new sign-in's) and the teammate's
// later edit wins.
func TestSignInAgainKeepsTheEditsTime(t *testing.T) {
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	ctx := context.Background()
	tm.clock.Advance(time.Minute)
	a.Upsert("location", tm.cellID, map[string]any{"label": "A, earlier"})
	tm.clock.Advance(time.Hour)
	b.Upsert("location", tm.cellID, map[string]any{"label": "B, later"})
	if err := b.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	tm.clock.Advance(time.Hour)
	device := a.State.DeviceID
	tm.env.write(func(tx *store.Tx) error { return tx.RevokeUserDevices(a.State.UserID) }) // a password reset
	if err := a.Sync(ctx); err == nil {
		t.Fatal("a sync with a revoked token went through")
	}
	if err := a.SignInAgain(ctx, "m0", password("m0"), "phone"); err != nil {
		t.Fatal(err)
	}
	if a.State.DeviceID != device {
		t.Errorf("signed in again as device %s; want %s, the device it was", a.State.DeviceID, device)
	}
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	tm.syncAll(t)
	if got := tm.env.record("location", tm.cellID); got.Fields["label"] != "B, later" {
		t.Errorf("label = %v (stamp %s); want B's later edit", got.Fields["label"], got.Versions["label"].HLC)
	}
	if n := tm.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL AND loser_value = ?", `"A, earlier"`); n != 1 {
		t.Errorf("open conflicts keeping A's edit = %d; want 1", n)
	}
}

// TestSignInAgainOwnEditsInOrder: a member's first edit was sent; the second
// waits with the base the web app gives it (the version before the first: it
// keeps no versions of its own writes) when the phone signs in again. The
// two edits are the member's own, in order: no conflict, the second stays.
func TestSignInAgainOwnEditsInOrder(t *testing.T) {
	tm := newTeam(t, 0)
	a := tm.members[0]
	ctx := context.Background()
	tm.clock.Advance(time.Minute)
	a.Upsert("location", tm.cellID, map[string]any{"label": "first"})
	tm.clock.Advance(time.Minute)
	a.Upsert("location", tm.cellID, map[string]any{"label": "second"})
	second := a.State.Outbox[1]
	a.State.Outbox = a.State.Outbox[:1]
	if err := a.Push(ctx); err != nil {
		t.Fatal(err)
	}
	a.State.Outbox = append(a.State.Outbox, second)
	tm.clock.Advance(time.Minute)
	if err := a.SignInAgain(ctx, "m0", password("m0"), "phone"); err != nil {
		t.Fatal(err)
	}
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tm.env.record("location", tm.cellID).Fields["label"]; got != "second" {
		t.Errorf("label = %v; want the second edit", got)
	}
	if n := tm.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"); n != 0 {
		t.Errorf("open conflicts = %d; want none: a member's own two edits in order", n)
	}
}

// TestSignInAgainAsAnotherDevice: a sign-in naming a device of another user,
// or one revoked to be wiped (a lost phone, a sign-out), or none, is a new
// device; the user's own device revoked with all of the user's is kept.
func TestSignInAgainAsAnotherDevice(t *testing.T) {
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	signIn := func(username, previous string) string {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"username": username, "password": password(username), "device_name": "phone", "device_id": previous})
		resp, err := http.Post(tm.env.http.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			DeviceID string `json:"device_id"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("sign-in: %d %v", resp.StatusCode, err)
		}
		return out.DeviceID
	}
	if got := signIn("m0", b.State.DeviceID); got == b.State.DeviceID {
		t.Error("m0 signed in as m1's device")
	}
	tm.env.write(func(tx *store.Tx) error { return tx.RevokeUserDevices(a.State.UserID) })
	kept := signIn("m0", a.State.DeviceID)
	if kept != a.State.DeviceID {
		t.Errorf("signed in again as %s; want the device %s, revoked with all of the user's", kept, a.State.DeviceID)
	}
	if err := a.Sync(context.Background()); err == nil {
		t.Error("the device's old token still works")
	}
	tm.env.write(func(tx *store.Tx) error { return tx.RevokeDevice(kept, "") })
	if got := signIn("m0", kept); got == kept {
		t.Error("signed in again as a device revoked to be wiped")
	}
	if got := signIn("m0", ""); got == "" || got == kept {
		t.Errorf("a first sign-in got device %q", got)
	}
}
