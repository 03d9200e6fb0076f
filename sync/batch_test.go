package sync_test

import (
	"context"
	"encoding/json"
	"testing"

	isync "inspecta/sync"
)

// TestPushLooksUpOnceAndStillSeesItsOwnWrites: a push's lookups are made for
// the whole batch before its first operation is applied, yet each operation
// sees what the earlier ones of the same push wrote: an op_id sent twice in
// one push is a duplicate the second time, a second id for a natural key
// taken earlier in the push is merged into the first, a record created
// earlier in the push is updated, not created again. The same push sent again
// changes nothing, and another user's op_id is refused.
func TestPushLooksUpOnceAndStillSeesItsOwnWrites(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	coord := env.addUser("coordkar", "coordinator", "KZ-KAR")
	member := env.addUser("memberkar", "member", "KZ-KAR")
	other := env.addUser("otherkar", "member", "KZ-KAR")
	facilityID := env.facility(coord, "SIZO batch")
	actor := isync.Actor{UserID: member.ID, Role: member.Role, Region: member.Region, DeviceID: "batch-device"}

	visitID, locID, obs1, obs2 := newID(), newID(), newID(), newID()
	first := op("observation", obs1, map[string]any{"visit_id": visitID, "location_id": locID, "item": "cell_area_m2", "value": 10})
	relabel := op("location", locID, map[string]any{"label": "Cell 1 (upstairs)"})
	relabel.Base = map[string]int64{"label": 0}
	push := []json.RawMessage{
		raw(op("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "regular"})),
		raw(op("location", locID, map[string]any{"visit_id": visitID, "label": "Cell 1", "kind": "cell"})),
		raw(first),
		raw(first), // sent twice in one push
		raw(op("observation", obs2, map[string]any{"visit_id": visitID, "location_id": locID, "item": "cell_area_m2", "value": 12})),
		raw(relabel),
	}
	res, err := env.engine.Push(ctx, actor, push)
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	for i, want := range []string{isync.StatusApplied, isync.StatusApplied, isync.StatusApplied, isync.StatusDuplicate} {
		if got := res.Results[i].Status; got != want {
			t.Errorf("op %d: %s %+v; want %s", i, got, res.Results[i].Error, want)
		}
	}
	if r := res.Results[3]; r.FirstStatus != isync.StatusApplied || r.Seq != res.Results[2].Seq {
		t.Errorf("the op_id sent again = %+v; want the first one's answer (seq %d)", r, res.Results[2].Seq)
	}
	for _, i := range []int{4, 5} {
		if s := res.Results[i].Status; s != isync.StatusApplied && s != isync.StatusConflict {
			t.Errorf("op %d: %s %+v; want it stored", i, s, res.Results[i].Error)
		}
	}
	if n := env.count("SELECT count(*) FROM observations WHERE visit_id = ?", visitID); n != 1 {
		t.Errorf("%d observations for one natural key; want 1 (the second id merged into the first)", n)
	}
	if n := env.count("SELECT count(*) FROM record_index WHERE id = ? AND merged_into = ?", obs2, obs1); n != 1 {
		t.Errorf("the second id is not an alias of the first")
	}
	if n := env.count("SELECT count(*) FROM locations WHERE id = ? AND label = 'Cell 1 (upstairs)'", locID); n != 1 {
		t.Errorf("the location created earlier in the push was not relabelled by its later op")
	}
	ops := env.count("SELECT count(*) FROM ops")

	again, err := env.engine.Push(ctx, actor, push)
	if err != nil {
		t.Fatalf("push again: %v", err)
	}
	for i, r := range again.Results {
		if r.Status != isync.StatusDuplicate || r.Seq != res.Results[i].Seq {
			t.Errorf("op %d sent again: %+v; want duplicate of seq %d", i, r, res.Results[i].Seq)
		}
	}
	if n := env.count("SELECT count(*) FROM ops"); n != ops {
		t.Errorf("the op log went from %d to %d rows on a push sent again", ops, n)
	}

	thief := isync.Actor{UserID: other.ID, Role: other.Role, Region: other.Region, DeviceID: "other-device"}
	stolen, err := env.engine.Push(ctx, thief, push[2:3])
	if err != nil {
		t.Fatal(err)
	}
	if r := stolen.Results[0]; r.Status != isync.StatusRejected || r.Error == nil || r.Error.Code != "op_id_taken" {
		t.Errorf("another user's op_id = %+v; want rejected, op_id_taken", r)
	}
}
