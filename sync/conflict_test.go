package sync_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	isync "inspecta/sync"
)

// TestConcurrentEditsKeepTheLoserAndAreResolvedByAnOrdinaryOp: two members
// rename the same cell offline; every replica gets the same winner, the other
// name is an open conflict, and the coordinator's later write resolves it.
func TestConcurrentEditsKeepTheLoserAndAreResolvedByAnOrdinaryOp(t *testing.T) {
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
	// The coordinator decides, with an ordinary write made from the latest version.
	s.karCoord.Upsert("location", s.cellID, map[string]any{"label": loser})
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
