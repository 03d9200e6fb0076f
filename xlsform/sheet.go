// Package xlsform reads and writes checklists as XLSForm workbooks, the
// spreadsheet form format of ODK, KoboToolbox and Enketo: the survey, choices
// and settings sheets, one label column per language ("label::Russian (ru)"),
// and columns of Inspecta's own for what XLSForm has no word for (see
// docs/checklists.md). It is the only package that imports excelize.
//
// Import refuses what it cannot map, naming the sheet, row and column; it
// never drops a filled cell in silence. Export writes only what Import reads
// back into the same template, and checks it does.
package xlsform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"inspecta/schema"
)

// Problem is one thing wrong with a workbook, at its place.
type Problem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row,omitempty"`    // as the spreadsheet numbers it, from 1
	Column string `json:"column,omitempty"` // the column's header, e.g. "label::Kazakh (kk)"
	Cell   string `json:"cell,omitempty"`   // e.g. "C12"
	// Code says what is wrong, one of ProblemCodes: the desk says it in the
	// user's language (client string xp_<code>), filling in Args, the values
	// the problem names ({0}, {1}… in the message's order). Message is the
	// same in English, for developers and logs.
	Code    string   `json:"code"`
	Args    []string `json:"args,omitempty"`
	Message string   `json:"message"`
}

// ProblemCodes lists every Problem.Code; a test checks each is one the
// importer writes and has words in every language of the web client.
var ProblemCodes = withRuleCodes([]string{
	"not_xlsx", "sheet_unreadable", "sheet_not_supported", "no_survey", "no_settings", "encode_failed",
	"settings_no_values", "default_language_unknown", "form_id_missing", "version_missing", "version_not_whole",
	"form_title_missing", "value_not_allowed", "choices_columns_missing", "choice_no_list", "choice_no_name",
	"choice_twice", "survey_columns_missing", "indicators_failed", "type_missing", "end_group_unopened",
	"name_missing", "name_twice", "group_nested", "group_column", "scope_invalid", "question_outside_group",
	"indicator_input_form", "indicator_unknown", "indicator_role_unknown", "indicator_input_twice",
	"group_unclosed", "relevant_invalid", "indicator_input_missing", "language_column_missing", "text_missing",
	"select_list_form", "choices_sheet_missing", "choice_list_unknown", "type_metadata", "type_unknown",
	"type_not_supported", "required_not_yesno", "yesno_invalid", "range_missing", "constraint_not_range",
	"tolerance_not_number", "constraint_text", "constraint_not_taken", "tolerance_not_numeric",
	"template_settings", "template_survey", "template_group", "template_indicator", "template_choice",
	"template_question", "language_unknown", "column_no_language", "language_twice", "column_unsupported",
	"checklist_rule", "file_empty", "file_xls_old", "file_not_workbook", "file_unknown",
})

// withRuleCodes adds the template's own rules (schema.RuleCodes) to the
// importer's codes: they are placed with their codes (importer.placeRule).
func withRuleCodes(codes []string) []string {
	for _, c := range schema.RuleCodes {
		if !containsString(codes, c) {
			codes = append(codes, c)
		}
	}
	return codes
}

// newProblem is a problem of sheet with its code, its args as text and its
// English message.
func newProblem(sheet, code, format string, args []any) Problem {
	p := Problem{Sheet: sheet, Code: code, Message: fmt.Sprintf(format, args...)}
	for _, a := range args {
		p.Args = append(p.Args, fmt.Sprint(a))
	}
	return p
}

func (p Problem) String() string {
	var where strings.Builder
	where.WriteString(p.Sheet)
	switch {
	case p.Cell != "":
		fmt.Fprintf(&where, "!%s", p.Cell)
	case p.Row > 0:
		fmt.Fprintf(&where, " row %d", p.Row)
	}
	if p.Row > 0 && p.Cell != "" {
		fmt.Fprintf(&where, " (row %d", p.Row)
		if p.Column != "" {
			fmt.Fprintf(&where, ", column %s", p.Column)
		}
		where.WriteString(")")
	} else if p.Column != "" {
		fmt.Fprintf(&where, " (column %s)", p.Column)
	}
	return where.String() + ": " + p.Message
}

// Error is a workbook refused: every problem found, each at its place.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// languageNames are the header spellings of each language, lower case.
var languageNames = map[string]string{
	"en": "en", "english": "en", "английский": "en", "ағылшын": "en", "ағылшынша": "en",
	"ru": "ru", "russian": "ru", "русский": "ru", "орыс": "ru", "орысша": "ru",
	"kk": "kk", "kazakh": "kk", "kazak": "kk", "qazaq": "kk", "казахский": "kk", "қазақ": "kk", "қазақша": "kk",
}

// headerLabel is how export writes each language in a header.
var headerLabel = map[string]string{"en": "English (en)", "ru": "Russian (ru)", "kk": "Kazakh (kk)"}

// column is one parsed header.
type column struct {
	index  int    // 0-based
	header string // as written, trimmed
	base   string // lower case, before "::": "label", "hint", "type"…
	lang   string // "en", "ru", "kk", or "" for none
}

// sheet is one worksheet read as rows of trimmed cells under parsed headers.
type sheet struct {
	name    string
	rows    [][]string // rows[0] is the header row
	columns []column
	byBase  map[string][]column
	probs   *[]Problem
}

// problem records what is wrong at a row (and column) of the sheet: code is
// the stable ProblemCodes entry, args (also the message's, in order) the
// values it names.
func (s *sheet) problem(row int, col *column, code, format string, args ...any) {
	p := newProblem(s.name, code, format, args)
	p.Row = row
	if col != nil {
		p.Column = col.header
		if row > 0 {
			p.Cell, _ = excelize.CoordinatesToCellName(col.index+1, row)
		}
	}
	*s.probs = append(*s.probs, p)
}

