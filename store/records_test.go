package store

import (
	"reflect"
	"strings"
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
	// With a node (migration 0018): its own stamps as numbers, the others
	// as before, and every form reads back.
	dev := "01a2283e-9e5e-7852-99ee-b2b6c58b4250"
	cases = append(cases,
		map[string]FieldVersion{"item": {Seq: 4, HLC: "2026-11-29T16:58:42.181Z/0001/" + dev, Device: dev},
			"value": {Seq: 4, HLC: "2026-11-29T16:58:42.181Z/0001/" + dev, Device: dev}},
		map[string]FieldVersion{"value": {Seq: 4, HLC: "1970-01-01T00:00:00.000Z/0000/" + dev, Device: dev},
			"note":   {Seq: 9, HLC: "9999-12-31T23:59:59.999Z/9999/" + dev, Device: dev},
			"status": {Seq: 12, HLC: "2026-11-29T17:00:00.000Z/0000/server", Device: dev},
			"label":  {Seq: 13, HLC: "2026-11-29T17:00:00.000Z/12345/" + dev, Device: dev},
			"kind":   {Seq: 14, HLC: "2026-11-29T17:00:00.000+05:00/0001/" + dev, Device: dev},
			"team":   {Seq: 2, HLC: "2026-11-29T17:00:00.000Z/0001/other", Device: "other"}})
	numbers := 0
	for _, want := range cases {
		list := []string{"_deleted", "item", "value", "note", "label", "status"}
		text, node := encodeVersionsNode(want, list)
		got := map[string]FieldVersion{}
		if err := decodeVersionsAt(text, node, list, 0, got); err != nil {
			t.Errorf("%s (node %q): %v", text, node, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s (node %q) read back as %v; want %v", text, node, got, want)
		}
		if node != "" {
			numbers++
			if err := decodeVersionsAt(text, "", list, 0, map[string]FieldVersion{}); err == nil {
				t.Errorf("%s read without its node", text)
			}
			if strings.Contains(text, ",[") && !strings.Contains(text, "\"") {
				t.Errorf("%s: fields of the list written by name", text)
			}
		}
	}
	// The binary form (packVersions) of what a device alone stamped, at
	// the record's sequence and above the groups': it reads back the same,
	// and takes less than half the text's bytes.
	packedCases := 0
	for _, want := range cases {
		list := []string{"_deleted", "item", "value", "note", "label", "status"}
		text, node := encodeVersionsNode(want, list)
		for _, seq := range []int64{14, 1 << 40} {
			packed, ok := packVersions(want, node, list, seq)
			if !ok {
				continue
			}
			packedCases++
			got := map[string]FieldVersion{}
			if err := decodeVersionsAt(string(packed), node, list, seq, got); err != nil {
				t.Errorf("%x (node %q, seq %d): %v", packed, node, seq, err)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%x (node %q, seq %d) read back as %v; want %v", packed, node, seq, got, want)
			}
			if seq == 14 && 2*len(packed) > len(text) {
				t.Errorf("%x: %d bytes packed, %d as text", packed, len(packed), len(text))
			}
			if err := decodeVersionsAt(string(packed), node, list, seq-bottom(want)-1, map[string]FieldVersion{}); err == nil {
				t.Errorf("%x read below its groups' sequences", packed)
			}
			if err := decodeVersionsAt(string(packed[:len(packed)-1]), node, list, seq, map[string]FieldVersion{}); err == nil && len(packed) > 1 {
				t.Errorf("%x read cut short", packed)
			}
		}
		if _, ok := packVersions(want, node, list, top(want)-1); ok {
			t.Errorf("%v packed at a sequence below its groups'", want)
		}
	}
	if packedCases < 4 {
		t.Errorf("%d cases packed; want those a device alone stamped, at two sequences each", packedCases)
	}
	if numbers < 3 {
		t.Errorf("%d cases written with numbers; want the three a device stamped", numbers)
	}
	for _, bad := range []string{"", "[", "[[1,\"h\",[]]]", "[[1,\"h\",[\"a\"]]", "[[x,\"h\",[\"a\"]]]", "[[1,\"h\",[\"a\"]]]x", `{"a":{"seq":1}}`} {
		if err := decodeVersions(bad, map[string]FieldVersion{}); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}

// TestVersionNamesOnlyGrow: a stored number names a record's fields by their
// place in versionNames, so each list is pinned here as it was first
// written; a list may gain names at its end, never lose or reorder one.
func TestVersionNamesOnlyGrow(t *testing.T) {
	pinned := map[string]string{
		"confidential_note": "_deleted visit_id location_id text consent_to_publish author_id",
		"consolidation":     "_deleted visit_id location_id item value reason observation_id decided_by",
		"facility": "_deleted name type authority region address capacity built_year verified demo created_by name_ru name_kk " +
			"name_en authority_ru authority_kk authority_en address_ru address_kk address_en",
		"interview":      "_deleted visit_id private_setting present consent fear_of_reprisal complaints follow_up author_id",
		"location":       "_deleted visit_id label kind created_by",
		"observation":    "_deleted visit_id location_id item value note author_id",
		"obstruction":    "_deleted visit_id kind target minutes reason_given note created_by",
		"recommendation": "_deleted facility_id visit_id text category addressee status checked_visit_id created_by",
		"visit": "_deleted facility_id kind announced started_at ended_at team ombudsperson_rep_present access_refused status " +
			"checklist demo created_by arrived_at admitted_at team_size rep_in_interviews",
	}
	for typ, rt := range RecordTypes {
		list := versionNames[typ]
		want := strings.Fields(pinned[string(typ)])
		if len(list) < len(want) || !reflect.DeepEqual(list[:len(want)], want) {
			t.Errorf("versionNames[%s] = %v; it must begin with %v", typ, list, want)
		}
		if len(list) > 62 {
			t.Errorf("versionNames[%s] has %d names; a number holds 62", typ, len(list))
		}
		for _, c := range rt.Columns {
			if !slicesContains(list, c.Name) {
				t.Errorf("%s field %s is not in versionNames (add it at the end of the list)", typ, c.Name)
			}
		}
	}
}

func slicesContains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// bottom is the lowest sequence of versions.
func bottom(versions map[string]FieldVersion) int64 {
	n := int64(-1)
	for _, v := range versions {
		if n < 0 || v.Seq < n {
			n = v.Seq
		}
	}
	return n
}

// top is the highest sequence of versions.
func top(versions map[string]FieldVersion) int64 {
	var n int64
	for _, v := range versions {
		n = max(n, v.Seq)
	}
	return n
}
