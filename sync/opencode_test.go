package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"inspecta/schema"
)

// TestAppendOpIsMarshal: the hand-written encoding of an operation is
// byte for byte json.Marshal's, for plain operations and for every string
// and value encoding/json escapes or compacts.
func TestAppendOpIsMarshal(t *testing.T) {
	texts := []string{"", "plain", "Камера № 14", "a\"b", `back\slash`, "tab\there", "new\nline", "<b>&amp;</b>", "\u2028\u2029",
		"\x7f", "\xff bad utf-8", "emoji 🙂", "\u0000", "ъ", "a/b"}
	values := []string{`3`, `-1.5e3`, `"text"`, `"<script>"`, `true`, `null`, `[1,"a",{"b":2}]`, `{"a": 1}`, ` 4 `, "\"\u2028\"", `"é"`,
		`{"z":1,"a":2}`, "[\n1\n]", `"a\u0026b"`}
	r := rand.New(rand.NewPCG(3, 4))
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	ops := []Op{{}, {OpID: "a", Type: schema.RecordObservation, ID: "b", Action: ActionUpsert, HLC: "h"}}
	for range 3000 {
		op := Op{OpID: pick(texts), Type: schema.RecordType(pick(texts)), ID: pick(texts), Action: Action(pick(texts)), HLC: pick(texts)}
		if r.IntN(2) == 0 {
			op.Base = map[string]int64{}
			for range r.IntN(4) {
				op.Base[pick(texts)] = r.Int64N(1<<53) - 1<<52
			}
		}
		if r.IntN(4) > 0 {
			op.Fields = map[string]json.RawMessage{}
			for range r.IntN(6) {
				op.Fields[pick(texts)] = json.RawMessage(pick(values))
			}
		}
		if r.IntN(3) == 0 {
			op.Resolves = []string{}
			for range r.IntN(3) {
				op.Resolves = append(op.Resolves, pick(texts))
			}
		}
		ops = append(ops, op)
	}
	for _, op := range ops {
		want, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendOp(nil, op)
		if err != nil {
			t.Fatalf("%#v: %v", op, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%#v:\nhand-written %s\njson.Marshal %s", op, got, want)
		}
	}
	if _, err := appendOp(nil, Op{Fields: map[string]json.RawMessage{"v": json.RawMessage(`{`)}}); err == nil {
		t.Error("a field that is not JSON was encoded; want the error json.Marshal gives")
	}
}

// TestHLCStringIsSprintf: a clock stamp is written as fmt wrote it, for
// every counter.
func TestHLCStringIsSprintf(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, counter := range []int{0, 7, 42, 999, 1000, 9999, 10000, 123456, -1, -42} {
		for range 20 {
			h := HLC{Wall: time.UnixMilli(r.Int64N(1 << 45)).In(time.FixedZone("x", 5*3600)), Counter: counter, Node: []string{"", "dev-1", "server", "Ақтөбе"}[r.IntN(4)]}
			want := fmt.Sprintf("%s/%04d/%s", h.Wall.UTC().Format(hlcTimeLayout), h.Counter, h.Node)
			if got := h.String(); got != want {
				t.Errorf("%#v: %q; want %q", h, got, want)
			}
		}
	}
}
