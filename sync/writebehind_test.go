package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"inspecta/store"
	isync "inspecta/sync"
)

// TestWriteBehindAnswersAsInline: a push answers, and leaves the op log,
// exactly as it does with every statement run where it is made
// (store.DB.WriteInline): the same results and the op log in the order the
// operations came, with rejections (logged if new) between applied
// operations, and an op_id sent again in the same push, malformed (review
// 11: it failed the whole push, at every retry).
func TestWriteBehindAnswersAsInline(t *testing.T) {
	run := func(inline bool) (string, string) {
		env := newEnv(t)
		env.db.WriteInline = inline
		coord := env.addUser("coord", "coordinator", "KZ-KAR")
		actor := isync.Actor{UserID: coord.ID, Role: coord.Role, Region: coord.Region, DeviceID: "dev1"}
		facility := func(opID, name string) json.RawMessage {
			return raw(isync.Op{OpID: opID, Type: "facility", ID: fmt.Sprintf("0193b7d2-5f1e-7c3a-9a4e-%012d", len(name)), Action: "upsert",
				HLC: "2026-01-01T00:00:00.000Z/0000/dev1", Fields: fields(map[string]any{"name": name, "type": "sizo", "region": coord.Region})})
		}
		malformed := func(opID string) json.RawMessage { return json.RawMessage(`{"op_id":"` + opID + `","type":5}`) }
		ids := []string{"0193b7d2-5f1e-7c3a-9a4e-000000000001", "0193b7d2-5f1e-7c3a-9a4e-000000000002",
			"0193b7d2-5f1e-7c3a-9a4e-000000000003", "0193b7d2-5f1e-7c3a-9a4e-000000000004"}
		ops := []json.RawMessage{malformed(ids[0]), facility(ids[1], "SIZO one"), malformed(ids[1]), facility(ids[2], "SIZO three!"), malformed(ids[3])}
		resp, err := env.engine.Push(context.Background(), actor, ops)
		if err != nil {
			t.Fatalf("inline %v: %v", inline, err)
		}
		var results []string
		for _, r := range resp.Results {
			results = append(results, fmt.Sprint(r.Status, " ", r.Error != nil))
		}
		var order []string
		err = env.db.Read(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.Query("SELECT op_id, status FROM ops ORDER BY rowid")
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id, status string
				if err := rows.Scan(&id, &status); err != nil {
					return err
				}
				order = append(order, id[len(id)-1:]+" "+status)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(results), fmt.Sprint(order)
	}
	wantResults, wantLog := run(true)
	gotResults, gotLog := run(false)
	if gotResults != wantResults {
		t.Errorf("results with statements run behind %s; run where made %s", gotResults, wantResults)
	}
	if gotLog != wantLog {
		t.Errorf("op log with statements run behind %s; run where made %s", gotLog, wantLog)
	}
}

// TestPlacesWrittenInThePushAreKnown: within one push, an answer in a place
// made earlier in it is applied, one in a place deleted earlier in it is
// refused parent_deleted, and one in a place nobody made is missing_parent:
// what the transaction wrote is what it answers from (store.Tx.Head), as a
// read of the place would.
func TestPlacesWrittenInThePushAreKnown(t *testing.T) {
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	facilityID := env.facility(coord, "Colony of the test")
	actor := isync.Actor{UserID: coord.ID, Role: coord.Role, Region: coord.Region, DeviceID: "dev1"}
	visitID, kept, gone := newID(), newID(), newID()
	answer := func(place string) json.RawMessage {
		return raw(op("observation", newID(), map[string]any{"visit_id": visitID, "location_id": place, "item": "persons_present", "value": 3}))
	}
	del := op("location", gone, nil)
	del.Action, del.Fields = isync.ActionDelete, nil
	ops := []json.RawMessage{
		raw(op("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "regular"})),
		raw(op("location", kept, map[string]any{"visit_id": visitID, "label": "Cell 1", "kind": "cell"})),
		raw(op("location", gone, map[string]any{"visit_id": visitID, "label": "Cell 2", "kind": "cell"})),
		answer(kept), raw(del), answer(gone), answer(newID()),
	}
	resp, err := env.engine.Push(context.Background(), actor, ops)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"applied", "applied", "applied", "applied", "applied", "rejected parent_deleted", "rejected missing_parent"}
	for i, r := range resp.Results {
		got := string(r.Status)
		if r.Error != nil {
			got += " " + string(r.Error.Code)
		}
		if got != want[i] {
			t.Errorf("operation %d: %s; want %s", i, got, want[i])
		}
	}
}
