// Package clientstrings reads the web client's string table
// (client/web/i18n.js) so that Go tests can check that every code the
// server or the XLSForm importer sends has words in every language. It is
// used by tests only.
package clientstrings

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Languages are the columns of a row of the table, in order.
var Languages = []string{"en", "ru", "kk"}

var rowStart = regexp.MustCompile(`(?m)^ {2}([a-z_0-9]+): \[`)

// Load reads the table of the i18n.js at path, and of the tables beside it
// that screens loaded later add (i18n-*.js, such as the desk's): each key's
// strings in Languages order. It fails on a row it cannot read to its end,
// and on a key two tables define.
func Load(path string) (map[string][]string, error) {
	more, err := filepath.Glob(filepath.Join(filepath.Dir(path), "i18n-*.js"))
	if err != nil {
		return nil, fmt.Errorf("client string tables: %w", err)
	}
	out := map[string][]string{}
	for _, p := range append([]string{path}, more...) {
		if err := loadInto(out, p); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no strings in %s", path)
	}
	return out, nil
}

func loadInto(out map[string][]string, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read client strings: %w", err)
	}
	text := string(src)
	for _, m := range rowStart.FindAllStringSubmatchIndex(text, -1) {
		key := text[m[2]:m[3]]
		row, err := readRow(text[m[1]:])
		if err != nil {
			return fmt.Errorf("client string %s: %w", key, err)
		}
		if _, twice := out[key]; twice {
			return fmt.Errorf("client string %s is defined twice (again in %s)", key, filepath.Base(path))
		}
		out[key] = row
	}
	return nil
}

// readRow reads quoted strings up to the row's closing bracket.
func readRow(s string) ([]string, error) {
	var row []string
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ']':
			return row, nil
		case '\'', '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unclosed string")
			}
			row = append(row, b.String())
			i = j
		}
	}
	return nil, fmt.Errorf("no closing bracket")
}

// Missing lists what key lacks: "no string" when the table has no such
// key, else each language whose string is empty.
func Missing(table map[string][]string, key string) []string {
	row, ok := table[key]
	if !ok {
		return []string{"no string " + key}
	}
	var miss []string
	for i, l := range Languages {
		if i >= len(row) || strings.TrimSpace(row[i]) == "" {
			miss = append(miss, key+" has no "+l)
		}
	}
	return miss
}
