package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

func (e *testEnv) write(fn func(tx *store.Tx) error) {
	e.t.Helper()
	if err := e.db.Write(context.Background(), fn); err != nil {
		e.t.Fatal(err)
	}
}

func (e *testEnv) userID(username string) string {
	e.t.Helper()
	var id string
	e.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow("SELECT id FROM users WHERE username = ?", username).Scan(&id)
	})
	return id
}

// TestBaseNeverIssuedIsRefused: a base beyond every sequence the server issued
// is refused with bad_base (the colleague's value stays, nothing is taken as
// "seen"), and the rest of the batch is applied.
func TestBaseNeverIssuedIsRefused(t *testing.T) {
	s := setupTwoRegions(t)
	stale := op("location", s.cellID, map[string]any{"label": "overwritten?"})
	stale.Base = map[string]int64{"label": 999999999}
	good := op("location", newID(), map[string]any{"visit_id": s.visitID, "label": "Yard", "kind": "yard"})
	res := pushOps(t, s.karMember, stale, good)
	if r := res.Results[0]; r.Status != isync.StatusRejected || r.Error.Code != "bad_base" || r.Error.Field != "base.label" {
		t.Errorf("op with base 999999999 = %+v; want rejected with bad_base on base.label", r)
	}
	if r := res.Results[1]; r.Status != isync.StatusApplied {
		t.Errorf("the other op of the batch = %+v; want applied", r)
	}
	if got := s.env.record("location", s.cellID).Fields["label"]; got != "Cell 12" {
		t.Errorf("label = %v; want the stored one kept", got)
	}
}

