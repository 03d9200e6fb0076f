package sync_test

import (
	"strings"
	"testing"

	isync "inspecta/sync"
)

// TestRecommendationCheckedAfterItWasMade: a recommendation's status is
// checked at a later visit of its facility than the one where it was made,
// never at that same visit, one that started before it, or a deleted one
// (before this rule the CSV's history read "2026-11-26 open; 2025-01-10
// implemented").
func TestRecommendationCheckedAfterItWasMade(t *testing.T) {
	e := newEnv(t)
	coord := e.addUser("coord", "coordinator", "KZ-KAR")
	fac := e.facility(coord, "IVS demo")
	visit := func(started string) string {
		id := newID()
		e.serverOp(coord, isync.Op{OpID: newID(), Type: "visit", ID: id, Action: "upsert", HLC: "2026-11-26T09:00:00.000Z/0000/test",
			Fields: fields(map[string]any{"facility_id": fac, "kind": "regular", "started_at": started})})
		return id
	}
	made, earlier, later, gone := visit("2026-11-26T09:00:00Z"), visit("2025-01-10T09:00:00Z"), visit("2026-12-10T09:00:00Z"), visit("2026-12-20T09:00:00Z")
	e.serverOp(coord, isync.Op{OpID: newID(), Type: "visit", ID: gone, Action: "delete", HLC: "2026-11-26T09:00:01.000Z/0000/test"})
	rec := newID()
	e.serverOp(coord, isync.Op{OpID: newID(), Type: "recommendation", ID: rec, Action: "upsert", HLC: "2026-11-26T09:00:02.000Z/0000/test",
		Fields: fields(map[string]any{"facility_id": fac, "visit_id": made, "text": "Provide bedding (demo)"})})
	for _, c := range []struct {
		at   string
		code isync.ErrorCode
		want string
	}{
		{earlier, isync.CodeInvalid, "is not after the visit of 2026-11-26"},
		{made, isync.CodeInvalid, "checked at a later visit"},
		{gone, isync.CodeParentDeleted, "was deleted"},
		{later, "", ""},
	} {
		res := e.apply(coord, isync.Op{OpID: newID(), Type: "recommendation", ID: rec, Action: "upsert", HLC: "2026-11-26T09:00:03.000Z/0000/test",
			Fields: fields(map[string]any{"status": "implemented", "checked_visit_id": c.at})})
		if c.code == "" {
			if res.Status != isync.StatusApplied {
				t.Errorf("checked at the later visit: %s %+v; want applied", res.Status, res.Error)
			}
			continue
		}
		if res.Status != isync.StatusRejected || res.Error == nil || res.Error.Code != c.code || !strings.Contains(res.Error.Message, c.want) {
			t.Errorf("checked at %s: %s %+v; want refused %s saying %q", c.at, res.Status, res.Error, c.code, c.want)
		}
	}
}
