package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"inspecta/store"
	isync "inspecta/sync"
)

// FuzzPushOp pushes arbitrary bytes as one operation into a visit: the engine
// must answer it (never fail the batch for a client's bytes), a rejection must
// name a field and say something, and a good operation next to it is applied.
// Seed corpus: testdata/fuzz/FuzzPushOp.
func FuzzPushOp(f *testing.F) {
	s := setupTwoRegions(f)
	var user *store.User
	s.env.db.Read(context.Background(), func(tx *store.Tx) error {
		var err error
		user, err = tx.UserByUsername("memberkar")
		return err
	})
	actor := isync.Actor{UserID: user.ID, Role: user.Role, Region: user.Region, DeviceID: "fuzz"}
	for _, seed := range []string{
		`{"op_id":"0193a000-0000-7000-8000-000000000001","type":"observation","id":"0193a000-0000-7000-8000-000000000002","action":"upsert","hlc":"2026-11-26T10:15:03.120Z/0003/x","fields":{"visit_id":"` + s.visitID + `","location_id":"` + s.cellID + `","item":"cell_area_m2","value":11.5}}`,
		`{"op_id":"0193a000-0000-7000-8000-000000000003","type":"location","id":"` + s.cellID + `","action":"upsert","hlc":"2026-11-26T10:15:03.120Z/0004/x","base":{"label":1},"fields":{"label":"Cell 1"}}`,
		`{"op_id":"x","type":"visit"}`, `[]`, `null`, `{"fields":{"value":1e999}}`,
	} {
		f.Add([]byte(seed))
	}
	good := func() json.RawMessage {
		return raw(op("observation", newID(), map[string]any{"visit_id": s.visitID, "location_id": s.cellID, "item": "persons_present", "value": 3}))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return // the server refuses the whole push with 400 before the engine sees it
		}
		res, err := s.env.engine.Push(context.Background(), actor, []json.RawMessage{data, good()})
		if err != nil {
			t.Fatalf("push of %q failed as a whole: %v", data, err)
		}
		r := res.Results[0]
		switch r.Status {
		case isync.StatusApplied, isync.StatusConflict, isync.StatusDuplicate:
		case isync.StatusRejected:
			if r.Error == nil || r.Error.Field == "" || r.Error.Message == "" {
				t.Fatalf("rejection of %q = %+v; want a field and a message", data, r.Error)
			}
		default:
			t.Fatalf("status %q for %q", r.Status, data)
		}
		if r.Status == isync.StatusApplied || r.Status == isync.StatusConflict {
			// The op log (kept with numbers, migrations 0015, 0017) reads the
			// fields as applied, exactly.
			var o isync.Op
			if err := json.Unmarshal(data, &o); err == nil {
				names := slices.Sorted(maps.Keys(o.Fields))
				parts := make([]string, len(names))
				for j, name := range names {
					parts[j] = strconv.Quote(name) + ":" + string(bytes.TrimSpace(o.Fields[name]))
				}
				want := "{" + strings.Join(parts, ",") + "}"
				var got string
				s.env.db.Read(context.Background(), func(tx *store.Tx) error {
					return tx.QueryRow("SELECT fields FROM ops WHERE op_id = ?", r.OpID).Scan(&got)
				})
				if got != want {
					t.Fatalf("the op log reads the fields of %q as\n%s\nwant\n%s", data, got, want)
				}
			}
		}
		if res.Results[1].Status != isync.StatusApplied {
			t.Fatalf("the good op beside %q = %+v; want applied", data, res.Results[1])
		}
	})
}