// problemArgs is problem with its English message written and its args
// given as they are (a rule's values), not taken from the message.
func (s *sheet) problemArgs(row int, col *column, code, message string, args []string) {
	p := Problem{Sheet: s.name, Row: row, Code: code, Args: args, Message: message}
	if col != nil {
		p.Column = col.header
		if row > 0 {
			p.Cell, _ = excelize.CoordinatesToCellName(col.index+1, row)
		}
	}
	*s.probs = append(*s.probs, p)
}

// readSheet reads the named sheet and parses its header row. Headers naming a
// language that is not one of schema.Languages are problems.
func readSheet(f *excelize.File, name string, probs *[]Problem) (*sheet, error) {
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("read sheet %s: %w", name, err)
	}
	s := &sheet{name: strings.ToLower(strings.TrimSpace(name)), rows: rows, byBase: map[string][]column{}, probs: probs}
	if len(rows) == 0 {
		return s, nil
	}
	for i, h := range rows[0] {
		h = strings.TrimSpace(cleanText(h))
		if h == "" {
			continue
		}
		c := column{index: i, header: h}
		base, spec, found := strings.Cut(h, "::")
		if !found {
			// The old single-colon form, "label:english".
			if b, sp, ok := strings.Cut(h, ":"); ok && !strings.Contains(b, " ") {
				base, spec, found = b, sp, true
			}
		}
		c.base = strings.ToLower(strings.TrimSpace(base))
		if found {
			lang, ok := parseLanguage(spec)
			if !ok {
				s.problem(1, &c, "language_unknown", "language %q is not one of %s: name it like %q", strings.TrimSpace(spec),
					strings.Join(schema.Languages, ", "), c.base+"::"+headerLabel["ru"])
				continue
			}
			c.lang = lang
		}
		s.columns = append(s.columns, c)
		s.byBase[c.base] = append(s.byBase[c.base], c)
	}
	return s, nil
}

// parseLanguage reads "Russian (ru)", "Russian", "russian(ru)" or "ru".
func parseLanguage(spec string) (string, bool) {
	spec = strings.ToLower(strings.TrimSpace(spec))
	if open := strings.LastIndex(spec, "("); open >= 0 && strings.HasSuffix(spec, ")") {
		code := strings.TrimSpace(spec[open+1 : len(spec)-1])
		lang, ok := languageNames[code]
		return lang, ok && lang == code
	}
	lang, ok := languageNames[spec]
	return lang, ok
}

// cell returns the trimmed value of row (0-based index into rows) in col.
func (s *sheet) cell(row int, col column) string {
	r := s.rows[row]
	if col.index >= len(r) {
		return ""
	}
	return strings.TrimSpace(cleanText(r[col.index]))
}

// text returns the raw (untrimmed at the inside) value of a text cell.
func (s *sheet) value(row int, base string) (string, *column) {
	for _, c := range s.byBase[base] {
		if c.lang == "" {
			c := c
			return s.cell(row, c), &c
		}
	}
	return "", nil
}

// texts returns the per-language values of base in row; defaultLang names the
// language of a column with none. A column with no language and no default
// is reported.
func (s *sheet) texts(row int, base, defaultLang string) (schema.Text, map[string]*column) {
	out := schema.Text{}
	cols := map[string]*column{}
	for _, c := range s.byBase[base] {
		c := c
		lang := c.lang
		if lang == "" {
			lang = defaultLang
		}
		if lang == "" {
			if s.cell(row, c) != "" {
				s.problem(row+1, &c, "column_no_language", "column %s has no language: name it like %q, or set default_language in settings", c.header, base+"::"+headerLabel["ru"])
			}
			continue
		}
		cols[lang] = &c
		if v := s.cell(row, c); v != "" {
			if _, dup := out[lang]; dup && out[lang] != v {
				s.problem(row+1, &c, "language_twice", "two columns give the %s %s", base, lang)
			}
			out[lang] = v
		}
	}
	return out, cols
}

// cleanText undoes the _x000D_ escape of carriage returns and keeps line
// breaks as "\n".
func cleanText(v string) string {
	v = strings.ReplaceAll(v, "_x000D_", "")
	return strings.ReplaceAll(v, "\r\n", "\n")
}

// checkUnknownColumns reports every filled cell of a column the importer does
// not map: nothing is dropped in silence.
func (s *sheet) checkUnknownColumns(known map[string]bool, why map[string]string) {
	for _, c := range s.columns {
		if known[c.base] {
			continue
		}
		c := c
		for r := 1; r < len(s.rows); r++ {
			if s.cell(r, c) == "" {
				continue
			}
			msg := why[c.base]
			if msg == "" {
				msg = "Inspecta does not read this column; empty it or remove it"
			}
			s.problem(r+1, &c, "column_unsupported", "column %s: %s", c.header, msg)
			break // once per column is enough to find it
		}
	}
	// A filled cell under no header.
	for r := 1; r < len(s.rows); r++ {
		for i, v := range s.rows[r] {
			if strings.TrimSpace(v) == "" || s.hasColumn(i) {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(i+1, r+1)
			*s.probs = append(*s.probs, Problem{Sheet: s.name, Row: r + 1, Cell: cell, Message: "a value in a column with no header"})
			return
		}
	}
}

func (s *sheet) hasColumn(i int) bool {
	for _, c := range s.columns {
		if c.index == i {
			return true
		}
	}
	// A header naming an unknown language was reported already.
	if len(s.rows) > 0 && i < len(s.rows[0]) && strings.TrimSpace(s.rows[0][i]) != "" {
		return true
	}
	return false
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
