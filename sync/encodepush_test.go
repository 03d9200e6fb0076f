package sync

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestEncodePushIsThePushRequest: the body written op by op is the same JSON
// as a marshalled PushRequest, so the server reads the same request.
func TestEncodePushIsThePushRequest(t *testing.T) {
	ops := []Op{
		{OpID: "0193a000-0000-7000-8000-000000000001", Type: "observation", ID: "0193a000-0000-7000-8000-000000000002",
			Action: "upsert", HLC: "2026-11-26T10:15:03.120Z/0003/dev", Base: map[string]int64{"value": 0, "note": 12},
			Fields: map[string]json.RawMessage{"value": json.RawMessage(`11.5`), "note": json.RawMessage(` "Камера <№ 3> & двор" `)}},
		{OpID: "0193a000-0000-7000-8000-000000000003", Type: "location", ID: "0193a000-0000-7000-8000-000000000004",
			Action: "delete", HLC: "2026-11-26T10:15:04.000Z/0000/dev"},
	}
	got, err := encodePush("dev-1", "2026-11-26T10:15:05.000Z", ops)
	if err != nil {
		t.Fatal(err)
	}
	raws := make([]json.RawMessage, len(ops))
	for i, op := range ops {
		raws[i], _ = json.Marshal(op)
	}
	want, _ := json.Marshal(PushRequest{DeviceID: "dev-1", Ops: raws, CompactResults: true, DeviceTime: "2026-11-26T10:15:05.000Z"})
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("encodePush wrote invalid JSON: %v\n%s", err, got)
	}
	json.Unmarshal(want, &w)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Errorf("encodePush = %s\nwant the same JSON as %s", got, want)
	}
}
