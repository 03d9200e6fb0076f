package store

import (
	"reflect"
	"testing"
)

// TestVersionsRoundTrip: encodeVersions reads back exactly, for any names and
// stamps a device may send, and anything else is refused, not half read.
func TestVersionsRoundTrip(t *testing.T) {
	cases := []map[string]FieldVersion{
		{},
		{"value": {Seq: 1, HLC: "2026-11-29T16:58:42.181Z/0001/dev", Device: "dev"}},
		{"a": {Seq: 1, HLC: "t/0/dev", Device: "dev"}, "b": {Seq: 1, HLC: "t/0/dev", Device: "dev"}, "c": {Seq: 2, HLC: "t/1/dev", Device: "other"}},
		{"status": {Seq: 12, HLC: "t/0/server", Device: ""}, "x": {Seq: 0}, "y": {Seq: -1, Device: "d"}},
		{"q\"\\/é\u2028<>&": {Seq: 9007199254740993, HLC: "\x01/\"/\\", Device: "d,[]\"\\"}},
		{"n": {Seq: 3, HLC: "no slash", Device: "no slash"}, "m": {Seq: 3, HLC: "one/slash", Device: "slash"}},
		// The cases of the JSON form's test, before migration 0006.
		{"label": {Seq: 7, HLC: "2026-11-26T10:15:03.120Z/0003/dev", Device: "0193-a"}},
		{"value": {Seq: 1}, "note": {Seq: 2, HLC: `odd "quoted"\\ hlc`, Device: "устройство"}, "_deleted": {Seq: 3, Device: "x\u2028y\x01"}},
	}
	for _, want := range cases {
		text := encodeVersions(want)
		got := map[string]FieldVersion{}
		if err := decodeVersions(text, got); err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s read back as %v; want %v", text, got, want)
		}
	}
	for _, bad := range []string{"", "[", "[[1,\"h\",[]]]", "[[1,\"h\",[\"a\"]]", "[[x,\"h\",[\"a\"]]]", "[[1,\"h\",[\"a\"]]]x", `{"a":{"seq":1}}`} {
		if err := decodeVersions(bad, map[string]FieldVersion{}); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}
