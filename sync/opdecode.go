package sync

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// decodeOpFast decodes an operation written the plain way every client
// writes one: the protocol's keys spelt exactly, each once, strings without
// escapes, base values whole numbers, fields and base objects without a
// repeated name. It reports false for anything else, and the caller then
// decodes with encoding/json, whose errors the rejections quote; for what it
// accepts it gives exactly what encoding/json gives (FuzzDecodeOpFast). A push
// of a thousand operations spent a tenth of its time in encoding/json's
// reflection.
func decodeOpFast(raw []byte, op *Op) bool {
	s := opScanner{b: raw}
	return s.object(func(key string) bool {
		switch key {
		case "op_id":
			return s.strInto(&op.OpID)
		case "type":
			return namedInto(&s, &op.Type)
		case "id":
			return s.strInto(&op.ID)
		case "action":
			return namedInto(&s, &op.Action)
		case "hlc":
			return s.strInto(&op.HLC)
		case "base":
			return s.base(op)
		case "fields":
			return s.fields(op)
		case "resolves":
			return s.resolves(op)
		}
		return false
	}) && s.end()
}

// opScanner reads the plain JSON decodeOpFast accepts.
type opScanner struct {
	b []byte
	i int
}

func (s *opScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *opScanner) lit(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *opScanner) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// str reads a string without escapes or control characters, valid UTF-8.
func (s *opScanner) str() (string, bool) {
	if !s.lit('"') {
		return "", false
	}
	start := s.i
	for ; s.i < len(s.b); s.i++ {
		c := s.b[s.i]
		if c == '"' {
			v := string(s.b[start:s.i])
			s.i++
			return v, utf8.ValidString(v)
		}
		if c == '\\' || c < 0x20 {
			return "", false
		}
	}
	return "", false
}

func (s *opScanner) strInto(dst *string) bool {
	v, ok := s.str()
	*dst = v
	return ok
}

// namedInto is strInto for a named string type (a record type, an action).
func namedInto[T ~string](s *opScanner, dst *T) bool {
	v, ok := s.str()
	*dst = T(v)
	return ok
}

// object reads an object whose names are all different, calling value for
// each after its colon.
func (s *opScanner) object(value func(name string) bool) bool {
	if !s.lit('{') {
		return false
	}
	if s.lit('}') {
		return true
	}
	var names []string
	for {
		name, ok := s.str()
		if !ok || !s.lit(':') {
			return false
		}
		for _, n := range names {
			if n == name {
				return false
			}
		}
		names = append(names, name)
		if !value(name) {
			return false
		}
		if s.lit('}') {
			return true
		}
		if !s.lit(',') {
			return false
		}
	}
}

func (s *opScanner) base(op *Op) bool {
	op.Base = map[string]int64{}
	return s.object(func(name string) bool {
		n, ok := s.wholeNumber()
		op.Base[name] = n
		return ok
	})
}

// wholeNumber reads a JSON number written as a plain whole number (an
// optional minus, digits, no leading zero, no fraction or exponent) that fits
// in an int64.
func (s *opScanner) wholeNumber() (int64, bool) {
	s.ws()
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	digits := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	if s.i == digits || (s.b[digits] == '0' && s.i > digits+1) {
		return 0, false // no digit, or a leading zero: not plain
	}
	if s.i < len(s.b) && (s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(s.b[start:s.i]), 10, 64)
	return n, err == nil
}

func (s *opScanner) fields(op *Op) bool {
	op.Fields = map[string]json.RawMessage{}
	return s.object(func(name string) bool {
		s.ws()
		start := s.i
		if !s.skipValue() {
			return false
		}
		v := s.b[start:s.i]
		if !json.Valid(v) {
			return false
		}
		op.Fields[name] = json.RawMessage(append([]byte(nil), v...))
		return true
	})
}

func (s *opScanner) resolves(op *Op) bool {
	op.Resolves = []string{}
	if !s.lit('[') {
		return false
	}
	if s.lit(']') {
		return true
	}
	for {
		v, ok := s.str()
		if !ok {
			return false
		}
		op.Resolves = append(op.Resolves, v)
		if s.lit(']') {
			return true
		}
		if !s.lit(',') {
			return false
		}
	}
}

