package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"inspecta/store"
	isync "inspecta/sync"
)

// pastVisit pushes, as u, a visit of facility started at day with one cell,
// one observation of it (no note: a field never written) and a
// recommendation, and returns the visit's id and the ids of what is under it.
func pastVisit(t *testing.T, env *testEnv, u *store.User, facility, day string, team ...string) (string, []string) {
	t.Helper()
	visit, cell, obs, rec := newID(), newID(), newID(), newID()
	team = append([]string{u.ID}, team...)
	res, err := env.engine.Push(context.Background(), isync.Actor{UserID: u.ID, Role: u.Role, Region: u.Region, DeviceID: "old-" + u.ID},
		[]json.RawMessage{
			raw(op("visit", visit, map[string]any{"facility_id": facility, "kind": "regular", "started_at": day + "T09:00:00Z", "team": team})),
			raw(op("location", cell, map[string]any{"visit_id": visit, "label": "Cell 1", "kind": "cell"})),
			raw(op("observation", obs, map[string]any{"visit_id": visit, "location_id": cell, "item": "persons_present", "value": 4})),
			raw(op("recommendation", rec, map[string]any{"facility_id": facility, "visit_id": visit, "text": "Repair the heating"})),
		})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.Status != isync.StatusApplied {
			t.Fatalf("past visit op = %+v; want applied", r)
		}
	}
	return visit, []string{"location/" + cell, "observation/" + obs}
}