// TestLostResetAnswerIsRepeated: the reset answer is repeated on every pull
// with since > 0 until the device pulls from 0; then it stops.
func TestLostResetAnswerIsRepeated(t *testing.T) {
	ctx := context.Background()
	s := setupTwoRegions(t)
	if err := s.karMember.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	since := s.karMember.State.Since
	s.env.write(func(tx *store.Tx) error { return tx.BumpScope(s.karMember.State.UserID) })
	pull := func(since int64) map[string]any {
		var out map[string]any
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/sync/pull?since=%d", s.karMember.State.BaseURL, since), nil)
		req.Header.Set("Authorization", "Bearer "+s.karMember.State.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		decode(t, resp, &out)
		return out
	}
	for i := 0; i < 2; i++ { // the first answer is lost: the retry gets reset again
		if out := pull(since); out["reset"] != true {
			t.Fatalf("pull %d after a scope change = %v; want reset", i+1, out)
		}
	}
	if out := pull(0); out["reset"] == true {
		t.Fatalf("pull from 0 = reset; want the snapshot")
	}
	if out := pull(since); out["reset"] == true {
		t.Errorf("pull after the pull from 0 = reset; want none")
	}
}

// TestResetLeavesEachDeviceWhatItsUserMaySee: a member taken off a team, a
// coordinator demoted to member, a revoked phone: each device ends holding
// exactly what its user may see now.
func TestResetLeavesEachDeviceWhatItsUserMaySee(t *testing.T) {
	ctx := context.Background()
	s := setupTwoRegions(t)
	env := s.env
	env.addUser("member2kar", "member", "KZ-KAR")
	second := env.login("member2kar", nil)
	pushOps(t, s.karMember, op("visit", s.visitID, map[string]any{"team": []string{s.karMember.State.UserID, second.State.UserID}}))
	phone := env.login("memberkar", nil) // the member's second phone, to be revoked
	for _, c := range []*isync.Client{s.karMember, second, s.karCoord, phone} {
		if err := c.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(second.Records("location")) != 1 || len(s.karCoord.Records("confidential_note")) != 1 {
		t.Fatalf("setup: second member holds %d locations, coordinator %d notes", len(second.Records("location")), len(s.karCoord.Records("confidential_note")))
	}
	// A change waiting in the removed member's outbox stays there, and comes back refused.
	second.Upsert("location", s.cellID, map[string]any{"label": "waiting"})
	// Taken off the team.
	pushOps(t, s.karMember, op("visit", s.visitID, map[string]any{"team": []string{s.karMember.State.UserID}}))
	// The coordinator demoted to member (of no team).
	env.write(func(tx *store.Tx) error { return tx.SetUserRole(s.karCoord.State.UserID, "member", "KZ-KAR") })
	// The second phone revoked.
	env.write(func(tx *store.Tx) error { return tx.RevokeDevice(phone.State.DeviceID, "") })

	// A new role revokes the user's tokens without wiping: the device signs in again.
	var he *isync.ErrHTTP
	if err := s.karCoord.Sync(ctx); !errors.As(err, &he) || he.Status != http.StatusUnauthorized || he.Code == "device_revoked" {
		t.Fatalf("sync after the role change = %v; want 401, not device_revoked", err)
	}
	if len(s.karCoord.State.Records) == 0 {
		t.Fatal("the demoted coordinator's device wiped itself on a role change")
	}
	if err := s.karCoord.SignInAgain(ctx, "coordkar", password("coordkar"), "laptop"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*isync.Client{second, s.karCoord} {
		if err := c.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, typ := range []schema.RecordType{"visit", "location", "observation", "confidential_note"} {
		if n := len(second.Records(typ)); n != 0 {
			t.Errorf("member taken off the team still holds %d %s record(s)", n, typ)
		}
		if n := len(s.karCoord.Records(typ)); n != 0 {
			t.Errorf("demoted coordinator still holds %d %s record(s)", n, typ)
		}
	}
	if len(second.Records("facility")) != 1 || len(s.karCoord.Records("facility")) != 1 {
		t.Errorf("facilities held: %d and %d; want the region's one each", len(second.Records("facility")), len(s.karCoord.Records("facility")))
	}
	if len(second.State.Rejected) != 1 || second.State.Rejected[0].Error.Code != "forbidden" {
		t.Errorf("the waiting change = %+v; want refused as out of scope", second.State.Rejected)
	}
	if err := phone.Sync(ctx); !errors.Is(err, isync.ErrRevoked) {
		t.Errorf("revoked phone's sync = %v; want ErrRevoked", err)
	}
	if len(phone.State.Records) != 0 || len(phone.State.Outbox) != 0 || phone.State.Token != "" {
		t.Errorf("revoked phone holds %d records, %d ops, token %q; want nothing", len(phone.State.Records), len(phone.State.Outbox), phone.State.Token)
	}
}

// TestDeletesCarryABase: an edit racing a delete is kept as a conflict in
// either order; a deleted record can be restored; deleting again after the
// restore is a plain delete.
func TestDeletesCarryABase(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	// A deletes the cell while B, not having seen it, renames it; the delete arrives first.
	tm.clock.Advance(time.Minute)
	a.Delete("location", tm.cellID)
	tm.clock.Advance(time.Minute)
	b.Upsert("location", tm.cellID, map[string]any{"label": "Cell 1 renamed"})
	if err := a.Push(ctx); err != nil {
		t.Fatal(err)
	}
	res := pushOpsFromOutbox(t, b)
	if res.Status != isync.StatusConflict {
		t.Errorf("edit of a record deleted meanwhile = %s; want conflict, never applied and lost", res.Status)
	}
	rec := tm.env.record("location", tm.cellID)
	if rec.Deleted || rec.Fields["label"] != "Cell 1 renamed" {
		t.Errorf("record deleted=%v label=%v; want the later edit kept and the record live", rec.Deleted, rec.Fields["label"])
	}
	if n := tm.env.count("SELECT count(*) FROM conflicts WHERE field = '_deleted' AND resolved_at IS NULL"); n != 1 {
		t.Errorf("open conflicts on the deletion = %d; want 1", n)
	}
	tm.syncAll(t)
	// Now the other order: B renames (arrives first), A deletes without having seen it.
	tm.clock.Advance(time.Minute)
	b.Upsert("location", tm.cellID, map[string]any{"label": "Cell 1 again"})
	tm.clock.Advance(time.Minute)
	a.Delete("location", tm.cellID)
	if err := b.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if r := pushOpsFromOutbox(t, a); r.Status != isync.StatusConflict {
		t.Errorf("delete racing an edit = %s; want conflict", r.Status)
	}
	if rec := tm.env.record("location", tm.cellID); !rec.Deleted || rec.Fields["label"] != "Cell 1 again" {
		t.Errorf("record deleted=%v label=%v; want deleted (the later), the edit kept in it", rec.Deleted, rec.Fields["label"])
	}
	tm.syncAll(t)
	// B restores it, having seen the deletion; A then deletes it again, having seen the restore.
	tm.clock.Advance(time.Minute)
	b.Restore("location", tm.cellID)
	if r := pushOpsFromOutbox(t, b); r.Status != isync.StatusApplied {
		t.Errorf("restore = %s; want applied", r.Status)
	}
	if rec := tm.env.record("location", tm.cellID); rec.Deleted {
		t.Error("restored record is still deleted")
	}
	tm.syncAll(t)
	tm.clock.Advance(time.Minute)
	a.Delete("location", tm.cellID)
	if r := pushOpsFromOutbox(t, a); r.Status != isync.StatusApplied {
		t.Errorf("delete after the restore, having seen it = %s; want applied", r.Status)
	}
}

// pushOpsFromOutbox pushes a device's outbox, which holds one op, and returns its result.
func pushOpsFromOutbox(t *testing.T, c *isync.Client) isync.Result {
	t.Helper()
	if len(c.State.Outbox) != 1 {
		t.Fatalf("outbox holds %d ops; want 1", len(c.State.Outbox))
	}
	ops := make([]any, 0, 1)
	ops = append(ops, c.State.Outbox[0])
	res := pushOps(t, c, ops...)
	c.State.Outbox = nil
	return res.Results[0]
}

// TestOpIDIsPerUser: another user's operation that reuses an op_id is refused,
// never answered with the first user's result.
func TestOpIDIsPerUser(t *testing.T) {
	s := setupTwoRegions(t)
	first := op("location", newID(), map[string]any{"visit_id": s.visitID, "label": "Yard", "kind": "yard"})
	if r := pushOps(t, s.karMember, first).Results[0]; r.Status != isync.StatusApplied {
		t.Fatalf("first = %+v", r)
	}
	reuse := op("location", newID(), map[string]any{"visit_id": s.visitID, "label": "Kitchen", "kind": "kitchen"})
	reuse.OpID = first.OpID
	r := pushOps(t, s.karCoord, reuse).Results[0]
	if r.Status != isync.StatusRejected || r.Error == nil || r.Error.Code != "op_id_taken" {
		t.Errorf("another user's op with the same op_id = %+v; want rejected, op_id_taken", r)
	}
	if again := pushOps(t, s.karMember, first).Results[0]; again.Status != isync.StatusDuplicate {
		t.Errorf("the owner's retry = %+v; want duplicate", again)
	}
}

// TestRecommendationLockAndStatus: a member cannot change a recommendation's
// status; once the visit it was made at is approved, its text cannot change
// and it cannot be deleted, while the coordinator still records its status.
func TestRecommendationLockAndStatus(t *testing.T) {
	ctx := context.Background()
	s := setupTwoRegions(t)
	rec := newID()
	if r := pushOps(t, s.karMember, op("recommendation", rec, map[string]any{"facility_id": s.facilityID, "visit_id": s.visitID,
		"text": "Repair the window", "status": "open"})).Results[0]; r.Status != isync.StatusApplied {
		t.Fatalf("new recommendation = %+v", r)
	}
	if r := pushOps(t, s.karMember, op("recommendation", rec, map[string]any{"status": "implemented"})).Results[0]; r.Status != isync.StatusRejected || r.Error.Code != "forbidden" {
		t.Errorf("member's status change = %+v; want rejected, forbidden", r)
	}
	var fe *isync.FieldError
	s.env.write(func(tx *store.Tx) error {
		var err error
		fe, err = s.env.engine.SetVisitStatus(tx, isync.Actor{UserID: s.karCoord.State.UserID, Role: "coordinator", Region: "KZ-KAR", DeviceID: "desk"},
			s.visitID, "approved", "", nil)
		return err
	})
	if fe != nil {
		t.Fatalf("approve: %+v", fe)
	}
	for _, o := range []isync.Op{op("recommendation", rec, map[string]any{"text": "Rewritten after approval"}),
		{OpID: newID(), Type: "recommendation", ID: rec, Action: "delete", HLC: hlc()}} {
		for _, c := range []*isync.Client{s.karMember, s.karCoord} {
			o.OpID = newID()
			if r := pushOps(t, c, o).Results[0]; r.Status != isync.StatusRejected || r.Error.Code != "locked" {
				t.Errorf("%s of a recommendation of an approved visit = %+v; want rejected, locked", o.Action, r)
			}
		}
	}
	next := newID()
	pushOps(t, s.karCoord, op("visit", next, map[string]any{"facility_id": s.facilityID, "kind": "follow_up"}))
	check := op("recommendation", rec, map[string]any{"status": "implemented", "checked_visit_id": next})
	cur := s.env.record("recommendation", rec)
	check.Base = map[string]int64{"status": cur.Versions["status"].Seq, "checked_visit_id": cur.Versions["checked_visit_id"].Seq}
	if r := pushOps(t, s.karCoord, check).Results[0]; r.Status != isync.StatusApplied {
		t.Errorf("coordinator's status check at a later visit = %+v; want applied", r)
	}
	_ = ctx
}

// TestFacilityMovedToAnotherRegion: the facility's visits and what they hold
// go with it: the new region's devices receive them, the old region's drop them.
func TestFacilityMovedToAnotherRegion(t *testing.T) {
	ctx := context.Background()
	s := setupTwoRegions(t)
	almCoord := s.env.login("coordala", nil)
	for _, c := range []*isync.Client{s.karCoord, almCoord} {
		if err := c.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	admin := s.env.addUser("admin", "admin", "")
	s.env.serverOp(admin, isync.Op{Type: "facility", ID: s.facilityID, Action: "upsert", Fields: fields(map[string]any{"region": "KZ-ALA"})})
	for _, c := range []*isync.Client{s.karCoord, almCoord} {
		if err := c.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, typ := range []schema.RecordType{"facility", "visit", "location", "observation", "confidential_note"} {
		if n := len(s.karCoord.Records(typ)); n != 0 {
			t.Errorf("old region's coordinator still holds %d %s", n, typ)
		}
		if n := len(almCoord.Records(typ)); n != 1 {
			t.Errorf("new region's coordinator holds %d %s; want 1", n, typ)
		}
	}
	if n := s.env.count("SELECT count(*) FROM record_index WHERE region = 'KZ-KAR'"); n != 0 {
		t.Errorf("%d records still indexed in the old region", n)
	}
}

// TestMemberWhoseValueWasSetAsideDecides: the member whose value lost sees it
// in pull and can decide; a decision made without seeing a later write keeps
// both (one decision, one visible conflict); someone else cannot decide.
func TestMemberWhoseValueWasSetAsideDecides(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t, 0, 0, 0)
	a, b, other := tm.members[0], tm.members[1], tm.members[2]
	tm.clock.Advance(time.Minute)
	a.Upsert("location", tm.cellID, map[string]any{"label": "by a"})
	tm.clock.Advance(time.Minute)
	b.Upsert("location", tm.cellID, map[string]any{"label": "by b"})
	tm.syncAll(t)
	cs := a.Record("location", tm.cellID).Conflicts
	if len(cs) != 1 || string(cs[0].Value) != `"by a"` || cs[0].User != a.State.UserID {
		t.Fatalf("a's pulled conflicts = %+v; want its value set aside", cs)
	}
	// Someone whose value it is not cannot decide.
	other.Decide("location", tm.cellID, "label", "by other", cs[0].ID)
	if err := other.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if len(other.State.Rejected) != 1 || other.State.Rejected[0].Error.Code != "forbidden" {
		t.Errorf("decision by another member = %+v; want rejected, forbidden", other.State.Rejected)
	}
	tm.syncAll(t)
	// a decides for its own value.
	a.Decide("location", tm.cellID, "label", "by a", cs[0].ID)
	tm.syncAll(t)
	if n := tm.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"); n != 0 {
		t.Errorf("open conflicts after the decision = %d; want 0", n)
	}
	for i, c := range tm.all() {
		r := c.Record("location", tm.cellID)
		if r.Fields["label"] != "by a" || len(r.Conflicts) != 0 {
			t.Errorf("replica %d: label %v, conflicts %d; want a's value and none open", i, r.Fields["label"], len(r.Conflicts))
		}
	}
}

// TestNoEcho: a device does not download its own writes stored as sent, and
// still gets what the server changed in them and what others wrote.
func TestNoEcho(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	obs := newID()
	a.Upsert("observation", obs, map[string]any{"visit_id": tm.visitID, "location_id": tm.cellID, "item": "cell_area_m2", "value": 9.5})
	a.Upsert("location", tm.cellID, map[string]any{"label": "Cell 1 (A)"})
	if err := a.Push(ctx); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/sync/pull?since=%d", a.State.BaseURL, a.State.Since), nil)
	req.Header.Set("Authorization", "Bearer "+a.State.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var pr isync.PullResponse
	decode(t, resp, &pr)
	if len(pr.Changes) != 0 {
		t.Errorf("pull after the device's own push = %d changes (%s %s); want none", len(pr.Changes), pr.Changes[0].Type, pr.Changes[0].ID)
	}
	if err := a.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	local, server := a.Record("observation", obs), tm.env.record("observation", obs)
	if !sameJSON(local.Fields, server.Fields) || local.Versions["value"] != server.Versions["value"].Seq {
		t.Errorf("device holds %v %v; server %v (value version %d)", local.Fields, local.Versions, server.Fields, server.Versions["value"].Seq)
	}
	// Another device's write to the same record comes to it.
	if err := b.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	b.Upsert("location", tm.cellID, map[string]any{"kind": "ward"})
	if err := b.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if r := a.Record("location", tm.cellID); r.Fields["kind"] != "ward" || r.Fields["label"] != "Cell 1 (A)" {
		t.Errorf("a's cell = %v; want its label and b's kind", r.Fields)
	}
}

func decode(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("decode %s: %v", resp.Request.URL.Path, err)
	}
}

// TestApprovalReachesTheSubmittingDevice: the coordinator's approval (or
// reopening), written by the server, comes to the device whose submission
// was the visit's last write, stored as sent (no echo must not hide it).
func TestApprovalReachesTheSubmittingDevice(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t, 0, 0)
	a := tm.members[0]
	visit := newID()
	a.Upsert("visit", visit, map[string]any{"facility_id": tm.facility, "kind": "regular", "team": []string{a.State.UserID}, "status": "draft", "checklist": "kz-npm-default@2"})
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	a.Upsert("visit", visit, map[string]any{"status": "submitted"})
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(a.State.Rejected) != 0 {
		t.Fatalf("setup: %+v", a.State.Rejected)
	}
	if n := tm.env.count("SELECT count(*) FROM record_index WHERE type = 'visit' AND id = ? AND echo_device = ?", visit, a.State.DeviceID); n != 1 {
		t.Fatalf("setup: the submission is not stored as the device's echo: %v %q", tm.env.record("visit", visit).Fields, tm.env.record("visit", visit).EchoDevice)
	}
	coord := isync.Actor{UserID: tm.coord.State.UserID, Role: "coordinator", Region: "KZ-KAR", DeviceID: tm.coord.State.DeviceID}
	for _, step := range []struct{ status, reason string }{{"approved", ""}, {"submitted", "a figure to check"}} {
		var fe *isync.FieldError
		tm.env.write(func(tx *store.Tx) error {
			var err error
			fe, err = tm.env.engine.SetVisitStatus(tx, coord, visit, step.status, step.reason, nil)
			return err
		})
		if fe != nil {
			t.Fatalf("%s: %+v", step.status, fe)
		}
		if err := a.Pull(ctx); err != nil {
			t.Fatal(err)
		}
		if got := a.Record("visit", visit).Fields["status"]; got != step.status {
			t.Errorf("the submitting device holds the visit %v after the coordinator set it %s", got, step.status)
		}
	}
}
