package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// fakeClock is the real time of a test: the server reads it, and each device
// reads it plus its own error.
type fakeClock struct {
	mu gosync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// deviceClock is a device's clock, wrong by off.
func (c *fakeClock) deviceClock(off time.Duration) func() time.Time {
	return func() time.Time { return c.Now().Add(off) }
}

// team is a visit with a cell, a coordinator and members who all hold it.
type team struct {
	env      *testEnv
	clock    *fakeClock
	coord    *isync.Client
	members  []*isync.Client
	visitID  string
	cellID   string
	facility string
}

// newTeam signs in a coordinator and n members of KZ-KAR, each member's
// device with its clock wrong by offsets[i]; member 0 creates a visit with
// everyone on the team and a cell, and every device pulls it.
func newTeam(t *testing.T, offsets ...time.Duration) *team {
	t.Helper()
	return newTeamOf(t, false, offsets...)
}

// newTeamOf is newTeam; with legacy the members' devices behave as 1.0
// clients that neither correct their clocks nor observe stamps.
func newTeamOf(t *testing.T, legacy bool, offsets ...time.Duration) *team {
	t.Helper()
	ctx := context.Background()
	env := newEnv(t)
	clk := &fakeClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	env.db.Now = clk.Now
	tm := &team{env: env, clock: clk, visitID: newID(), cellID: newID()}
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	var ids []string
	for i := range offsets {
		ids = append(ids, env.addUser(fmt.Sprintf("m%d", i), "member", "KZ-KAR").ID)
	}
	var err error
	if tm.coord, err = isync.LoginWithClock(ctx, nil, env.http.URL, "coord", password("coord"), "coord", clk.deviceClock(0)); err != nil {
		t.Fatal(err)
	}
	for i, off := range offsets {
		c, err := isync.LoginWithClock(ctx, nil, env.http.URL, fmt.Sprintf("m%d", i), password(fmt.Sprintf("m%d", i)), "phone", clk.deviceClock(off))
		if err != nil {
			t.Fatal(err)
		}
		if legacy {
			c.IgnoreServerClock, c.State.ClockOffset = true, 0
		}
		tm.members = append(tm.members, c)
	}
	tm.facility = env.facility(coord, "IVS demo")
	clk.Advance(time.Minute)
	m0 := tm.members[0]
	m0.Upsert("visit", tm.visitID, map[string]any{"facility_id": tm.facility, "kind": "regular", "team": ids})
	m0.Upsert("location", tm.cellID, map[string]any{"visit_id": tm.visitID, "label": "Cell 1", "kind": "cell"})
	tm.syncAll(t)
	return tm
}

func (tm *team) all() []*isync.Client { return append([]*isync.Client{tm.coord}, tm.members...) }

func (tm *team) syncAll(t *testing.T) {
	t.Helper()
	for _, c := range tm.all() {
		if err := c.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range tm.all() {
		if err := c.Pull(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// serverRecord reads a record as stored.
func (e *testEnv) record(typ schema.RecordType, id string) *store.Record {
	e.t.Helper()
	var rec *store.Record
	err := e.db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		rec, err = tx.LoadRecord(typ, id)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return rec
}

// TestClockOrderNotArrivalOrder: two members rename the same cell offline; the
// later rename arrives first. The later rename wins on every replica and the
// earlier one is kept as an open conflict. (With "last to arrive wins" the
// earlier rename would win: this test fails.)
func TestClockOrderNotArrivalOrder(t *testing.T) {
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	tm.clock.Advance(time.Minute)
	a.Upsert("location", tm.cellID, map[string]any{"label": "Cell 1 (earlier)"})
	tm.clock.Advance(time.Minute)
	b.Upsert("location", tm.cellID, map[string]any{"label": "Cell 1 (later)"})
	tm.clock.Advance(time.Minute)
	if err := b.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	tm.clock.Advance(time.Minute)
	if err := a.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	tm.syncAll(t)
	if got := tm.env.record("location", tm.cellID).Fields["label"]; got != "Cell 1 (later)" {
		t.Errorf("server label = %v; want the later rename, which arrived first", got)
	}
	for i, c := range tm.all() {
		if got := c.Record("location", tm.cellID).Fields["label"]; got != "Cell 1 (later)" {
			t.Errorf("replica %d label = %v; want the later rename", i, got)
		}
	}
	if n := tm.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL AND loser_value = ?", `"Cell 1 (earlier)"`); n != 1 {
		t.Errorf("open conflicts keeping the earlier rename = %d; want 1", n)
	}
}

// TestWrongPhoneClocksNeitherWinNorLose: a phone that thinks it is 2099 and
// one whose clock restarted at 1970 edit the same field concurrently with a
// correct one. Whatever the clocks say, the edit made last in real time wins
// on every replica (docs/protocol.md, "Clock"), whichever arrives first, both
// for a device that corrects its clock from server_time and one that does not.
func TestWrongPhoneClocksNeitherWinNorLose(t *testing.T) {
	future := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	past := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	cases := []struct {
		corrects bool
		order    []int // who edits first, second, last
	}{{true, []int{0, 1, 2}}, {true, []int{2, 1, 0}}, {false, []int{1, 2, 0}}, {false, []int{2, 0, 1}}}
	for _, tc := range cases {
		corrects, order := tc.corrects, tc.order
		{
			t.Run(fmt.Sprintf("corrects=%v/order=%v", corrects, order), func(t *testing.T) {
				tm := newTeamOf(t, !corrects, 0, future, past) // correct, 2099, 1970
				names := []string{"correct", "2099", "1970"}
				for _, i := range order {
					tm.clock.Advance(time.Minute)
					tm.members[i].Upsert("location", tm.cellID, map[string]any{"label": "by " + names[i]})
				}
				last := names[order[2]]
				// Arrival in the opposite order of the edits.
				for k := 2; k >= 0; k-- {
					tm.clock.Advance(time.Minute)
					if err := tm.members[order[k]].Push(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
				tm.syncAll(t)
				for i, c := range tm.all() {
					if got := c.Record("location", tm.cellID).Fields["label"]; got != "by "+last {
						t.Errorf("replica %d label = %v; want %q, the edit made last", i, got, "by "+last)
					}
				}
				if n := tm.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"); n != 2 {
					t.Errorf("open conflicts = %d; want the two values set aside", n)
				}
				// Every stored stamp is within the time the edits can have been made.
				rec := tm.env.record("location", tm.cellID)
				h, err := isync.ParseHLC(rec.Versions["label"].HLC)
				if err != nil || h.Wall.Year() != 2026 {
					t.Errorf("stored stamp %q; want a 2026 time", rec.Versions["label"].HLC)
				}
			})
		}
	}
}

// TestStampsAreBoundedAndCapped: a stamp from the future without device_time
// is stored as no later than its arrival; a stamp over 100 characters is
// refused; pull carries each field's stamp and the server's time and generation.
func TestStampsAreBoundedAndCapped(t *testing.T) {
	tm := newTeam(t, 0)
	m := tm.members[0]
	tm.clock.Advance(time.Minute)
	future := isync.Op{OpID: newID(), Type: "location", ID: tm.cellID, Action: "upsert",
		HLC: "2099-01-01T00:00:00.000Z/0000/" + m.State.DeviceID, Base: map[string]int64{"label": m.Record("location", tm.cellID).Versions["label"]},
		Fields: fields(map[string]any{"label": "from the future"})}
	long := isync.Op{OpID: newID(), Type: "location", ID: tm.cellID, Action: "upsert",
		HLC: "2026-11-26T09:10:00.000Z/0000/" + strings.Repeat("x", 120), Fields: fields(map[string]any{"kind": "ward"})}
	res := pushOps(t, m, future, long)
	if res.Results[0].Status != isync.StatusApplied {
		t.Fatalf("future op = %+v", res.Results[0])
	}
	if r := res.Results[1]; r.Status != isync.StatusRejected || r.Error.Field != "hlc" {
		t.Errorf("op with a 150-character stamp = %+v; want rejected on hlc", r)
	}
	if res.ServerTime != isync.FormatTime(tm.clock.Now()) || res.Generation == "" {
		t.Errorf("push answer server_time %q generation %q; want %q and the generation", res.ServerTime, res.Generation, isync.FormatTime(tm.clock.Now()))
	}
	stamp := tm.env.record("location", tm.cellID).Versions["label"].HLC
	if h, err := isync.ParseHLC(stamp); err != nil || h.Wall.After(tm.clock.Now()) || h.Node != m.State.DeviceID {
		t.Errorf("stored stamp %q; want no later than %v, node the device", stamp, tm.clock.Now())
	}
	other := tm.coord
	req, _ := http.NewRequest("GET", other.State.BaseURL+"/api/v1/sync/pull?since=0", nil)
	req.Header.Set("Authorization", "Bearer "+other.State.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var pr isync.PullResponse
	json.NewDecoder(resp.Body).Decode(&pr)
	resp.Body.Close()
	found := false
	for _, ch := range pr.Changes {
		if ch.ID == tm.cellID {
			found = ch.Stamps["label"] == stamp
		}
	}
	if !found || pr.ServerTime == "" || pr.Generation != res.Generation {
		t.Errorf("pull: stamp of label found=%v, server_time %q, generation %q; want the stored stamp, the time and %q", found, pr.ServerTime, pr.Generation, res.Generation)
	}
}
