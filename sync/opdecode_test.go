package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"
)

// slowDecodeOp is how an operation was decoded before decodeOpFast, and how
// it still is whenever decodeOpFast declines.
func slowDecodeOp(raw []byte) (Op, error) {
	var op Op
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&op)
	return op, err
}

var opDecodeSeeds = []string{
	`{"op_id":"0193a000-0000-7000-8000-000000000001","type":"observation","id":"0193a000-0000-7000-8000-000000000002","action":"upsert","hlc":"2026-11-26T10:15:03.120Z/0003/x","fields":{"visit_id":"v","location_id":"l","item":"cell_area_m2","value":11.5,"note":"Камера сырая"}}`,
	`{"op_id":"a","type":"location","id":"b","action":"upsert","hlc":"h","base":{"label":1,"kind":0,"_deleted":-3},"fields":{"label":"Cell 1","team":["u1","u2"],"x":{"a":[1,{"b":null}]},"n":null,"t":true,"f":false}}`,
	` { "op_id" : "a" , "resolves" : [ "c1" , "c2" ] , "fields" : { "value" : 1e3 , "note" : "" } } `,
	`{"resolves":[],"fields":{},"base":{}}`, `{}`, `{"fields":null}`, `{"base":null}`, `{"resolves":null}`, `{"op_id":null}`,
	`{"op_id":"a","op_id":"b"}`, `{"fields":{"a":1,"a":2}}`, `{"base":{"a":1,"a":2}}`, `{"OP_ID":"a"}`, `{"Op_Id":"a","op_id":"b"}`,
	`{"unknown":1}`, `{"op_id":"a\"b"}`, `{"op_id":"\u00e9"}`, `{"op_id":"é"}`, "{\"op_id\":\"\xff\"}", `{"op_id":1}`,
	`{"base":{"a":1.0}}`, `{"base":{"a":01}}`, `{"base":{"a":1e2}}`, `{"base":{"a":"1"}}`, `{"base":{"a":9223372036854775808}}`,
	`{"base":{"a":-0}}`, `{"fields":{"v":[1,2}}`, `{"fields":{"v":"a\\"}}`, `{"fields":{"v":"x\"y]}"}}`, `{"fields":{"v":tru}}`,
	`{"fields":{"v":1}} x`, `{"fields":{"v":{"a":"}"}}}`, `[]`, `null`, `{"op_id":"a",}`, `{"op_id":"a"`, `{"fields":{"v":01}}`,
	`{"resolves":["a",1]}`, `{"resolves":"a"}`, `{"fields":{"v":"line\nbreak"}}`, "{\"op_id\":\"tab\there\"}",
}

// FuzzDecodeOpFast: whatever decodeOpFast accepts, encoding/json decodes to
// exactly the same operation.
func FuzzDecodeOpFast(f *testing.F) {
	for _, s := range opDecodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast Op
		if !decodeOpFast(data, &fast) {
			return
		}
		slow, err := slowDecodeOp(data)
		if err != nil {
			t.Fatalf("%q: accepted, but encoding/json says %v", data, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q:\nfast %#v\nslow %#v", data, fast, slow)
		}
	})
}

// TestDecodeOpFastTakesThePlainForm: what clients send is decoded without
// encoding/json (else the fast path would be dead code).
func TestDecodeOpFastTakesThePlainForm(t *testing.T) {
	for _, s := range opDecodeSeeds[:4] {
		var op Op
		if !decodeOpFast([]byte(s), &op) {
			t.Errorf("%s: not taken by the fast path", s)
		}
	}
	op := Op{OpID: "a", Type: "observation", ID: "b", Action: "upsert", HLC: "h", Base: map[string]int64{"value": 4},
		Fields: map[string]json.RawMessage{"value": json.RawMessage(`3`)}, Resolves: []string{"c"}}
	b, _ := json.Marshal(op)
	var got Op
	if !decodeOpFast(b, &got) || !reflect.DeepEqual(got, op) {
		t.Errorf("json.Marshal's form %s read as %#v", b, got)
	}
}

var valueDecodeSeeds = []string{
	`"plain"`, ` "Камера сырая" `, `"a\"b"`, `"\u00e9"`, "\"\xff\"", "\"tab\there\"", `""`, `"`, `"a" x`,
	`0`, `-0`, `7`, `-12`, `1285`, `01`, `1.5`, `1e3`, `-`, `9007199254740993`, `9223372036854775808`, ` 42 `,
	`true`, `false`, `null`, ` null `, `tru`, `[1,"a"]`, `{"a":1}`, ``, `  `,
}

// FuzzDecodeValueFast: decodeAny, decodeString and plainInt give what
// encoding/json gives for every input, with the same success.
func FuzzDecodeValueFast(f *testing.F) {
	for _, s := range valueDecodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var slow any
		slowErr := json.Unmarshal(data, &slow)
		fast, fastErr := decodeAny(data)
		if (slowErr == nil) != (fastErr == nil) || (slowErr == nil && !sameDecoded(fast, slow)) {
			t.Fatalf("decodeAny(%q) = %#v, %v; encoding/json %#v, %v", data, fast, fastErr, slow, slowErr)
		}
		var slowS, fastS string
		slowErr = json.Unmarshal(data, &slowS)
		fastErr = decodeString(data, &fastS)
		if (slowErr == nil) != (fastErr == nil) || fastS != slowS {
			t.Fatalf("decodeString(%q) = %q, %v; encoding/json %q, %v", data, fastS, fastErr, slowS, slowErr)
		}
		if n, ok := plainInt(data); ok {
			var num json.Number
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			if err := dec.Decode(&num); err != nil {
				t.Fatalf("plainInt(%q) = %d, but encoding/json says %v", data, n, err)
			}
			if i, err := num.Int64(); err != nil || i != n {
				t.Fatalf("plainInt(%q) = %d; encoding/json %d, %v", data, n, i, err)
			}
		}
	})
}