// skipValue moves past one JSON value, checking only that its brackets and
// strings close; json.Valid checks the rest.
func (s *opScanner) skipValue() bool {
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '"':
		return s.skipString()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				if !s.skipString() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			s.i++
			if depth == 0 {
				return true
			}
		}
		return false
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return true
		}
		s.i++
	}
	return true
}

// skipString moves past a string, escapes included.
func (s *opScanner) skipString() bool {
	for s.i++; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '\\':
			s.i++
		case '"':
			s.i++
			return true
		}
	}
	return false
}

// The values of fields are decoded one at a time, thousands per push; the
// plain forms below skip encoding/json's reflection and give exactly what it
// gives (FuzzDecodeValueFast). Anything else is left to encoding/json.

// plainString returns the text of a JSON string without escapes or control
// characters, in valid UTF-8, with nothing but white space around it.
func plainString(raw []byte) (string, bool) {
	s := opScanner{b: raw}
	v, ok := s.str()
	return v, ok && s.end()
}

// plainInt returns the value of a JSON number written as a plain whole number
// (an optional minus, digits, no leading zero) that fits in an int64.
func plainInt(raw []byte) (int64, bool) {
	s := opScanner{b: raw}
	n, ok := s.wholeNumber()
	return n, ok && s.end()
}

// decodeString is json.Unmarshal into a string.
func decodeString(raw []byte, dst *string) error {
	if v, ok := plainString(raw); ok {
		*dst = v
		return nil
	}
	return json.Unmarshal(raw, dst)
}

// decodeAny is json.Unmarshal into an any.
func decodeAny(raw []byte) (any, error) {
	if v, ok := plainString(raw); ok {
		return v, nil
	}
	if n, ok := plainInt(raw); ok && n != 0 && n >= -1<<53 && n <= 1<<53 {
		return float64(n), nil // exact: encoding/json parses the same text as a float64 (0 is left to it: -0)
	}
	// Only JSON's own blanks are trimmed: bytes.TrimSpace also takes \f and
	// \v, which encoding/json refuses (FuzzDecodeValueFast found "\fnull").
	switch string(bytes.Trim(raw, " \t\r\n")) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	var v any
	err := json.Unmarshal(raw, &v)
	return v, err
}

// DecodePushFast decodes the body of a push written the plain way every
// client writes one: the protocol's keys spelt exactly, each once, strings
// without escapes, a pull's numbers whole. Each operation is kept as the
// bytes of the body it came in (no copy). It reports false for anything
// else, and the caller then decodes with encoding/json, whose errors the
// answers quote; for what it accepts it gives exactly what encoding/json
// gives (FuzzDecodePushFast), the whole body included: an operation that is
// not JSON fails the body there, not here.
func DecodePushFast(body []byte, req *PushRequest) bool {
	if !json.Valid(body) {
		return false
	}
	s := opScanner{b: body}
	return s.object(func(key string) bool {
		switch key {
		case "device_id":
			return s.strInto(&req.DeviceID)
		case "device_time":
			return s.strInto(&req.DeviceTime)
		case "compact_results":
			return s.boolInto(&req.CompactResults)
		case "ops":
			return s.rawList(&req.Ops)
		case "pull":
			return s.pullAsk(req)
		}
		return false
	}) && s.end()
}

func (s *opScanner) boolInto(dst *bool) bool {
	s.ws()
	for _, lit := range []string{"true", "false"} {
		if bytes.HasPrefix(s.b[s.i:], []byte(lit)) {
			s.i += len(lit)
			*dst = lit == "true"
			return true
		}
	}
	return false
}

// rawList reads an array of JSON values, each kept as its bytes.
func (s *opScanner) rawList(dst *[]json.RawMessage) bool {
	if !s.lit('[') {
		return false
	}
	list := make([]json.RawMessage, 0, 64)
	if s.lit(']') {
		*dst = list
		return true
	}
	for {
		s.ws()
		start := s.i
		if !s.skipValue() {
			return false
		}
		list = append(list, json.RawMessage(s.b[start:s.i:s.i]))
		if s.lit(']') {
			*dst = list
			return true
		}
		if !s.lit(',') {
			return false
		}
	}
}

func (s *opScanner) pullAsk(req *PushRequest) bool {
	req.Pull = &PullAsk{}
	return s.object(func(name string) bool {
		n, ok := s.wholeNumber()
		switch name {
		case "since":
			req.Pull.Since = n
		case "limit":
			req.Pull.Limit = int(n)
		default:
			return false
		}
		return ok
	})
}
