package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"inspecta/store"
	isync "inspecta/sync"
)

// TestPushInPartsCutInTheMiddle: a large push yields the writer to a small
// write that arrives while it is applied (its first part commits, the small
// write runs, the rest follows), and a fault in its second part fails the
// push with the first part stored. The device's retry of the whole batch
// stores the rest: every operation is in the op log exactly once, every record
// once, and the first part's operations are answered as duplicates of their
// first results. A push with nothing waiting beside it is one transaction.
func TestPushInPartsCutInTheMiddle(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	coord := env.addUser("coordparts", "coordinator", "KZ-KAR")
	member := env.addUser("memberparts", "member", "KZ-KAR")
	facilityID := env.facility(coord, "SIZO parts")
	actor := isync.Actor{UserID: member.ID, Role: member.Role, Region: member.Region, DeviceID: "parts-device"}

	visitID := newID()
	push := []json.RawMessage{raw(op("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "regular"}))}
	const locations = 100
	for i := range locations {
		locID := newID()
		push = append(push,
			raw(op("location", locID, map[string]any{"visit_id": visitID, "label": fmt.Sprintf("Cell %d", i+1), "kind": "cell"})),
			raw(op("observation", newID(), map[string]any{"visit_id": visitID, "location_id": locID, "item": "cell_area_m2", "value": 10 + i})))
	}
	const firstPart, cutAt = isync.MinPart + 16, 40 // the part boundary; the fault's place in the second part

	smallDone := make(chan error, 1)
	fault := errors.New("the server fell over in the second part")
	isync.SetOpHook(env.engine, func(tx *store.Tx, part, n int) error {
		switch {
		case part == 1 && n == firstPart:
			go func() {
				smallDone <- env.db.Write(ctx, func(tx *store.Tx) error { return tx.SetMeta("parts-test", "small write") })
			}()
			deadline := time.Now().Add(10 * time.Second)
			for !tx.SmallWaiting() {
				if time.Now().After(deadline) {
					return errors.New("the small write never queued")
				}
				time.Sleep(time.Millisecond)
			}
		case part == 2 && n == cutAt:
			return fault
		}
		return nil
	})
	if _, err := env.engine.Push(ctx, actor, push); !errors.Is(err, fault) {
		t.Fatalf("push with a fault in its second part = %v; want the fault", err)
	}
	if err := <-smallDone; err != nil {
		t.Fatalf("the small write: %v", err)
	}
	if n := env.count("SELECT count(*) FROM ops WHERE device_id = ?", actor.DeviceID); n != firstPart {
		t.Fatalf("after the fault the op log holds %d of the push's operations; want the first part's %d", n, firstPart)
	}
	if n := env.count("SELECT count(*) FROM meta WHERE key = 'parts-test'"); n != 1 {
		t.Errorf("the small write that waited between the parts was not stored")
	}
	firstSeqs := map[int]int64{}
	for i := range firstPart {
		var p struct {
			OpID string `json:"op_id"`
		}
		json.Unmarshal(push[i], &p)
		var seq int64
		env.db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow("SELECT seq FROM ops WHERE op_id = ?", p.OpID).Scan(&seq)
		})
		firstSeqs[i] = seq
	}

	isync.SetOpHook(env.engine, nil)
	tctx, timing := store.WithTiming(ctx)
	res, err := env.engine.Push(tctx, actor, push)
	if err != nil {
		t.Fatalf("the device's retry: %v", err)
	}
	if _, _, _, parts := timing.Snapshot(); parts != 1 {
		t.Errorf("the retry, with nothing waiting beside it, took %d transactions; want 1", parts)
	}
	if len(res.Results) != len(push) {
		t.Fatalf("%d results for %d operations", len(res.Results), len(push))
	}
	for i, r := range res.Results {
		switch {
		case i < firstPart && (r.Status != isync.StatusDuplicate || r.Seq != firstSeqs[i]):
			t.Errorf("op %d, stored by the first part, answered %+v; want a duplicate of seq %d", i, r, firstSeqs[i])
		case i >= firstPart && r.Status != isync.StatusApplied:
			t.Errorf("op %d, cut off by the fault, answered %s %+v; want applied", i, r.Status, r.Error)
		}
	}
	if n := env.count("SELECT count(*) FROM ops WHERE device_id = ?", actor.DeviceID); n != len(push) {
		t.Errorf("the op log holds %d rows for the %d operations; want each once", n, len(push))
	}
	if n := env.count("SELECT count(DISTINCT op_id) FROM ops WHERE device_id = ?", actor.DeviceID); n != len(push) {
		t.Errorf("%d distinct op_ids stored; want %d", n, len(push))
	}
	if n := env.count("SELECT count(*) FROM observations WHERE visit_id = ?", visitID); n != locations {
		t.Errorf("%d observations stored; want %d, each once", n, locations)
	}
	if n := env.count("SELECT count(*) FROM locations WHERE visit_id = ?", visitID); n != locations {
		t.Errorf("%d locations stored; want %d, each once", n, locations)
	}
}
