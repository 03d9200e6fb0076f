package sync_test

import (
	"context"
	"encoding/json"
	"testing"

	"inspecta/store"
	isync "inspecta/sync"
)

// TestDuplicateOfRejectedKeepsItsCode: a push whose answer was lost is sent
// again; each rejection comes back as a duplicate carrying the same error
// code, field and message as the first answer, whether the op_id is met
// again in a later push or twice in one push. The audit trail shows the
// code too.
func TestDuplicateOfRejectedKeepsItsCode(t *testing.T) {
	tm := newTeam(t, 0)
	ctx := context.Background()
	m := tm.members[0]
	member := isync.Actor{UserID: m.State.UserID, Role: "member", Region: "KZ-KAR", DeviceID: m.State.DeviceID}
	coord := isync.Actor{UserID: tm.coord.State.UserID, Role: "coordinator", Region: "KZ-KAR", DeviceID: tm.coord.State.DeviceID}
	err := tm.env.db.Write(ctx, func(tx *store.Tx) error {
		fe, err := tm.env.engine.SetVisitStatus(tx, coord, tm.visitID, "approved", "", nil)
		if fe != nil {
			t.Fatalf("approve: %+v", fe)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stamp := isync.HLC{Wall: tm.clock.Now(), Node: "phone"}.String()
	locked := raw(isync.Op{OpID: newID(), Type: "location", ID: tm.cellID, Action: "upsert", HLC: stamp,
		Fields: fields(map[string]any{"label": "late edit"})})
	foreign := raw(isync.Op{OpID: newID(), Type: "location", ID: tm.cellID, Action: "upsert", HLC: stamp,
		Base: map[string]int64{"label": 1 << 50}, Fields: fields(map[string]any{"label": "foreign copy"})})
	first, err := tm.env.engine.Push(ctx, member, []json.RawMessage{locked, foreign})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range first.Results {
		if r.Status != isync.StatusRejected || r.Error == nil || r.Error.Code == "" {
			t.Fatalf("first push result %d = %+v; want rejected with a code", i, r)
		}
	}
	var trail []store.AuditEntry
	err = tm.env.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		trail, err = tx.AuditTrail(store.AuditFilter{Type: "location", RecordID: tm.cellID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, e := range trail {
		if e.Status == isync.StatusRejected {
			codes[e.ErrorCode] = true
		}
	}
	if !codes[string(isync.CodeLocked)] || !codes[string(isync.CodeBadBase)] {
		t.Errorf("the audit trail's rejections carry the codes %v; want locked and bad_base", codes)
	}
	again, err := tm.env.engine.Push(ctx, member, []json.RawMessage{locked, foreign, locked})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range again.Results {
		want := first.Results[i%2]
		if r.Status != isync.StatusDuplicate || r.FirstStatus != isync.StatusRejected || r.Error == nil {
			t.Errorf("repeated result %d = %+v; want a duplicate of a rejection, with its error", i, r)
			continue
		}
		if *r.Error != *want.Error {
			t.Errorf("repeated result %d error = %+v; want the first answer's %+v", i, *r.Error, *want.Error)
		}
	}
}
