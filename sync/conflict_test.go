package sync_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	isync "inspecta/sync"
)

// TestConcurrentEditsKeepTheLoserUntilADecision: two members rename the same
// cell offline; every replica gets the same winner, the other name is an open
// conflict that pull shows; an ordinary later write leaves it open, and only
// the coordinator's decision (an op that names it) closes it.
func TestConcurrentEditsKeepTheLoserUntilADecision(t *testing.T) {
	ctx := context.Background()
	s := setupTwoRegions(t)
	s.env.addUser("member2kar", "member", "KZ-KAR")
	second := s.env.login("member2kar", nil)
	// Put the second member on the team, then both pull the visit.
	res := pushOps(t, s.karMember, op("visit", s.visitID, map[string]any{"team": []string{s.karMember.State.UserID, second.State.UserID}}))
	if res.Results[0].Status != isync.StatusApplied {
		t.Fatalf("team = %+v", res.Results[0])
	}
	for _, c := range []*isync.Client{s.karMember, second, s.karCoord} {
		if err := c.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Both rename the cell without seeing each other's change.
	s.karMember.Upsert("location", s.cellID, map[string]any{"label": "Cell 12 (basement)"})
	second.Upsert("location", s.cellID, map[string]any{"label": "Cell 12A"})
	for _, c := range []*isync.Client{s.karMember, second} {
		if err := c.Push(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*isync.Client{s.karMember, second, s.karCoord} {
		if err := c.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	labels := map[any]bool{}
	for _, c := range []*isync.Client{s.karMember, second, s.karCoord} {
		labels[c.Record("location", s.cellID).Fields["label"]] = true
	}
	if len(labels) != 1 {
		t.Errorf("replicas hold labels %v; want one winner everywhere", labels)
	}
	// The coordinator lists the conflict with the losing value.
	req, _ := http.NewRequest("GET", s.karCoord.State.BaseURL+"/api/v1/conflicts?visit_id="+s.visitID, nil)
	req.Header.Set("Authorization", "Bearer "+s.karCoord.State.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Conflicts []isync.ConflictView `json:"conflicts"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list.Conflicts) != 1 || list.Conflicts[0].Field != "label" || list.Conflicts[0].ResolvedAt != "" {
		t.Fatalf("conflicts = %+v; want one open conflict on label", list.Conflicts)
	}
	var winner, loser string
	json.Unmarshal(list.Conflicts[0].WinnerValue, &winner)
	json.Unmarshal(list.Conflicts[0].LoserValue, &loser)
	if !labels[winner] || winner == loser || (loser != "Cell 12A" && loser != "Cell 12 (basement)") {
		t.Errorf("conflict winner %q, loser %q; want the current label and the other one", winner, loser)
	}
	wantLoser := second.State.UserID
	if loser == "Cell 12 (basement)" {
		wantLoser = s.karMember.State.UserID
	}
	if list.Conflicts[0].LoserUser != wantLoser {
		t.Errorf("conflict loser_user = %q; want %q, who wrote the set-aside value", list.Conflicts[0].LoserUser, wantLoser)
	}
	// Pull shows the value set aside on the record, to every replica.
	for _, c := range []*isync.Client{s.karMember, second, s.karCoord} {
		cs := c.Record("location", s.cellID).Conflicts
		if len(cs) != 1 || cs[0].ID != list.Conflicts[0].ID || string(cs[0].Value) != string(list.Conflicts[0].LoserValue) {
			t.Errorf("pulled conflicts = %+v; want the open one with the value set aside", cs)
		}
	}
	// The winner writes the field again, an ordinary write: the conflict stays open.
	winnerDev := s.karMember
	if wantLoser == s.karMember.State.UserID {
		winnerDev = second
	}
	winnerDev.Upsert("location", s.cellID, map[string]any{"label": "Cell 12 (again)"})
	if err := winnerDev.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if n := s.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"); n != 1 {
		t.Fatalf("after an ordinary write %d conflicts open; want the one still open (only a decision closes it)", n)
	}
	// The coordinator decides, with an operation that names the conflict.
	if err := s.karCoord.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	s.karCoord.Decide("location", s.cellID, "label", loser, list.Conflicts[0].ID)
	if err := s.karCoord.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	conflicts, err := s.env.engine.Conflicts(ctx, isync.Actor{Role: "coordinator", Region: "KZ-KAR"}, s.visitID)
	if err != nil {
		t.Fatal(err)
	}
	if c := conflicts[0]; c.ResolvedAt == "" || c.ResolvedBy != s.karCoord.State.UserID {
		t.Errorf("after the coordinator's decision the conflict = %+v; want resolved by the coordinator", c)
	}
	if got := s.karCoord.Record("location", s.cellID).Fields["label"]; got != loser {
		t.Errorf("label = %v; want the coordinator's choice %q", got, loser)
	}
}

func TestDeleteIsATombstone(t *testing.T) {
	ctx := context.Background()
	s := setupTwoRegions(t)
	if err := s.karCoord.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	res := pushOps(t, s.karMember, isync.Op{OpID: newID(), Type: "location", ID: s.cellID, Action: "delete", HLC: hlc()})
	if res.Results[0].Status != isync.StatusApplied {
		t.Fatalf("delete = %+v", res.Results[0])
	}
	if err := s.karCoord.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	rec := s.karCoord.Record("location", s.cellID)
	if rec == nil || !rec.Deleted || rec.Fields["label"] != "Cell 12" {
		t.Errorf("deleted location on another device = %+v; want a tombstone that keeps its fields", rec)
	}
	if n := s.env.count("SELECT count(*) FROM locations WHERE id = ? AND deleted = 1", s.cellID); n != 1 {
		t.Errorf("tombstone rows = %d; want the record kept with deleted = 1", n)
	}
}

// TestNewRecommendationWithOnlyItsRequiredFields: a recommendation made at a
// visit, sent with no status and no checked visit, is applied with status open.
func TestNewRecommendationWithOnlyItsRequiredFields(t *testing.T) {
	s := setupTwoRegions(t)
	id := newID()
	res := pushOps(t, s.karMember, op("recommendation", id, map[string]any{"facility_id": s.facilityID, "visit_id": s.visitID,
		"text": "Demolish the building and build a new one", "category": "space"}))
	if r := res.Results[0]; r.Status != isync.StatusApplied {
		t.Fatalf("new recommendation = %+v; want applied", r)
	}
	if n := s.env.count("SELECT count(*) FROM recommendation_status_history WHERE recommendation_id = ? AND status = 'open'", id); n != 1 {
		t.Errorf("status history rows = %d; want one 'open'", n)
	}
}

// TestDeletedConsolidationComesBackWithANewDecision: a coordinator withdraws a
// decision, then decides again on the same item.
func TestDeletedConsolidationComesBackWithANewDecision(t *testing.T) {
	s := setupTwoRegions(t)
	first := newID()
	decide := func(id string, value float64) isync.Result {
		return pushOps(t, s.karCoord, op("consolidation", id, map[string]any{"visit_id": s.visitID, "location_id": s.cellID,
			"item": "cell_area_m2", "value": value, "reason": "measured again"})).Results[0]
	}
	if r := decide(first, 11.5); r.Status != isync.StatusApplied {
		t.Fatalf("decision = %+v", r)
	}
	if r := pushOps(t, s.karCoord, isync.Op{OpID: newID(), Type: "consolidation", ID: first, Action: "delete", HLC: hlc()}).Results[0]; r.Status != isync.StatusApplied {
		t.Fatalf("withdraw = %+v", r)
	}
	if r := decide(newID(), 12); r.Status != isync.StatusApplied {
		t.Fatalf("new decision = %+v", r)
	}
	if n := s.env.count("SELECT count(*) FROM consolidations WHERE deleted = 0 AND value = '12'"); n != 1 {
		t.Errorf("live consolidations with the new value = %d; want 1", n)
	}
}

// TestConsolidationClosesDevicesConflictOnThePhones: one member's two phones
// record the same item differently, a conflict each phone shows; the
// coordinator's consolidation of the item closes it on the server, and both
// phones learn it at their next sync (the observations come back in pull
// with no open conflict).
func TestConsolidationClosesDevicesConflictOnThePhones(t *testing.T) {
	tm := newTeam(t, 0)
	ctx := context.Background()
	first := tm.members[0]
	second, err := isync.LoginWithClock(ctx, nil, tm.env.http.URL, "m0", password("m0"), "second phone", tm.clock.deviceClock(0))
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	tm.clock.Advance(time.Minute)
	firstObs, secondObs := newID(), newID()
	first.Upsert("observation", firstObs, map[string]any{"visit_id": tm.visitID, "location_id": tm.cellID, "item": "cell_area_m2", "value": 10})
	tm.clock.Advance(time.Minute)
	second.Upsert("observation", secondObs, map[string]any{"visit_id": tm.visitID, "location_id": tm.cellID, "item": "cell_area_m2", "value": 12})
	phones := []*isync.Client{first, second}
	for range 2 {
		for _, c := range phones {
			if err := c.Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(first.Record("observation", firstObs).Conflicts); n != 1 {
		t.Fatalf("before the consolidation the first phone shows %d conflict(s) on its observation; want 1", n)
	}
	tm.clock.Advance(time.Minute)
	tm.coord.Upsert("consolidation", newID(), map[string]any{"visit_id": tm.visitID, "location_id": tm.cellID, "item": "cell_area_m2", "value": 12, "reason": "measured"})
	if err := tm.coord.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if n := tm.env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"); n != 0 {
		t.Fatalf("after the consolidation %d conflict(s) open on the server; want 0", n)
	}
	for i, c := range phones {
		if err := c.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		for _, r := range c.Records("observation") {
			if len(r.Conflicts) != 0 {
				t.Errorf("phone %d still shows %d open conflict(s) on observation %s after the consolidation closed them", i, len(r.Conflicts), r.ID)
			}
		}
	}
}

// TestEditUnderDeletedVisitIsRefusedAsSuch: the coordinator deletes the visit; a
// member who had not seen it records a value and renames a cell in it
// offline. Both changes are refused with parent_deleted and a message that
// says the visit was deleted (not "push the visit first"), shown to the
// member at once rather than sent again for 30 days; a delete of the
// member's own place inside the deleted visit is still taken.
func TestEditUnderDeletedVisitIsRefusedAsSuch(t *testing.T) {
	tm := newTeam(t, 0, 0)
	b := tm.members[1]
	ctx := context.Background()
	yard := newID()
	b.Upsert("location", yard, map[string]any{"visit_id": tm.visitID, "label": "Yard", "kind": "yard"})
	tm.syncAll(t)
	tm.clock.Advance(time.Minute)
	if _, err := tm.coord.Delete("visit", tm.visitID); err != nil {
		t.Fatal(err)
	}
	if err := tm.coord.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	tm.clock.Advance(time.Minute)
	b.Upsert("observation", newID(), map[string]any{"visit_id": tm.visitID, "location_id": tm.cellID, "item": "cell_area_m2", "value": 11.5})
	b.Upsert("location", tm.cellID, map[string]any{"label": "renamed by B"})
	if _, err := b.Delete("location", yard); err != nil {
		t.Fatal(err)
	}
	if err := b.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if len(b.State.Outbox) != 0 || len(b.State.Deferred) != 0 {
		t.Errorf("after the push: outbox %d, deferred %d; want nothing left to send again", len(b.State.Outbox), len(b.State.Deferred))
	}
	if len(b.State.Rejected) != 2 {
		t.Fatalf("refused %d operations (%+v); want the two edits inside the deleted visit", len(b.State.Rejected), b.State.Rejected)
	}
	for _, r := range b.State.Rejected {
		if r.Op.Action != isync.ActionUpsert || r.Error.Code != isync.CodeParentDeleted || !strings.Contains(r.Error.Message, "was deleted") {
			t.Errorf("refused %s %s: %+v; want code %s saying the visit was deleted", r.Op.Type, r.Op.Action, r.Error, isync.CodeParentDeleted)
		}
	}
	if n := tm.env.count("SELECT count(*) FROM quarantine WHERE message LIKE '%push the visit first%'"); n != 0 {
		t.Errorf("%d quarantined operation(s) say to push the visit first; the visit is on the server, deleted", n)
	}
	if rec := tm.env.record("location", yard); !rec.Deleted {
		t.Error("the delete of a location inside the deleted visit was not stored")
	}
}

// TestValueInDeletedPlaceIsRefusedAsSuch: a teammate deletes a cell; a
// member who had not seen it records a value in it offline. The value is
// refused parent_deleted (not stored out of sight under the deleted place),
// and the member is told at once.
func TestValueInDeletedPlaceIsRefusedAsSuch(t *testing.T) {
	tm, b := cellDeletedByATeammate(t)
	ctx := context.Background()
	obs := newID()
	b.Upsert("observation", obs, map[string]any{"visit_id": tm.visitID, "location_id": tm.cellID, "item": "cell_area_m2", "value": 9.5})
	if err := b.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if len(b.State.Rejected) != 1 || b.State.Rejected[0].Error.Code != isync.CodeParentDeleted || len(b.State.Deferred) != 0 {
		t.Fatalf("refused %+v, deferred %d; want the value refused with code %s", b.State.Rejected, len(b.State.Deferred), isync.CodeParentDeleted)
	}
	if n := tm.env.count("SELECT count(*) FROM observations WHERE id = ?", obs); n != 0 {
		t.Error("the value was stored under the deleted place, where no one sees it")
	}
}

// TestNoteInDeletedPlaceIsRefusedAsSuch: a confidential note, like a value,
// names a place of its visit that is not deleted: one under a deleted place
// is refused parent_deleted, one naming no place of its visit waits for it
// as a missing parent; neither is stored where no one would see it.
func TestNoteInDeletedPlaceIsRefusedAsSuch(t *testing.T) {
	tm, b := cellDeletedByATeammate(t)
	ctx := context.Background()
	inDeleted, nowhere := newID(), newID()
	b.Upsert("confidential_note", inDeleted, map[string]any{"visit_id": tm.visitID, "location_id": tm.cellID, "text": "demo: a complaint heard in this cell"})
	b.Upsert("confidential_note", nowhere, map[string]any{"visit_id": tm.visitID, "location_id": newID(), "text": "demo: a complaint heard elsewhere"})
	if err := b.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if len(b.State.Rejected) != 1 || b.State.Rejected[0].Error.Code != isync.CodeParentDeleted || len(b.State.Deferred) != 1 {
		t.Fatalf("refused %+v, deferred %d; want the note in the deleted place refused %s, the other deferred", b.State.Rejected, len(b.State.Deferred), isync.CodeParentDeleted)
	}
	if n := tm.env.count("SELECT count(*) FROM confidential_notes WHERE id IN (?, ?)", inDeleted, nowhere); n != 0 {
		t.Errorf("%d notes stored under a place that is deleted or not of their visit; want none", n)
	}
}

// cellDeletedByATeammate is a team whose first member deleted the cell and
// synced a minute ago, and the second member, who has not pulled since.
func cellDeletedByATeammate(t *testing.T) (*team, *isync.Client) {
	t.Helper()
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	tm.clock.Advance(time.Minute)
	if _, err := a.Delete("location", tm.cellID); err != nil {
		t.Fatal(err)
	}
	if err := a.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	tm.clock.Advance(time.Minute)
	return tm, b
}
