package store

import (
	"encoding/json"
	"testing"
)

// encodeVersions must read back exactly as json.Unmarshal reads what
// json.Marshal wrote, for any names and stamps a device may send.
func TestEncodeVersionsRoundTrips(t *testing.T) {
	cases := []map[string]FieldVersion{
		{},
		{"label": {Seq: 7, HLC: "2026-11-26T10:15:03.120Z/0003/dev", Device: "0193-a"}},
		{"value": {Seq: 1}, "note": {Seq: 2, HLC: `odd "quoted"\\ hlc`, Device: "устройство"}, "_deleted": {Seq: 3, Device: "x\u2028y\x01"}},
	}
	for _, in := range cases {
		got := encodeVersions(in)
		want, _ := json.Marshal(in)
		var a, b map[string]FieldVersion
		if err := json.Unmarshal([]byte(got), &a); err != nil {
			t.Fatalf("encodeVersions(%v) = %s: not JSON: %v", in, got, err)
		}
		json.Unmarshal(want, &b)
		if len(a) != len(b) {
			t.Fatalf("encodeVersions(%v) = %s; want %s", in, got, want)
		}
		for k, v := range b {
			if a[k] != v {
				t.Errorf("encodeVersions(%v)[%q] = %+v; want %+v", in, k, a[k], v)
			}
		}
	}
}
