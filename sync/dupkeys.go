package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// duplicateKey returns the first object key that appears twice in one object
// of the JSON text, or "". encoding/json silently keeps the last of two equal
// keys; an operation carrying two values for one field is ambiguous, so it is
// refused rather than half-guessed.
func duplicateKey(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	key, _ := scanValue(dec, "")
	return key
}

func scanValue(dec *json.Decoder, path string) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return "", nil
	}
	switch delim {
	case '{':
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return "", err
			}
			k := fmt.Sprint(kt)
			name := k
			if path != "" {
				name = path + "." + k
			}
			if seen[k] {
				return name, nil
			}
			seen[k] = true
			if dup, err := scanValue(dec, name); dup != "" || err != nil {
				return dup, err
			}
		}
	case '[':
		for dec.More() {
			if dup, err := scanValue(dec, path); dup != "" || err != nil {
				return dup, err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	return "", err
}
