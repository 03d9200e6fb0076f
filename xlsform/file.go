package xlsform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"inspecta/schema"
)

// Checklist file formats.
const (
	FormatJSON    = "json"
	FormatXLSForm = "xlsform"
)

// ReadChecklist reads a checklist file: an XLSForm workbook (recognised by
// the zip signature of .xlsx) or a JSON template. It returns the template
// and the format read. A refusal lists every problem: for a workbook each at
// its sheet, row and column (*Error); for JSON each at its JSON path. A file
// that is neither (empty, an Excel 97–2003 .xls, a workbook that is not a
// zip, anything else) is refused for what it is, not with a JSON parser's
// complaint about its first byte.
func ReadChecklist(name string, data []byte) (*schema.Template, string, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		t, err := Import(data)
		return t, FormatXLSForm, err
	}
	if p, ok := notAChecklistFile(name, data); ok {
		return nil, FormatXLSForm, &Error{Problems: []Problem{p}}
	}
	t, err := schema.ParseTemplate(name, data)
	if err != nil {
		return nil, FormatJSON, withJSONPaths(name, data, err)
	}
	return t, FormatJSON, nil
}

// oleSignature begins every Excel 97–2003 (.xls) workbook (a Compound File).
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// notAChecklistFile says what a file that is neither an .xlsx workbook nor a
// JSON document is, as the problem of its refusal; ok is false for a file
// that may be JSON (its first byte, after a byte-order mark and blanks, is "{").
func notAChecklistFile(name string, data []byte) (Problem, bool) {
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n")
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case len(body) == 0:
		return newProblem("(file)", "file_empty", "the file %s is empty", []any{name}), true
	case bytes.HasPrefix(data, oleSignature):
		return newProblem("(file)", "file_xls_old", "%s is an Excel 97-2003 workbook (.xls): open it and save it as .xlsx", []any{name}), true
	case ext == ".xlsx" || ext == ".xls" || ext == ".xlsm":
		return newProblem("(file)", "file_not_workbook", "%s is named as a workbook but is not one that can be read (.xlsx)", []any{name}), true
	case body[0] != '{':
		return newProblem("(file)", "file_unknown", "%s is neither an XLSForm workbook (.xlsx) nor a JSON checklist", []any{name}), true
	}
	return Problem{}, false
}

var jsonElement = regexp.MustCompile(`^(item|section|indicator) "([^"]*)": (.*)$`)
var jsonField = regexp.MustCompile(`^(label|help|unit_label|title|source) missing in ([a-z]+)`)

// withJSONPaths prefixes each validation error with the JSON path of the
// element it names: $.items[12].label.kk for `item "x": label missing in kk`.
func withJSONPaths(name string, data []byte, err error) error {
	var raw struct {
		Sections, Items, Indicators []struct {
			ID string `json:"id"`
		}
	}
	if json.Unmarshal(data, &raw) != nil {
		return err
	}
	index := map[string]map[string]int{"section": {}, "item": {}, "indicator": {}}
	for i, s := range raw.Sections {
		index["section"][s.ID] = i
	}
	for i, s := range raw.Items {
		index["item"][s.ID] = i
	}
	for i, s := range raw.Indicators {
		index["indicator"][s.ID] = i
	}
	lists := map[string]string{"section": "sections", "item": "items", "indicator": "indicators"}
	var lines []string
	for _, line := range strings.Split(err.Error(), "\n") {
		rest := strings.TrimPrefix(line, name+": ")
		m := jsonElement.FindStringSubmatch(rest)
		if m == nil {
			lines = append(lines, line)
			continue
		}
		i, ok := index[m[1]][m[2]]
		if !ok {
			lines = append(lines, line)
			continue
		}
		path := fmt.Sprintf("$.%s[%d]", lists[m[1]], i)
		if f := jsonField.FindStringSubmatch(m[3]); f != nil {
			path += "." + f[1] + "." + f[2]
		}
		lines = append(lines, fmt.Sprintf("%s: %s (%s %q): %s", name, path, m[1], m[2], m[3]))
	}
	return fmt.Errorf("%s", strings.Join(lines, "\n"))
}

// IndentJSON indents a template's JSON as the embedded files are written.
func IndentJSON(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		return nil, fmt.Errorf("indent checklist JSON: %w", err)
	}
	return buf.Bytes(), nil
}