// TestDecodeValueFastTakesThePlainForms: what clients send is decoded
// without encoding/json (else the fast paths would be dead code).
func TestDecodeValueFastTakesThePlainForms(t *testing.T) {
	for _, s := range []string{`"Камера сырая"`, `""`, ` "a" `} {
		if _, ok := plainString([]byte(s)); !ok {
			t.Errorf("%s: not a plain string", s)
		}
	}
	for _, s := range []string{`0`, `1285`, `-12`, ` 42 `} {
		if _, ok := plainInt([]byte(s)); !ok {
			t.Errorf("%s: not a plain whole number", s)
		}
	}
	for _, s := range []string{`"a\"b"`, `01`, `1.5`, `1e3`, `-`, `9223372036854775808`, `"a" x`} {
		if _, ok := plainString([]byte(s)); ok {
			t.Errorf("%s: taken as a plain string", s)
		}
		if _, ok := plainInt([]byte(s)); ok {
			t.Errorf("%s: taken as a plain whole number", s)
		}
	}
}

// sameDecoded is reflect.DeepEqual that also tells -0 from 0.
func sameDecoded(a, b any) bool {
	x, ok1 := a.(float64)
	y, ok2 := b.(float64)
	if ok1 && ok2 && math.Signbit(x) != math.Signbit(y) {
		return false
	}
	return reflect.DeepEqual(a, b)
}

var pushDecodeSeeds = []string{
	`{"device_id":"d1","device_time":"2026-11-30T10:00:00.000Z","compact_results":true,"ops":[{"op_id":"a"},{"op_id":"b","fields":{"v":[1,{"x":"}"}]}}]}`,
	`{"ops":[]}`, `{}`, ` { "ops" : [ 1 , "x" , null ] , "compact_results" : false } `, `{"ops":[{"a":1}],"pull":{"since":12,"limit":500}}`,
	`{"pull":{}}`, `{"pull":{"since":-0}}`, `{"pull":{"since":1.5}}`, `{"pull":{"since":99999999999999999999}}`, `{"pull":null}`,
	`{"ops":null}`, `{"ops":[1,]}`, `{"ops":[1] x`, `{"device_id":"a","device_id":"b"}`, `{"Device_ID":"a"}`, `{"other":1}`,
	`{"device_id":"a\"b"}`, "{\"device_id\":\"\xff\"}", `{"compact_results":"true"}`, `{"ops":[{"op_id":"a"}]}{}`, `[]`, ``,
	`{"ops":[{"op_id":"a"},{"op_id":"a","op_id":"b"}]}`, `{"pull":{"since":1,"since":2}}`, `{"pull":{"since":1,"x":2}}`,
}

// slowDecodePush is the server's decoding of a push body by encoding/json
// (decodeBody): unknown fields refused, nothing after the value.
func slowDecodePush(data []byte) (PushRequest, error) {
	var req PushRequest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return PushRequest{}, err
	}
	if len(bytes.Trim(data[dec.InputOffset():], " \t\r\n")) > 0 {
		return PushRequest{}, errors.New("data after the value")
	}
	return req, nil
}

// FuzzDecodePushFast: what the fast decoding of a push body accepts,
// encoding/json accepts too and reads the same (each operation's bytes
// included).
func FuzzDecodePushFast(f *testing.F) {
	for _, s := range pushDecodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast PushRequest
		if !DecodePushFast(data, &fast) {
			return
		}
		slow, err := slowDecodePush(data)
		if err != nil {
			t.Fatalf("%q: accepted, but encoding/json says %v", data, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q:\nfast %#v\nslow %#v", data, fast, slow)
		}
	})
}

// TestDecodePushFastTakesThePlainForm: the bodies the Go client writes
// (encodePush) are decoded without encoding/json, and what the fast path
// refuses is what it must leave to encoding/json.
func TestDecodePushFastTakesThePlainForm(t *testing.T) {
	ops := []Op{{OpID: "a", Type: "observation", ID: "b", Action: "upsert", HLC: "h", Fields: map[string]json.RawMessage{"value": json.RawMessage(`3`)}}}
	body, err := encodePush("dev", "2026-11-30T10:00:00.000Z", ops)
	if err != nil {
		t.Fatal(err)
	}
	var req PushRequest
	if !DecodePushFast(body, &req) || len(req.Ops) != 1 || req.DeviceID != "dev" || !req.CompactResults {
		t.Errorf("the Go client's push %s: taken %v as %#v", body, DecodePushFast(body, &PushRequest{}), req)
	}
	for _, s := range []string{`{"device_id":"a","device_id":"b"}`, `{"Device_ID":"a"}`, `{"ops":[1] x`, `{"ops":[1,]}`, `{"other":1}`} {
		if DecodePushFast([]byte(s), &PushRequest{}) {
			t.Errorf("%s: taken by the fast path; encoding/json must decide it", s)
		}
	}
}
