package server_test

import (
	"net/http"
	"testing"

	"inspecta/schema"
)

// TestTwoCoordinatorsDecideAtOnce: two coordinators look at the same open
// item and both decide it from what their screens showed. One decision
// stands and the other is kept as a visible conflict, never a silent
// overwrite; a desk decision on the conflict without the version shown cannot
// overwrite either.
func TestTwoCoordinatorsDecideAtOnce(t *testing.T) {
	f := newFixture(t)
	f.signUp("coord2", schema.RoleCoordinator, "KZ-KAR")
	f.observe("aida", f.cell, "cell_area_m2", 11.5)
	f.observe("bolat", f.cell, "cell_area_m2", 14)
	// A first decision, so the item has a consolidation with a version.
	decide := func(who string, value any, version any) map[string]any {
		t.Helper()
		status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/consolidations", who, map[string]any{"location_id": f.cell,
			"item": "cell_area_m2", "value": value, "reason": "measured again by " + who, "version": version})
		if status != http.StatusOK {
			t.Fatalf("decision by %s = %d %v; want 200", who, status, body)
		}
		return body["result"].(map[string]any)
	}
	if r := decide("coord", 12, 0); r["status"] != "applied" {
		t.Fatalf("first decision = %v", r)
	}
	shown := itemVersion(t, f.consolidation("coord"), f.cell, "cell_area_m2")
	if shown == 0 {
		t.Fatal("the consolidation view gives no version for a decided item")
	}
	// Both screens show that version; both decide.
	first := decide("coord", 13, shown)
	second := decide("coord2", 14, shown)
	if first["status"] != "applied" || second["status"] != "conflict" {
		t.Errorf("decisions = %v then %v; want applied, then conflict", first["status"], second["status"])
	}
	if n := f.count("SELECT count(*) FROM conflicts WHERE type = 'consolidation' AND field = 'value' AND resolved_at IS NULL"); n != 1 {
		t.Errorf("open conflicts on the decision = %d; want 1, visible on the desk", n)
	}
	vc := f.consolidation("coord")
	found := false
	for _, x := range vc["to_resolve"].([]any) {
		if c, ok := x.(map[string]any)["conflict"].(map[string]any); ok && c["record_type"] == "consolidation" {
			found = true
			// Deciding it from a stale version (0) leaves it open beside a new one.
			status, body := f.api("POST", "/api/v1/visits/"+f.visit+"/conflicts/"+c["id"].(string)+"/resolve", "coord",
				map[string]any{"keep": "loser", "reason": "stale screen", "version": 0})
			if status != http.StatusOK || body["result"].(map[string]any)["status"] != "conflict" {
				t.Errorf("decision from a stale version = %d %v; want a conflict", status, body)
			}
			vc := f.consolidation("coord2")
			var version any
			for _, y := range vc["to_resolve"].([]any) {
				if d, ok := y.(map[string]any)["conflict"].(map[string]any); ok && d["id"] == c["id"] {
					version = d["version"]
				}
			}
			status, body = f.api("POST", "/api/v1/visits/"+f.visit+"/conflicts/"+c["id"].(string)+"/resolve", "coord2",
				map[string]any{"keep": "winner", "reason": "checked", "version": version})
			if status != http.StatusOK {
				t.Errorf("decision from the version shown = %d %v", status, body)
			}
		}
	}
	if !found {
		t.Errorf("to_resolve = %v; want the conflict between the two decisions", vc["to_resolve"])
	}
	if n := f.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NOT NULL"); n != 1 {
		t.Errorf("closed conflicts = %d; want the one decided from the version shown", n)
	}
}

// itemVersion finds the version of an item in a consolidation view.
func itemVersion(t *testing.T, vc map[string]any, location, item string) float64 {
	t.Helper()
	for _, l := range vc["locations"].([]any) {
		lm := l.(map[string]any)
		if lm["location_id"] != location {
			continue
		}
		for _, it := range lm["items"].([]any) {
			im := it.(map[string]any)
			if im["item"] == item {
				if d, ok := im["decision"].(map[string]any); ok {
					return d["seq"].(float64)
				}
			}
		}
	}
	return 0
}
