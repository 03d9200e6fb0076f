package sync_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	isync "inspecta/sync"
)

// watchTransport is a real transport that calls before ahead of every
// request (in the caller's goroutine, while the client holds no lock) and
// can lose the answer of the next push on the way back.
type watchTransport struct {
	mu           gosync.Mutex
	before       func(*http.Request)
	loseNextPush bool
}

func (w *watchTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	w.mu.Lock()
	before, lose := w.before, w.loseNextPush && req.URL.Path == "/api/v1/sync/push"
	if lose {
		w.loseNextPush = false
	}
	w.mu.Unlock()
	if before != nil {
		before(req)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || !lose {
		return resp, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, errors.New("simulated: the push's answer lost on the way back")
}

// serverRecords is what the server holds for a new device of the user, as
// the device would keep it: one full pull from 0, expanded, and its cursor.
func serverRecords(t *testing.T, env *testEnv, token string) (map[string]*isync.LocalRecord, int64) {
	t.Helper()
	page := rawPull(t, env, token, "&compact=1")
	if page.More {
		t.Fatal("the server holds more than a page: make the case smaller")
	}
	page.Expand()
	want := map[string]*isync.LocalRecord{}
	for _, ch := range page.Changes {
		rec := &isync.LocalRecord{Type: ch.Type, ID: ch.ID, Fields: ch.Fields, Versions: ch.Versions, Deleted: ch.Deleted, Conflicts: ch.Conflicts}
		if rec.Versions == nil {
			rec.Versions = map[string]int64{}
		}
		want[string(ch.Type)+"/"+ch.ID] = rec
	}
	return want, page.Next
}

// sameRecords reports every difference between a device's records and want.
func sameRecords(t *testing.T, who string, got, want map[string]*isync.LocalRecord) {
	t.Helper()
	for k, w := range want {
		if g := got[k]; !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s = %+v; want %+v", who, k, g, w)
		}
	}
	for k := range got {
		if want[k] == nil {
			t.Errorf("%s holds %s, which the server does not give", who, k)
		}
	}
}

// TestFirstPullWorkingSetFirst: a new device's first Pull applies the working
// set (protocol 1.2, "First sync") before it asks for anything else, then
// pulls everything from 0 and skips what it applied already: it ends with
// exactly what one full pull gives (records, versions, conflicts, cursor),
// each change applied once.
func TestFirstPullWorkingSetFirst(t *testing.T) {
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
	ctx := context.Background()
	watch := &watchTransport{}
	dev := env.login("m1", &http.Client{Transport: watch})
	dev.PullSize = 3 // both passes take several pages
	var pulls []string
	var heldAtFull []string // the device's records when it first asked for more than the working set
	watch.before = func(req *http.Request) {
		if req.URL.Path != "/api/v1/sync/pull" {
			return
		}
		pulls = append(pulls, req.URL.RawQuery)
		if req.URL.Query().Get("set") == "" && heldAtFull == nil {
			heldAtFull = []string{}
			for k := range dev.State.Records {
				heldAtFull = append(heldAtFull, k)
			}
			// A record of the working set changes between the passes: the
			// full pass brings it at a later seq, and it is applied again.
			rename := op("facility", b, map[string]any{"name": "SIZO B (renamed)"})
			if held := dev.State.Records["facility/"+b]; held != nil {
				rename.Base = map[string]int64{"name": held.Versions["name"]}
			}
			env.apply(coord, rename)
		}
	}
	if err := dev.Pull(ctx); err != nil {
		t.Fatal(err)
	}

	work := []string{"facility/" + a, "facility/" + b}
	for _, v := range []string{oldA, lastA, openA, onlyB} {
		work = append(work, "visit/"+v)
	}
	work = append(append(append(work, lastUnder...), openUnder...), onlyBUnder...)
	for _, k := range work {
		if !slices.Contains(heldAtFull, k) {
			t.Errorf("%s, of the working set, was not applied before the full pass began", k)
		}
	}
	for _, k := range oldUnder {
		if slices.Contains(heldAtFull, k) {
			t.Errorf("%s, under an old approved visit, came before the full pass", k)
		}
	}
	if len(pulls) == 0 || !strings.Contains(pulls[0], "set=work") {
		t.Fatalf("pulls %v; want the working set first", pulls)
	}

	want, next := serverRecords(t, env, dev.State.Token)
	sameRecords(t, "the device after its first pull", dev.State.Records, want)
	if dev.State.Since != next {
		t.Errorf("cursor %d after the first pull; want the server's %d", dev.State.Since, next)
	}
	if got := dev.Record("facility", b); got == nil || got.Fields["name"] != "SIZO B (renamed)" {
		t.Errorf("the facility renamed between the passes = %+v; want the new name", got)
	}
	if dev.Applied != len(want)+1 {
		t.Errorf("%d changes applied for %d records; want each once, and the facility renamed between the passes twice", dev.Applied, len(want))
	}
	onePass := (len(want) + dev.PullSize - 1) / dev.PullSize
	t.Logf("first pull of %d records in pages of %d: %d requests (%d of the working set), one pass from 0 takes %d",
		len(want), dev.PullSize, len(pulls), len(pulls)-onePass, onePass)

	// Nothing comes again: a second pull asks once and applies nothing.
	dev.Applied, dev.Requests = 0, 0
	if err := dev.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if dev.Applied != 0 || dev.Requests != 1 {
		t.Errorf("the pull after the first: %d applied in %d requests; want none in 1", dev.Applied, dev.Requests)
	}
}

// TestFirstPullWorkingSetAfterReset: a device signed in again pulls from 0
// after a reset, the working set first, both passes as snapshots: it keeps
// its own writes (no echo is off), keeps a record with a change waiting, and
// drops a record the server no longer gives only once the full pass is done.
func TestFirstPullWorkingSetAfterReset(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	m1 := env.addUser("m1", "member", "KZ-KAR")
	a := env.facility(coord, "IVS A")
	old, _ := pastVisit(t, env, m1, a, "2026-01-10")
	approve(t, env, coord, old)
	pastVisit(t, env, m1, a, "2026-06-10")
	ctx := context.Background()
	watch := &watchTransport{}
	dev := env.login("m1", &http.Client{Transport: watch})
	dev.PullSize = 2
	if err := dev.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	// The device's own visit, pushed: the server leaves it out of its plain pulls.
	visit := newID()
	if _, err := dev.Upsert("visit", visit, map[string]any{"facility_id": a, "kind": "regular", "started_at": "2026-11-20T09:00:00Z", "team": []string{m1.ID}}); err != nil {
		t.Fatal(err)
	}
	if err := dev.Push(ctx); err != nil {
		t.Fatal(err)
	}
	waiting := newID()
	if _, err := dev.Upsert("location", waiting, map[string]any{"visit_id": visit, "label": "Yard", "kind": "yard"}); err != nil {
		t.Fatal(err)
	}
	ghost := &isync.LocalRecord{Type: "facility", ID: newID(), Fields: map[string]any{"name": "gone"}, Versions: map[string]int64{"name": 1}}
	dev.State.Records["facility/"+ghost.ID] = ghost
	if err := dev.SignInAgain(ctx, "m1", password("m1"), "test device"); err != nil {
		t.Fatal(err)
	}
	var ghostAtFull, full bool
	var work, snapshots int
	watch.before = func(req *http.Request) {
		q := req.URL.Query()
		if req.URL.Path != "/api/v1/sync/pull" {
			return
		}
		if q.Get("set") == "work" {
			work++
		} else if !full {
			full = true
			ghostAtFull = dev.State.Records["facility/"+ghost.ID] != nil
		}
		if q.Get("snapshot") == "1" {
			snapshots++
		}
	}
	if err := dev.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if work == 0 || snapshots < work+1 {
		t.Errorf("%d working-set pages, %d snapshot pages; want the working set first, every page a snapshot", work, snapshots)
	}
	if !ghostAtFull {
		t.Errorf("the record the server no longer gives was dropped before the full pass began")
	}
	if dev.State.Records["facility/"+ghost.ID] != nil {
		t.Errorf("the record the server no longer gives is still held after the pull from 0")
	}
	if dev.State.Resetting {
		t.Errorf("still resetting after the pull from 0")
	}
	if dev.Record("visit", visit) == nil || dev.Record("location", waiting) == nil {
		t.Fatalf("the device's own visit (%v) or the place waiting to be sent (%v) was dropped",
			dev.Record("visit", visit) != nil, dev.Record("location", waiting) != nil)
	}
	if err := dev.Push(ctx); err != nil {
		t.Fatal(err)
	}
	want, _ := serverRecords(t, env, dev.State.Token)
	for k, w := range want {
		if k == "location/"+waiting {
			continue // the device's own, as it made it (storedAsSent)
		}
		if g := dev.State.Records[k]; !reflect.DeepEqual(g, w) {
			t.Errorf("after the reset: %s = %+v; want %+v", k, g, w)
		}
	}
	if len(dev.State.Records) != len(want) {
		t.Errorf("after the reset the device holds %d records; the server gives %d", len(dev.State.Records), len(want))
	}
}

// TestSyncPullsInsideItsLastPush: Sync's last push asks for the pull that
// follows it (protocol 1.2): the device ends as up to date as one that
// pushes and then pulls, in one request fewer, its own write not pulled back.
func TestSyncPullsInsideItsLastPush(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	m1 := env.addUser("m1", "member", "KZ-KAR")
	a := env.facility(coord, "IVS A")
	visit, under := pastVisit(t, env, m1, a, "2026-06-10")
	cell := under[0][len("location/"):]
	ctx := context.Background()
	oneWay, twoWay, other := env.login("m1", nil), env.login("m1", nil), env.login("m1", nil)
	for _, d := range []*isync.Client{oneWay, twoWay, other} {
		if err := d.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !oneWay.State.PullInPush {
		t.Fatal("a pull of a 1.2 server did not mark it as answering a pull inside a push")
	}
	// Another device renames the cell; each phone records an observation.
	if _, err := other.Upsert("location", cell, map[string]any{"label": "Cell 1 (renamed)"}); err != nil {
		t.Fatal(err)
	}
	if err := other.Push(ctx); err != nil {
		t.Fatal(err)
	}
	obs := map[*isync.Client]string{}
	for i, d := range []*isync.Client{twoWay, oneWay} {
		obs[d] = newID()
		if _, err := d.Upsert("observation", obs[d], map[string]any{"visit_id": visit, "location_id": cell, "item": []string{"cell_area_m2", "sleeping_places"}[i], "value": 9 + float64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	// The old way first, then the new: the new one also pulls the old one's observation.
	twoWay.Requests = 0
	if err := twoWay.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if err := twoWay.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	oneWay.Requests, oneWay.Applied = 0, 0
	if err := oneWay.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if oneWay.Requests != twoWay.Requests-1 {
		t.Errorf("Sync took %d requests, push-then-pull %d; want one fewer", oneWay.Requests, twoWay.Requests)
	}
	if len(oneWay.State.Outbox) != 0 {
		t.Errorf("%d operations left in the outbox", len(oneWay.State.Outbox))
	}
	if oneWay.Applied != 2 {
		t.Errorf("Sync applied %d pulled changes; want 2 (the renamed cell, the other phone's observation; its own not again)", oneWay.Applied)
	}
	if got := oneWay.Record("location", cell); got == nil || got.Fields["label"] != "Cell 1 (renamed)" {
		t.Errorf("the cell after Sync = %+v; want the other device's name", got)
	}
	if got := oneWay.Record("observation", obs[twoWay]); got == nil || got.Fields["value"] != 9.0 {
		t.Errorf("the other phone's observation after Sync = %+v; want it", got)
	}
	want, next := serverRecords(t, env, oneWay.State.Token)
	if oneWay.State.Since != next {
		t.Errorf("cursor %d after Sync; want the server's %d", oneWay.State.Since, next)
	}
	for k, w := range want {
		if k == "observation/"+obs[oneWay] {
			continue // its own, as it made it (storedAsSent)
		}
		if g := oneWay.State.Records[k]; !reflect.DeepEqual(g, w) {
			t.Errorf("after Sync: %s = %+v; want %+v", k, g, w)
		}
	}
	if own := oneWay.Record("observation", obs[oneWay]); own == nil || own.Versions["value"] != want["observation/"+obs[oneWay]].Versions["value"] {
		t.Errorf("its own observation after Sync = %+v; want the version the server gave", own)
	}

	// More than a page after the cursor: the pull inside the push is the
	// first page, and Sync pulls the rest as usual.
	for i := range 5 {
		rename := op("facility", a, map[string]any{"name": "IVS A " + strings.Repeat("I", i+1)})
		rename.Base = map[string]int64{"name": oneWay.Record("facility", a).Versions["name"] + int64(2*i)}
		env.apply(coord, rename)
		env.facility(coord, "New "+strings.Repeat("I", i+1))
	}
	oneWay.PullSize = 2
	if _, err := oneWay.Upsert("observation", newID(), map[string]any{"visit_id": visit, "location_id": cell, "item": "showers_per_week", "value": 3}); err != nil {
		t.Fatal(err)
	}
	oneWay.Requests = 0
	if err := oneWay.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want, next = serverRecords(t, env, oneWay.State.Token)
	if oneWay.State.Since != next || len(oneWay.Records("facility")) != 6 {
		t.Errorf("after a Sync with more than a page: cursor %d (want %d), %d facilities (want 6)", oneWay.State.Since, next, len(oneWay.Records("facility")))
	}
	if oneWay.Requests != 3 { // the push with the first page, then 2 pages: 6 facility changes (the renamed one once) in pages of 2
		t.Errorf("Sync with more than a page took %d requests; want 3", oneWay.Requests)
	}
}

// TestSyncPullInsidePushAfterCursorMovedBack: when acknowledging the push
// moves the cursor back (an operation sent again after its answer was lost,
// whose change lost a conflict that a pull meanwhile showed under the local
// value), the pull inside the push was made from the old cursor: Sync pulls
// as usual and shows what won.
func TestSyncPullInsidePushAfterCursorMovedBack(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	m1 := env.addUser("m1", "member", "KZ-KAR")
	a := env.facility(coord, "IVS A")
	_, under := pastVisit(t, env, m1, a, "2026-06-10")
	cell := under[0][len("location/"):]
	ctx := context.Background()
	watch := &watchTransport{}
	phone, other := env.login("m1", &http.Client{Transport: watch}), env.login("m1", nil)
	for _, d := range []*isync.Client{phone, other} {
		if err := d.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The phone renames first (an earlier stamp); the other device's later name wins.
	mine, err := phone.Upsert("location", cell, map[string]any{"label": "Phone's name"})
	if err != nil {
		t.Fatal(err)
	}
	stamp, err := isync.ParseHLC(mine.HLC)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !time.Now().After(stamp.Wall.Add(50 * time.Millisecond)); {
		if time.Now().After(deadline) {
			t.Fatal("the clock does not move")
		}
		time.Sleep(time.Millisecond) // the other device's stamp must be later, not only its node
	}
	if _, err := other.Upsert("location", cell, map[string]any{"label": "Winning name"}); err != nil {
		t.Fatal(err)
	}
	if err := other.Push(ctx); err != nil {
		t.Fatal(err)
	}
	watch.mu.Lock()
	watch.loseNextPush = true
	watch.mu.Unlock()
	if err := phone.Push(ctx); err == nil {
		t.Fatal("the push whose answer was lost succeeded")
	}
	if env.count("SELECT count(*) FROM conflicts WHERE winner_value = ?", `"Winning name"`) != 1 {
		t.Fatal("the phone's rename did not lose a conflict on the server")
	}
	// A pull while the rename waits shows the local value over the winner.
	if err := phone.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if err := phone.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := phone.Record("location", cell); got == nil || got.Fields["label"] != "Winning name" {
		t.Errorf("the cell after Sync = %v; want the name that won on the server", got.Fields["label"])
	}
	if got := phone.Record("location", cell); got == nil || len(got.Conflicts) != 1 {
		t.Errorf("the cell after Sync shows %d open conflicts; want 1", len(got.Conflicts))
	}
}

// TestFirstPullDropsWhatLeftScopeBetweenPasses: what the user may see
// changes after the working-set pass and before the full pass (taken off a
// visit's team). The full pass from 0 records the change as seen without a
// reset, so the device itself drops what the working-set pass applied and
// the full pass no longer brings: the visit it may no longer see does not
// stay on the phone. A record the device itself wrote meanwhile stays, as
// does one with a change waiting.
func TestFirstPullDropsWhatLeftScopeBetweenPasses(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	m1 := env.addUser("m1", "member", "KZ-KAR")
	m2 := env.addUser("m2", "member", "KZ-KAR")
	a := env.facility(coord, "IVS A")
	shared, sharedUnder := pastVisit(t, env, m2, a, "2026-11-10", m1.ID)
	mine, mineUnder := pastVisit(t, env, m1, a, "2026-11-12")
	mineCell := mineUnder[0][len("location/"):]
	waitingObs := sharedUnder[1][len("observation/"):]
	mineObs := mineUnder[1][len("observation/"):]
	ctx := context.Background()
	watch := &watchTransport{}
	dev := env.login("m1", &http.Client{Transport: watch})
	full := false
	watch.before = func(req *http.Request) {
		if req.URL.Path != "/api/v1/sync/pull" || req.URL.Query().Get("set") != "" || full {
			return
		}
		full = true
		if dev.State.Records["visit/"+shared] == nil {
			t.Errorf("the shared visit was not in the working set")
		}
		// m1 is taken off the shared visit's team.
		off := op("visit", shared, map[string]any{"team": []string{m2.ID}})
		off.Base = map[string]int64{"team": dev.State.Records["visit/"+shared].Versions["team"]}
		env.serverOp(coord, off)
		// The device corrects an observation of its own visit and sends it.
		if _, err := dev.Upsert("observation", mineObs, map[string]any{"visit_id": mine, "location_id": mineCell, "item": "persons_present", "value": 6}); err != nil {
			t.Error(err)
		}
		if err := dev.Push(ctx); err != nil {
			t.Error(err)
		}
		// And it corrects an observation of the shared visit, not sent yet:
		// a record with an operation waiting is never dropped.
		if _, err := dev.Upsert("observation", waitingObs, map[string]any{"value": 5}); err != nil {
			t.Error(err)
		}
	}
	if err := dev.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if dev.Record("observation", waitingObs) == nil {
		t.Errorf("the observation with a correction waiting to be sent was dropped")
	}
	delete(dev.State.Records, "observation/"+waitingObs) // compared below without it
	for _, k := range append([]string{"visit/" + shared}, sharedUnder...) {
		if dev.State.Records[k] != nil {
			t.Errorf("%s, of a visit m1 was taken off, is still on the phone after the first pull", k)
		}
	}
	for _, k := range append([]string{"visit/" + mine, "location/" + mineCell}, mineUnder...) {
		if dev.State.Records[k] == nil {
			t.Errorf("%s, of m1's own visit, is missing after the first pull", k)
		}
	}
	if got := dev.Record("observation", mineObs); got == nil || got.Fields["value"] != 6.0 {
		t.Errorf("the observation the device corrected and sent between the passes = %+v; want it, corrected", got)
	}
	want, next := serverRecords(t, env, dev.State.Token)
	delete(want, "observation/"+mineObs) // the device's own, as it made it (storedAsSent)
	delete(dev.State.Records, "observation/"+mineObs)
	sameRecords(t, "the device after its first pull", dev.State.Records, want)
	if dev.State.Since != next {
		t.Errorf("cursor %d; want %d", dev.State.Since, next)
	}
}
