package sync

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendOp appends op's JSON exactly as json.Marshal writes it
// (TestAppendOpIsMarshal), without its reflection and sorting allocations: a
// client encodes a thousand operations a push. Any string or value it does
// not write the plain way goes to encoding/json.
func appendOp(b []byte, op Op) ([]byte, error) {
	b = append(b, `{"op_id":`...)
	b = appendString(b, op.OpID)
	b = append(b, `,"type":`...)
	b = appendString(b, string(op.Type))
	b = append(b, `,"id":`...)
	b = appendString(b, op.ID)
	b = append(b, `,"action":`...)
	b = appendString(b, string(op.Action))
	b = append(b, `,"hlc":`...)
	b = appendString(b, op.HLC)
	if len(op.Base) > 0 {
		b = append(b, `,"base":{`...)
		for i, name := range slices.Sorted(maps.Keys(op.Base)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, name)
			b = append(b, ':')
			b = strconv.AppendInt(b, op.Base[name], 10)
		}
		b = append(b, '}')
	}
	if len(op.Fields) > 0 {
		b = append(b, `,"fields":{`...)
		for i, name := range slices.Sorted(maps.Keys(op.Fields)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, name)
			b = append(b, ':')
			v := op.Fields[name]
			if plainValue(v) {
				b = append(b, v...)
				continue
			}
			m, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			b = append(b, m...)
		}
		b = append(b, '}')
	}
	if len(op.Resolves) > 0 {
		b = append(b, `,"resolves":[`...)
		for i, id := range op.Resolves {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, id)
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// appendString appends s as a JSON string as encoding/json writes it.
func appendString(b []byte, s string) []byte {
	if plainText(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	m, _ := json.Marshal(s) // a string always marshals
	return append(b, m...)
}

// plainText reports whether encoding/json writes s between quotes as it is:
// valid UTF-8 without control characters, quotes, backslashes, the three
// characters it escapes for HTML (<, >, &) and U+2028, U+2029.
func plainText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// plainValue reports whether encoding/json writes the raw value v as it is:
// valid JSON without white space (it compacts) and without what it escapes
// inside strings (plainText).
func plainValue(v json.RawMessage) bool {
	if len(v) == 0 || !json.Valid(v) {
		return false
	}
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}
