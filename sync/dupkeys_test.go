package sync

import "testing"

func TestDuplicateKey(t *testing.T) {
	cases := []struct{ json, want string }{
		{`{"a":1,"b":2}`, ""},
		{`{"a":1,"a":2}`, "a"},
		{`{"fields":{"label":"A","label":"B"}}`, "fields.label"},
		{`{"fields":{"label":"A"},"base":{"label":1}}`, ""},
		{`{"fields":{"value":"{\"x\":1,\"x\":2}"}}`, ""}, // inside a string: not keys
		{`{"a":[{"k":1},{"k":2}]}`, ""},
		{`{"a":[{"k":1,"k":2}]}`, "a.k"},
		{`{"\u0061":1,"a":2}`, "a"},
		{`{"s":"a,\"b\":{","s2":"}"}`, ""},
		{`[1,2,{"x":[],"x":{}}]`, "x"},
	}
	for _, c := range cases {
		if got := duplicateKey([]byte(c.json)); got != c.want {
			t.Errorf("duplicateKey(%s) = %q; want %q", c.json, got, c.want)
		}
	}
}