// approve approves a visit as the coordinator.
func approve(t *testing.T, env *testEnv, coord *store.User, visit string) {
	t.Helper()
	err := env.db.Write(context.Background(), func(tx *store.Tx) error {
		fe, err := env.engine.SetVisitStatus(tx, isync.Actor{UserID: coord.ID, Role: coord.Role, Region: coord.Region, DeviceID: "desk"}, visit, "approved", "", nil)
		if fe != nil {
			t.Fatalf("approve %s: %v", visit, fe)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pullKeys pulls everything after since (one page) and returns the keys of the changes.
func pullKeys(t *testing.T, env *testEnv, u *store.User, scope isync.Scope) (*isync.PullResponse, []string) {
	t.Helper()
	resp, err := env.engine.Pull(context.Background(), isync.Actor{UserID: u.ID, Role: u.Role, Region: u.Region, DeviceID: "new-phone"}, scope, 0, isync.MaxPullSize)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, ch := range resp.Changes {
		keys = append(keys, string(ch.Type)+"/"+ch.ID)
	}
	return resp, keys
}

// TestWorkingSetFirst: a pull of the working set (set=work, protocol 1.2)
// holds every facility, visit and recommendation, and what is under the
// visits that are open or the latest approved of their facility; an older
// approved visit's records wait for the full pull, which still holds all.
func TestWorkingSetFirst(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	m1 := env.addUser("m1", "member", "KZ-KAR")
	a, b := env.facility(coord, "IVS A"), env.facility(coord, "SIZO B")
	oldA, oldUnder := pastVisit(t, env, m1, a, "2026-01-10")
	lastA, lastUnder := pastVisit(t, env, m1, a, "2026-06-10")
	openA, openUnder := pastVisit(t, env, m1, a, "2026-11-10")
	onlyB, onlyBUnder := pastVisit(t, env, m1, b, "2026-03-10")
	for _, v := range []string{oldA, lastA, onlyB} {
		approve(t, env, coord, v)
	}

	work, workKeys := pullKeys(t, env, m1, isync.Scope{WorkingSet: true})
	if work.Set != "work" || work.More {
		t.Fatalf("working-set pull: set %q, more %v; want work, false", work.Set, work.More)
	}
	want := []string{"facility/" + a, "facility/" + b}
	for _, v := range []string{oldA, lastA, openA, onlyB} {
		want = append(want, "visit/"+v)
	}
	want = append(append(append(want, lastUnder...), openUnder...), onlyBUnder...)
	for _, k := range want {
		if !slices.Contains(workKeys, k) {
			t.Errorf("the working set lacks %s", k)
		}
	}
	for _, k := range oldUnder {
		if slices.Contains(workKeys, k) {
			t.Errorf("the working set holds %s, under an approved visit that a later approved visit of its facility replaced", k)
		}
	}
	if n := len(slices.DeleteFunc(slices.Clone(workKeys), func(k string) bool { return k[:15] != "recommendation/" })); n != 4 {
		t.Errorf("the working set holds %d recommendations; want all 4", n)
	}
	if work.Next < 1 {
		t.Errorf("working-set pull next = %d; want the current sequence", work.Next)
	}

	all, allKeys := pullKeys(t, env, m1, isync.Scope{})
	if all.Set != "" {
		t.Errorf("full pull: set %q; want none", all.Set)
	}
	for _, k := range append(append(want, oldUnder...), "visit/"+oldA) {
		if !slices.Contains(allKeys, k) {
			t.Errorf("the full pull lacks %s", k)
		}
	}

	// Over HTTP, an unknown set is refused, not taken as everything.
	dev := env.login("m1", nil)
	req, _ := http.NewRequest("GET", env.http.URL+"/api/v1/sync/pull?since=0&set=everything", nil)
	req.Header.Set("Authorization", "Bearer "+dev.State.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("pull with set=everything = %d; want 400", resp.StatusCode)
	}
}

// TestCompactPullExpandsToFull: the compact pull (compact=1, protocol 1.2)
// carries the same records as the full one: expanded, every change has the
// same fields and versions, and the page's stamp is the latest of all the
// full form's stamps. Records with a conflict, a delete, a field never
// written and (for staff) redacted fields are among them.
func TestCompactPullExpandsToFull(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	m1 := env.addUser("m1", "member", "KZ-KAR")
	m2 := env.addUser("m2", "member", "KZ-KAR")
	env.addUser("staff", "staff", "")
	a := env.facility(coord, "IVS A")
	visit, under := pastVisit(t, env, m1, a, "2026-06-10", m2.ID)
	cell := under[0][len("location/"):]
	ctx := context.Background()
	d1, d2 := env.login("m1", nil), env.login("m2", nil)
	for _, d := range []*isync.Client{d1, d2} {
		if err := d.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Both members rename the cell without seeing each other: a conflict.
	for i, d := range []*isync.Client{d1, d2} {
		if _, err := d.Upsert("location", cell, map[string]any{"label": fmt.Sprintf("Cell %d", 10+i)}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Upsert("observation", newID(), map[string]any{"visit_id": visit, "location_id": cell, "item": "cell_area_m2", "value": 11.5, "note": "ремонт"}); err != nil {
			t.Fatal(err)
		}
	}
	gone := newID()
	if _, err := d1.Upsert("location", gone, map[string]any{"visit_id": visit, "label": "Yard", "kind": "yard"}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*isync.Client{d1, d2} {
		if err := d.Push(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d1.Delete("location", gone); err != nil {
		t.Fatal(err)
	}
	if err := d1.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if env.count("SELECT count(*) FROM conflicts") == 0 {
		t.Fatal("no conflict was made")
	}

	for _, who := range []string{"m1", "m2", "staff"} {
		dev := env.login(who, nil)
		full := rawPull(t, env, dev.State.Token, "")
		compact := rawPull(t, env, dev.State.Token, "&compact=1")
		if !compact.IsCompact || full.IsCompact {
			t.Fatalf("%s: compact flags %v / %v; want true / false", who, compact.IsCompact, full.IsCompact)
		}
		if len(full.Changes) != len(compact.Changes) || len(full.Changes) < 5 {
			t.Fatalf("%s: %d full and %d compact changes; want the same, at least 5", who, len(full.Changes), len(compact.Changes))
		}
		var latest isync.HLC
		var latestText string
		redacted := 0
		for _, ch := range full.Changes {
			redacted += len(ch.Redacted)
			for _, s := range ch.Stamps {
				if h, _ := isync.ParseHLC(s); h.Compare(latest) > 0 {
					latest, latestText = h, s
				}
			}
		}
		if compact.Stamp != latestText {
			t.Errorf("%s: compact stamp %q; want the latest of the full form, %q", who, compact.Stamp, latestText)
		}
		if who == "staff" && redacted == 0 {
			t.Errorf("staff: nothing redacted; the case is not covered")
		}
		compact.Expand()
		for i, ch := range compact.Changes {
			want := full.Changes[i]
			want.Stamps = nil
			if len(want.Versions) == 0 {
				want.Versions = map[string]int64{}
			}
			if !reflect.DeepEqual(ch, want) {
				t.Errorf("%s: expanded compact change\n%+v\nwant\n%+v", who, ch, want)
			}
		}
	}
}

// rawPull pulls one page from 0 over HTTP with extra query parameters.
func rawPull(t *testing.T, env *testEnv, token, extra string) isync.PullResponse {
	t.Helper()
	req, _ := http.NewRequest("GET", env.http.URL+"/api/v1/sync/pull?since=0&limit=5000&snapshot=1"+extra, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var page isync.PullResponse
	if err := json.Unmarshal(body, &page); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pull%s = %d %s", extra, resp.StatusCode, body)
	}
	return page
}

// TestPullInsidePush: a push that asks for a pull (protocol 1.2) gets, in
// the same answer, what a pull made after it would give: another device's
// change, not the pushing device's own (no echo), compact, with the cursor.
func TestPullInsidePush(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	m1 := env.addUser("m1", "member", "KZ-KAR")
	a := env.facility(coord, "IVS A")
	visit, under := pastVisit(t, env, m1, a, "2026-06-10")
	cell := under[0][len("location/"):]
	ctx := context.Background()
	phone := env.login("m1", nil)
	if err := phone.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	since := phone.State.Since
	// Meanwhile another device of the team renames the cell.
	other := env.login("m1", nil)
	if err := other.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Upsert("location", cell, map[string]any{"label": "Cell 1 (renamed)"}); err != nil {
		t.Fatal(err)
	}
	if err := other.Push(ctx); err != nil {
		t.Fatal(err)
	}
	mine := newID()
	body, _ := json.Marshal(map[string]any{"device_id": phone.State.DeviceID, "ops": []isync.Op{
		op("observation", mine, map[string]any{"visit_id": visit, "location_id": cell, "item": "cell_area_m2", "value": 9.5})},
		"pull": map[string]any{"since": since}})
	req, _ := http.NewRequest("POST", env.http.URL+"/api/v1/sync/push", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+phone.State.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ans isync.PushResponse
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("push with pull = %d, %v", resp.StatusCode, err)
	}
	if len(ans.Results) != 1 || ans.Results[0].Status != isync.StatusApplied {
		t.Fatalf("results %+v; want one applied", ans.Results)
	}
	if ans.Pull == nil || !ans.Pull.IsCompact || ans.Pull.More {
		t.Fatalf("pull inside the push = %+v; want a compact, complete page", ans.Pull)
	}
	var keys []string
	for _, ch := range ans.Pull.Changes {
		keys = append(keys, string(ch.Type)+"/"+ch.ID)
	}
	if !slices.Contains(keys, "location/"+cell) || slices.Contains(keys, "observation/"+mine) {
		t.Errorf("pulled %v; want the other device's renamed cell and not the pushed observation", keys)
	}
	if ans.Pull.Next < ans.Results[0].Seq {
		t.Errorf("pull next = %d; want at least the push's seq %d", ans.Pull.Next, ans.Results[0].Seq)
	}
}
