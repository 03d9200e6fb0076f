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
