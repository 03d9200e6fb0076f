package sync

import "strconv"

// duplicateKey returns the first object key that appears twice in one object
// of the JSON text (as "fields.label" for a nested one), or "". encoding/json
// silently keeps the last of two equal keys; an operation carrying two values
// for one field is ambiguous, so it is refused rather than half-guessed.
// The text must already be valid JSON (the push's decoder checked it): this is
// a single pass over the bytes, run for every pushed operation.
func duplicateKey(raw []byte) string {
	type frame struct {
		object    bool
		expectKey bool
		name      string   // the key that led here, for the answer
		keys      []string // keys seen so far in this object
	}
	var stack []frame
	lastKey := ""
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '{', '[':
			name := lastKey
			if n := len(stack); n > 0 && stack[n-1].name != "" {
				name = stack[n-1].name
				if lastKey != "" {
					name += "." + lastKey
				}
			}
			stack = append(stack, frame{object: c == '{', expectKey: c == '{', name: name})
			lastKey = ""
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].expectKey = true
			}
		case '"':
			start := i + 1
			escaped := false
			for i++; i < len(raw) && raw[i] != '"'; i++ {
				if raw[i] == '\\' {
					escaped = true
					i++
				}
			}
			n := len(stack)
			if n == 0 || !stack[n-1].object || !stack[n-1].expectKey {
				continue // a string value
			}
			key := string(raw[start:i])
			if escaped {
				if k, err := strconv.Unquote(`"` + key + `"`); err == nil {
					key = k
				}
			}
			top := &stack[n-1]
			for _, k := range top.keys {
				if k == key {
					if top.name != "" {
						return top.name + "." + key
					}
					return key
				}
			}
			top.keys = append(top.keys, key)
			top.expectKey = false
			lastKey = key
		}
	}
	return ""
}
