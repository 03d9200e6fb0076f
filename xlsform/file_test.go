package xlsform_test

import (
	"errors"
	"strings"
	"testing"

	"inspecta/xlsform"
)

// TestFilesThatAreNoChecklist: a file that is neither an .xlsx workbook nor
// a JSON checklist is refused for what it is (with its code, for the desk's
// words), not with a JSON parser's complaint about its first byte; a JSON
// checklist with a byte-order mark is still read as JSON.
func TestFilesThatAreNoChecklist(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		code string
	}{
		{"empty.xlsx", nil, "file_empty"},
		{"blank.json", []byte(" \n\t"), "file_empty"},
		{"old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "file_xls_old"},
		{"old-renamed.xlsx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "file_xls_old"},
		{"page.xlsx", []byte("<html><body>Sign in</body></html>"), "file_not_workbook"},
		{"notes.txt", []byte("cell area, persons"), "file_unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := xlsform.ReadChecklist(c.name, c.data)
			var xe *xlsform.Error
			if !errors.As(err, &xe) || len(xe.Problems) != 1 {
				t.Fatalf("ReadChecklist(%s) = %v; want one problem", c.name, err)
			}
			p := xe.Problems[0]
			if p.Code != c.code || len(p.Args) != 1 || p.Args[0] != c.name {
				t.Errorf("problem %+v; want code %s naming %s", p, c.code, c.name)
			}
			if strings.Contains(p.Message, "invalid character") || strings.Contains(p.Message, "EOF") {
				t.Errorf("message %q is a parser's complaint", p.Message)
			}
		})
	}
	// A JSON checklist saved with a byte-order mark is still JSON: refused, if
	// at all, for its content, never as "not a checklist file".
	_, format, err := xlsform.ReadChecklist("bom.json", []byte("\xEF\xBB\xBF{\"id\": \"x\"}"))
	var xe *xlsform.Error
	if format != xlsform.FormatJSON || errors.As(err, &xe) {
		t.Errorf("a JSON file with a byte-order mark: format %s, err %v; want read as JSON", format, err)
	}
}
