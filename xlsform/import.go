package xlsform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"inspecta/schema"
)

// Column names of the survey sheet that Import reads. Those of XLSForm:
const (
	colType       = "type"
	colName       = "name"
	colLabel      = "label"
	colHint       = "hint"
	colRequired   = "required"
	colRelevant   = "relevant"
	colConstraint = "constraint"
)

// Inspecta's own columns, for what XLSForm has no word for.
const (
	colCode      = "code"       // the standards' code of a question, e.g. "B02"
	colScope     = "scope"      // visit or location: asked once per visit or per place
	colUnit      = "unit"       // machine unit of a number, e.g. m2
	colUnitLabel = "unit_label" // the unit as printed, per language
	colTolerance = "tolerance"  // how far two members' numbers may differ
	colPersonal  = "personal"   // a text that could identify a person
	colSensitive = "sensitive"  // a count of persons sharing a sensitive attribute
	colIndicator = "indicator"  // the built-in indicator inputs this question gives
	colAdverse   = "adverse"    // the answers that are a problem in themselves (key findings)
	colSource    = "source"     // the standard or law the question comes from, per language
)

var surveyColumns = map[string]bool{
	colType: true, colName: true, colLabel: true, colHint: true, colRequired: true, colRelevant: true,
	colConstraint: true, colCode: true, colScope: true, colUnit: true, colUnitLabel: true,
	colTolerance: true, colPersonal: true, colSensitive: true, colIndicator: true, colSource: true,
	colAdverse: true,
}

// Why a known XLSForm column is refused when it is filled.
var unsupportedColumns = map[string]string{
	"constraint_message": "Inspecta writes its own message for a range; empty this column",
	"required_message":   "Inspecta writes its own message; empty this column",
	"appearance":         "appearances are not supported; empty this column",
	"calculation":        "calculations are not supported",
	"choice_filter":      "choice filters (cascading selects) are not supported",
	"default":            "default answers are not supported: a monitor records what they find",
	"read_only":          "read-only questions are not supported",
	"repeat_count":       "repeats are not supported",
	"media":              "media (images, audio, video) are not supported",
	"image":              "images are not supported",
	"audio":              "audio is not supported",
	"video":              "video is not supported",
	"parameters":         "parameters are not supported",
	"trigger":            "triggers are not supported",
	"guidance_hint":      "guidance hints are not supported; put it in hint",
}

// Import reads an XLSForm workbook into a checklist template. name (the
// file's name) prefixes nothing: every problem names its sheet, row and
// column. A workbook that cannot be mapped whole is refused with an *Error
// listing every problem found; nothing is half-read.
func Import(data []byte) (*schema.Template, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, &Error{Problems: []Problem{newProblem("(workbook)", "not_xlsx", "not an .xlsx workbook that can be read: %v", []any{err})}}
	}
	defer f.Close()
	im := &importer{f: f, missingColumns: map[string]bool{}}
	t := im.run()
	if len(im.probs) > 0 {
		if len(im.probs) > maxProblems {
			n := len(im.probs) - maxProblems
			im.probs = append(im.probs[:maxProblems], Problem{Sheet: "(workbook)", Message: fmt.Sprintf("and %d more problems", n)})
		}
		return nil, &Error{Problems: im.probs}
	}
	return t, nil
}

// maxProblems is how many problems a refusal lists.
const maxProblems = 60

type importer struct {
	f     *excelize.File
	probs []Problem

	survey, choices, settings *sheet
	defaultLang               string

	// Where each part of the template came from, to place validation errors.
	itemRows    map[string]int // item id → survey row
	sectionRows map[string]int
	optionRows  map[[2]string]int // (item id, option id) → choices row
	bindingRows map[string]int    // indicator id → survey row of its first input

	missingColumns map[string]bool // language columns reported missing once
}

// problem records what is wrong with a whole sheet: code is the stable
// ProblemCodes entry, args (also the message's, in order) the values it names.
func (im *importer) problem(sheetName, code, format string, args ...any) {
	im.probs = append(im.probs, newProblem(sheetName, code, format, args))
}

// problems adds a rule's problem (code among schema.RuleCodes) with its
// English message written and its args given.
func (im *importer) problems(sheetName, code, message string, args []string) {
	im.probs = append(im.probs, Problem{Sheet: sheetName, Code: code, Args: args, Message: message})
}

func (im *importer) run() *schema.Template {
	sheets := map[string]string{}
	for _, name := range im.f.GetSheetList() {
		sheets[strings.ToLower(strings.TrimSpace(name))] = name
	}
	read := func(key string) *sheet {
		name, ok := sheets[key]
		if !ok {
			return nil
		}
		s, err := readSheet(im.f, name, &im.probs)
		if err != nil {
			im.problem(key, "sheet_unreadable", "%v", err)
			return nil
		}
		return s
	}
	for _, other := range []string{"external_choices", "entities"} {
		if s := read(other); s != nil && len(s.rows) > 1 {
			im.problem(other, "sheet_not_supported", "the %s sheet is not supported; empty it or remove it", other)
		}
	}
	if im.survey = read("survey"); im.survey == nil {
		im.problem("survey", "no_survey", "the workbook has no survey sheet")
		return nil
	}
	im.choices = read("choices")
	if im.settings = read("settings"); im.settings == nil {
		im.problem("settings", "no_settings", "the workbook has no settings sheet: it needs form_id and version")
		return nil
	}
	t := &schema.Template{}
	im.readSettings(t)
	lists := im.readChoices()
	im.readSurvey(t, lists)
	if len(im.probs) > 0 {
		return nil
	}
	schema.DropKnownFindings(t)
	// The template's own checks, placed where their cause was read.
	body, err := json.Marshal(t)
	if err != nil {
		im.problem("survey", "encode_failed", "encode the checklist: %v", err)
		return nil
	}
	parsed, err := schema.ParseTemplate("", body)
	if err != nil {
		im.placeTemplateErrors(err)
		return nil
	}
	if rules := schema.CheckInputUnits(parsed); len(rules) > 0 {
		for _, r := range rules {
			im.placeRule(r)
		}
		return nil
	}
	return parsed
}

func (im *importer) readSettings(t *schema.Template) {
	s := im.settings
	s.checkUnknownColumns(map[string]bool{"form_id": true, "version": true, "form_title": true, "title": true, "default_language": true,
		"facility_types": true, "location_kinds": true},
		map[string]string{"instance_name": "instance names are not used by Inspecta", "public_key": "encrypted forms are not supported",
			"submission_url": "Inspecta receives visits by its own sync", "style": "form styles are not supported"})
	if len(s.rows) < 2 {
		s.problem(2, nil, "settings_no_values", "the settings sheet needs a row of values under its headers (form_id, version, form_title)")
		return
	}
	if v, col := s.value(1, "default_language"); v != "" {
		lang, ok := parseLanguage(v)
		if !ok {
			s.problem(2, col, "default_language_unknown", "default_language %q is not one of %s", v, strings.Join(schema.Languages, ", "))
		}
		im.defaultLang = lang
	}
	id, col := s.value(1, "form_id")
	if col == nil || id == "" {
		s.problem(2, col, "form_id_missing", "form_id missing: the checklist's id, lower-case letters, digits and hyphens")
	}
	t.ID = id
	v, col := s.value(1, "version")
	if col == nil || v == "" {
		s.problem(2, col, "version_missing", "version missing: a whole number, 1 or more")
	} else if n, err := strconv.Atoi(strings.TrimSuffix(v, ".0")); err != nil || n < 1 {
		s.problem(2, col, "version_not_whole", "version %q must be a whole number, 1 or more", v)
	} else {
		t.Version = n
	}
	title, _ := s.texts(1, "form_title", im.defaultLang)
	if len(title) == 0 {
		title, _ = s.texts(1, "title", im.defaultLang)
	}
	for _, lang := range schema.Languages {
		if title[lang] == "" {
			cols := s.byBase["form_title"]
			var c *column
			for i := range cols {
				if cols[i].lang == lang {
					c = &cols[i]
				}
			}
			s.problem(2, c, "form_title_missing", "form_title missing in %s (column form_title::%s)", lang, headerLabel[lang])
		}
	}
	t.Title = title
	// Inspecta's own: the facility types a visit to which starts with this
	// checklist, and the kinds of place it offers (schema.FacilityTypes,
	// schema.LocationKinds), separated by spaces; the template's validation
	// names an unknown one.
	readList := func(name string, allowed []string) []string {
		v, col := s.value(1, name)
		list := strings.Fields(strings.ReplaceAll(v, ",", " "))
		for _, x := range list {
			if !containsString(allowed, x) {
				s.problem(2, col, "value_not_allowed", "%s: %q is not one of %s", name, x, strings.Join(allowed, ", "))
			}
		}
		return list
	}
	t.FacilityTypes = readList("facility_types", schema.FacilityTypes)
	t.LocationKinds = readList("location_kinds", schema.LocationKinds)
}

// choiceList is one list of the choices sheet.
type choiceList struct {
	options []schema.Option
	rows    []int // choices row of each option
}

func (im *importer) readChoices() map[string]*choiceList {
	lists := map[string]*choiceList{}
	s := im.choices
	if s == nil {
		return lists
	}
	s.checkUnknownColumns(map[string]bool{"list_name": true, "list name": true, "name": true, "label": true},
		map[string]string{"filter": "choice filters are not supported", "media": "media are not supported", "image": "images are not supported"})
	listCol := s.byBase["list_name"]
	if len(listCol) == 0 {
		listCol = s.byBase["list name"]
	}
	nameCol := s.byBase["name"]
	if len(listCol) == 0 || len(nameCol) == 0 {
		if len(s.rows) > 1 {
			s.problem(1, nil, "choices_columns_missing", "the choices sheet needs the columns list_name and name")
		}
		return lists
	}
	for r := 1; r < len(s.rows); r++ {
		list, name := s.cell(r, listCol[0]), s.cell(r, nameCol[0])
		if list == "" && name == "" {
			continue
		}
		if list == "" {
			s.problem(r+1, &listCol[0], "choice_no_list", "choice %q has no list_name", name)
			continue
		}
		if name == "" {
			s.problem(r+1, &nameCol[0], "choice_no_name", "a choice of list %q has no name", list)
			continue
		}
		l := lists[list]
		if l == nil {
			l = &choiceList{}
			lists[list] = l
		}
		for _, o := range l.options {
			if o.ID == name {
				s.problem(r+1, &nameCol[0], "choice_twice", "choice %q appears twice in list %q", name, list)
			}
		}
		label, _ := s.texts(r, colLabel, im.defaultLang)
		l.options = append(l.options, schema.Option{ID: name, Label: label})
		l.rows = append(l.rows, r+1)
	}
	return lists
}

// isYesNo reports whether a list is exactly the answers yes and no: such a
// question is Inspecta's yes/no type.
func (l *choiceList) isYesNo() bool {
	return len(l.options) == 2 && l.options[0].ID == "yes" && l.options[1].ID == "no"
}

var (
	rangeConstraint  = regexp.MustCompile(`^\.\s*>=\s*(-?[0-9.]+)\s+and\s+\.\s*<=\s*(-?[0-9.]+)$`)
	rangeConstraint2 = regexp.MustCompile(`^\.\s*<=\s*(-?[0-9.]+)\s+and\s+\.\s*>=\s*(-?[0-9.]+)$`)
	lengthConstraint = regexp.MustCompile(`^string-length\(\s*\.\s*\)\s*<=\s*([0-9]+)$`)
)

// defaultUnitLabels are how a unit is printed when the workbook has no
// unit_label columns for it: those of the embedded checklists.
var defaultUnitLabels = map[string]schema.Text{
	"persons":          {"en": "persons", "ru": "чел.", "kk": "адам"},
	"m2":               {"en": "m²", "ru": "м²", "kk": "м²"},
	"m":                {"en": "m", "ru": "м", "kk": "м"},
	"h":                {"en": "h", "ru": "ч", "kk": "сағ"},
	"min":              {"en": "min", "ru": "мин", "kk": "мин"},
	"c":                {"en": "°C", "ru": "°C", "kk": "°C"},
	"l_per_person_day": {"en": "L/person/day", "ru": "л/чел. в сутки", "kk": "л/адам тәулігіне"},
	"per_week":         {"en": "per week", "ru": "в неделю", "kk": "аптасына"},
	"percent":          {"en": "%", "ru": "%", "kk": "%"},
}

// defaultMaxLength is the longest text answer when a text question has no
// string-length constraint.
const defaultMaxLength = 2000

func (im *importer) readSurvey(t *schema.Template, lists map[string]*choiceList) {
	s := im.survey
	s.checkUnknownColumns(surveyColumns, unsupportedColumns)
	typeCols, nameCols := s.byBase[colType], s.byBase[colName]
	if len(typeCols) == 0 || len(nameCols) == 0 {
		s.problem(1, nil, "survey_columns_missing", "the survey sheet needs the columns type and name")
		return
	}
	typeCol, nameCol := typeCols[0], nameCols[0]
	im.itemRows, im.sectionRows = map[string]int{}, map[string]int{}
	im.optionRows, im.bindingRows = map[[2]string]int{}, map[string]int{}
	names := map[string]int{}
	var section *schema.Section
	sectionScope := ""
	bindings := map[string]map[string]string{} // indicator → role → item
	builtin, err := schema.BuiltinIndicators(t.FacilityTypes)
	if err != nil {
		im.problem("survey", "indicators_failed", "built-in indicators: %v", err)
		return
	}
	builtinByID := map[string]schema.Indicator{}
	for _, ind := range builtin {
		builtinByID[ind.ID] = ind
	}

	for r := 1; r < len(s.rows); r++ {
		row := r + 1
		typ := strings.Join(strings.Fields(strings.ToLower(s.cell(r, typeCol))), " ")
		name := s.cell(r, nameCol)
		if typ == "" {
			if name != "" || s.rowHasValue(r) {
				s.problem(row, &typeCol, "type_missing", "type missing")
			}
			continue
		}
		if typ == "end group" || typ == "end_group" {
			if section == nil {
				s.problem(row, &typeCol, "end_group_unopened", "end group without a begin group")
			}
			section, sectionScope = nil, ""
			continue
		}
		if name == "" {
			s.problem(row, &nameCol, "name_missing", "name missing")
			continue
		}
		if prev, dup := names[name]; dup {
			s.problem(row, &nameCol, "name_twice", "name %q is also used in row %d", name, prev)
			continue
		}
		names[name] = row
		label, _ := s.texts(r, colLabel, im.defaultLang)
		im.checkLanguages(r, colLabel, label, true)
		if typ == "begin group" || typ == "begin_group" {
			if section != nil {
				s.problem(row, &typeCol, "group_nested", "group %q is inside group %q: Inspecta's sections do not nest", name, section.ID)
				continue
			}
			for _, base := range []string{colRequired, colRelevant, colConstraint, colCode, colUnit, colTolerance, colPersonal, colSensitive, colIndicator, colAdverse, colHint, colSource} {
				if v, col := s.value(r, base); v != "" {
					s.problem(row, col, "group_column", "a group takes no %s (only type, name, label and scope)", base)
				}
			}
			sc, col := s.value(r, colScope)
			if sc != "" && sc != schema.ScopeVisit && sc != schema.ScopeLocation {
				s.problem(row, col, "scope_invalid", "scope must be %s or %s, not %q", schema.ScopeVisit, schema.ScopeLocation, sc)
			}
			t.Sections = append(t.Sections, schema.Section{ID: name, Title: label})
			section, sectionScope = &t.Sections[len(t.Sections)-1], sc
			im.sectionRows[name] = row
			continue
		}
		if section == nil {
			s.problem(row, &typeCol, "question_outside_group", "question %q is outside a group: put every question in a begin group … end group (each group is a section)", name)
			continue
		}
		it := schema.Item{ID: name, Section: section.ID, Label: label}
		im.itemRows[name] = row
		if !im.readType(r, typ, &it, lists) {
			continue
		}
		im.readItemColumns(r, &it, sectionScope, len(t.Items)+1)
		if v, col := s.value(r, colIndicator); v != "" {
			for _, tok := range strings.Fields(strings.ReplaceAll(v, ",", " ")) {
				id, role, ok := strings.Cut(tok, ".")
				ind, known := builtinByID[id]
				switch {
				case !ok:
					s.problem(row, col, "indicator_input_form", "%q: name an indicator input as indicator.role, e.g. space_per_person.num", tok)
				case !known:
					s.problem(row, col, "indicator_unknown", "%q: no built-in indicator %q (built-in: %s)", tok, id, indicatorIDs(builtin))
				case !containsString(ind.InputRoles(), role):
					s.problem(row, col, "indicator_role_unknown", "%q: indicator %s reads %s, not %q", tok, id, strings.Join(ind.InputRoles(), ", "), role)
				case bindings[id][role] != "":
					s.problem(row, col, "indicator_input_twice", "%q: question %q already gives this input", tok, bindings[id][role])
				default:
					if bindings[id] == nil {
						bindings[id] = map[string]string{}
						im.bindingRows[id] = row
					}
					bindings[id][role] = name
				}
			}
		}
		t.Items = append(t.Items, it)
	}
	if section != nil {
		s.problem(len(s.rows), &typeCol, "group_unclosed", "group %q is not closed: add an end group row", section.ID)
	}
	// Relevance is read once every question is known.
	for i := range t.Items {
		it := &t.Items[i]
		r := im.itemRows[it.ID] - 1
		if v, col := s.value(r, colRelevant); v != "" {
			c, err := parseRelevant(v, t)
			if err != nil {
				s.problem(r+1, col, "relevant_invalid", "relevant %q: %v", v, err)
				continue
			}
			it.Relevant = c
		}
	}
	for _, ind := range builtin { // in the built-in order
		in := bindings[ind.ID]
		if in == nil {
			continue
		}
		var missing []string
		for _, role := range ind.InputRoles() {
			if in[role] == "" {
				missing = append(missing, ind.ID+"."+role)
			}
		}
		if len(missing) > 0 {
			col := s.byBase[colIndicator][0]
			s.problem(im.bindingRows[ind.ID], &col, "indicator_input_missing", "indicator %s needs every input named: %s is not given by any question", ind.ID, strings.Join(missing, ", "))
			continue
		}
		t.Indicators = append(t.Indicators, ind.WithInputs(in))
	}
}

func (s *sheet) rowHasValue(r int) bool {
	for _, v := range s.rows[r] {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

func indicatorIDs(list []schema.Indicator) string {
	ids := make([]string, len(list))
	for i, ind := range list {
		ids[i] = ind.ID
	}
	return strings.Join(ids, ", ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkLanguages reports each language a text lacks (all of them for a text
// that is required; for an optional text, only when some are given).
func (im *importer) checkLanguages(r int, base string, text schema.Text, required bool) {
	if !required && len(text) == 0 {
		return
	}
	s := im.survey
	for _, lang := range schema.Languages {
		if text[lang] != "" {
			continue
		}
		var col *column
		for _, c := range s.byBase[base] {
			if c.lang == lang || (c.lang == "" && im.defaultLang == lang) {
				c := c
				col = &c
			}
		}
		if col == nil {
			key := base + "::" + lang
			if !im.missingColumns[key] {
				im.missingColumns[key] = true
				s.problem(r+1, nil, "language_column_missing", "%s missing in %s: the sheet has no column %s::%s", base, lang, base, headerLabel[lang])
			}
		} else {
			s.problem(r+1, col, "text_missing", "%s missing in %s", base, lang)
		}
	}
}

// readType sets the item's type (and options) from the type cell.
func (im *importer) readType(r int, typ string, it *schema.Item, lists map[string]*choiceList) bool {
	s := im.survey
	typeCol := s.byBase[colType][0]
	fields := strings.Fields(typ)
	row := r + 1
	switch fields[0] {
	case "integer", "int":
		it.Type = schema.TypeInteger
	case "decimal":
		it.Type = schema.TypeNumber
	case "text", "string":
		it.Type = schema.TypeText
	case "date":
		it.Type = schema.TypeDate
	case "time":
		it.Type = schema.TypeTime
	case "datetime":
		it.Type = schema.TypeDateTime
	case "note":
		it.Type = schema.TypeNote
	case "select_one", "select_multiple":
		if len(fields) != 2 {
			s.problem(row, &typeCol, "select_list_form", "type %q: write %s followed by one list name", typ, fields[0])
			return false
		}
		if im.choices == nil {
			im.problem("choices", "choices_sheet_missing", "the workbook has no choices sheet, and survey row %d (%s) needs list %q", row, it.ID, fields[1])
			return false
		}
		l := lists[fields[1]]
		if l == nil {
			s.problem(row, &typeCol, "choice_list_unknown", "choice list %q is not in the choices sheet", fields[1])
			return false
		}
		switch {
		case fields[0] == "select_one" && l.isYesNo():
			it.Type = schema.TypeYesNo
		case fields[0] == "select_one":
			it.Type = schema.TypeChoice
		default:
			it.Type = schema.TypeMulti
		}
		if it.Type != schema.TypeYesNo {
			it.Options = append([]schema.Option(nil), l.options...)
			for i, o := range l.options {
				im.optionRows[[2]string{it.ID, o.ID}] = l.rows[i]
			}
		}
	case "begin", "end":
		if len(fields) == 1 {
			s.problem(row, &typeCol, "type_metadata", "type %q is form metadata: Inspecta records who and when itself", typ)
			return false
		}
		s.problem(row, &typeCol, "type_unknown", "type %q is not supported (repeats and loops are not; groups are begin group … end group)", typ)
		return false
	default:
		what := "is not a question type Inspecta can record"
		switch fields[0] {
		case "start", "end", "today", "deviceid", "username", "phonenumber", "subscriberid", "simserial", "email", "audit", "start-geopoint":
			what = "is form metadata: Inspecta records who and when itself"
		case "geopoint", "geotrace", "geoshape", "image", "audio", "video", "file", "barcode", "background-audio":
			what = "is not supported (no locations on a map, no media)"
		case "calculate", "hidden":
			what = "is not supported (no calculations; indicators are built in)"
		case "acknowledge":
			what = "is not supported: use select_one with a yes/no list"
		case "range", "rank":
			what = "is not supported"
		}
		if strings.HasPrefix(fields[0], "select_one_from_file") || strings.HasPrefix(fields[0], "select_multiple_from_file") {
			what = "is not supported: put the options in the choices sheet"
		}
		s.problem(row, &typeCol, "type_not_supported", "type %q %s", typ, what)
		return false
	}
	return true
}

// readItemColumns reads the columns beside the type: hint, required,
// constraint and Inspecta's own.
func (im *importer) readItemColumns(r int, it *schema.Item, sectionScope string, position int) {
	s := im.survey
	row := r + 1
	hint, _ := s.texts(r, colHint, im.defaultLang)
	im.checkLanguages(r, colHint, hint, false)
	if len(hint) > 0 {
		it.Help = hint
	}
	source, _ := s.texts(r, colSource, im.defaultLang)
	im.checkLanguages(r, colSource, source, false)
	if len(source) > 0 {
		it.Source = source
	}
	it.Code, _ = s.value(r, colCode)
	if it.Code == "" {
		it.Code = fmt.Sprintf("Q%02d", position)
	}
	scope, col := s.value(r, colScope)
	switch {
	case scope == "" && sectionScope != "":
		scope = sectionScope
	case scope == "":
		scope = schema.ScopeVisit
	case scope != schema.ScopeVisit && scope != schema.ScopeLocation:
		s.problem(row, col, "scope_invalid", "scope must be %s (once per visit) or %s (once per place), not %q", schema.ScopeVisit, schema.ScopeLocation, scope)
	}
	it.Scope = scope
	if v, col := s.value(r, colRequired); v != "" {
		b, ok := parseBool(v)
		if !ok {
			s.problem(row, col, "required_not_yesno", "required must be yes or no, not %q", v)
		}
		it.Required = b
	}
	// A free text may name a detainee: a text question is personal unless
	// the form says personal "no" in so many words.
	it.Personal = it.Type == schema.TypeText
	for _, base := range []string{colPersonal, colSensitive} {
		if v, col := s.value(r, base); v != "" {
			b, ok := parseBool(v)
			if !ok {
				s.problem(row, col, "yesno_invalid", "%s must be yes or no, not %q", base, v)
			}
			if base == colPersonal {
				it.Personal = b
			} else {
				it.Sensitive = b
			}
		}
	}
	if v, _ := s.value(r, colAdverse); v != "" {
		it.Adverse = strings.Fields(strings.ReplaceAll(v, ",", " ")) // checked with the template's rules
	}
	it.Unit, _ = s.value(r, colUnit)
	if ul, _ := s.texts(r, colUnitLabel, im.defaultLang); len(ul) > 0 {
		it.UnitLabel = ul
		im.checkLanguages(r, colUnitLabel, ul, false)
	} else if it.Unit != "" {
		it.UnitLabel = defaultUnitLabels[it.Unit] // nil for an unknown unit, which validation names
	}
	constraint, ccol := s.value(r, colConstraint)
	constraint = normaliseQuotes(constraint)
	tol, tcol := s.value(r, colTolerance)
	switch {
	case it.Numeric():
		switch {
		case constraint == "":
			s.problem(row, ccol, "range_missing", "%s question needs its range as a constraint, such as \". >= 0 and . <= 500\"", typeWord(it))
		default:
			lo, hi, ok := parseRange(constraint)
			if !ok {
				s.problem(row, ccol, "constraint_not_range", "constraint %q: only a range \". >= MIN and . <= MAX\" is supported", constraint)
			}
			it.Min, it.Max = &lo, &hi
		}
		t := 0.0
		if tol != "" {
			var err error
			if t, err = strconv.ParseFloat(tol, 64); err != nil {
				s.problem(row, tcol, "tolerance_not_number", "tolerance %q must be a number", tol)
			}
		}
		it.Tolerance = &t
	case it.Type == schema.TypeText:
		it.MaxLength = defaultMaxLength
		if constraint != "" {
			m := lengthConstraint.FindStringSubmatch(constraint)
			if m == nil {
				s.problem(row, ccol, "constraint_text", "constraint %q: a text question takes only \"string-length(.) <= N\"", constraint)
			} else {
				it.MaxLength, _ = strconv.Atoi(m[1])
			}
		}
	default:
		if constraint != "" {
			s.problem(row, ccol, "constraint_not_taken", "%s question takes no constraint", typeWord(it))
		}
	}
	if tol != "" && !it.Numeric() {
		s.problem(row, tcol, "tolerance_not_numeric", "tolerance applies only to integer and decimal questions")
	}
}

// typeWord names an item's type as XLSForm does, with its article.
func typeWord(it *schema.Item) string {
	switch it.Type {
	case schema.TypeNumber:
		return "a decimal"
	case schema.TypeInteger:
		return "an integer"
	case schema.TypeChoice:
		return "a select_one"
	case schema.TypeMulti:
		return "a select_multiple"
	case schema.TypeYesNo:
		return "a yes/no"
	case schema.TypeNote:
		return "a note"
	}
	return "a " + it.Type
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "true()", "1", "y":
		return true, true
	case "no", "false", "false()", "0", "n", "":
		return false, true
	}
	return false, false
}

func parseRange(c string) (lo, hi float64, ok bool) {
	m := rangeConstraint.FindStringSubmatch(c)
	a, b := 1, 2
	if m == nil {
		if m = rangeConstraint2.FindStringSubmatch(c); m == nil {
			return 0, 0, false
		}
		a, b = 2, 1
	}
	lo, err1 := strconv.ParseFloat(m[a], 64)
	hi, err2 := strconv.ParseFloat(m[b], 64)
	return lo, hi, err1 == nil && err2 == nil
}

// normaliseQuotes turns typographic quotes into straight ones.
func normaliseQuotes(s string) string {
	return strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`).Replace(s)
}

var (
	equalsTerm   = regexp.MustCompile(`^\$\{([a-z][a-z0-9_]*)\}\s*(=|!=)\s*['"]([^'"]*)['"]$`)
	selectedTerm = regexp.MustCompile(`^(not\s*\(\s*)?selected\(\s*\$\{([a-z][a-z0-9_]*)\}\s*,\s*['"]([^'"]*)['"]\s*\)(\s*\))?$`)
)

// parseRelevant reads the conditions Inspecta can express: one question's
// answer is one of some options (= or selected(), joined by or), or none of
// them (!= or not(selected()), joined by and).
func parseRelevant(expr string, t *schema.Template) (*schema.Condition, error) {
	expr = strings.TrimSpace(normaliseQuotes(expr))
	var terms []string
	var joiner string
	switch {
	case strings.Contains(expr, " or ") && strings.Contains(expr, " and "):
		return nil, fmt.Errorf("mixes and with or; Inspecta reads one question's answer being one of some options (or), or none of them (and)")
	case strings.Contains(expr, " or "):
		terms, joiner = strings.Split(expr, " or "), "or"
	default:
		terms, joiner = strings.Split(expr, " and "), "and"
	}
	c := &schema.Condition{}
	for _, term := range terms {
		term = strings.TrimSpace(term)
		var item, op, value string
		if m := equalsTerm.FindStringSubmatch(term); m != nil {
			item, op, value = m[1], m[2], m[3]
		} else if m := selectedTerm.FindStringSubmatch(term); m != nil {
			if (m[1] == "") != (m[4] == "") {
				return nil, fmt.Errorf("unbalanced parentheses in %q", term)
			}
			item, value, op = m[2], m[3], "="
			if m[1] != "" {
				op = "!="
			}
		} else {
			return nil, fmt.Errorf("%q is not a condition Inspecta can read: write ${question} = 'option', ${question} != 'option', selected(${question}, 'option') or not(selected(…)), joined by or (for =) or and (for !=)", term)
		}
		if c.Item == "" {
			c.Item = item
		} else if c.Item != item {
			return nil, fmt.Errorf("tests two questions (%s and %s); a condition reads one", c.Item, item)
		}
		switch {
		case op == "=" && (joiner == "or" || len(terms) == 1):
			c.In = append(c.In, value)
		case op == "!=" && (joiner == "and" || len(terms) == 1):
			c.NotIn = append(c.NotIn, value)
		default:
			return nil, fmt.Errorf("join = terms with or and != terms with and")
		}
	}
	if len(c.In) > 0 && len(c.NotIn) > 0 {
		return nil, fmt.Errorf("mixes = and !=")
	}
	if _, ok := t.Item(c.Item); !ok && !hasItem(t, c.Item) {
		return nil, fmt.Errorf("no question named %q", c.Item)
	}
	return c, nil
}

func hasItem(t *schema.Template, id string) bool {
	for i := range t.Items {
		if t.Items[i].ID == id {
			return true
		}
	}
	return false
}

// placeTemplateErrors turns the template's own validation errors
// (schema.RuleError, joined by ParseTemplate) into problems at the rows
// their elements were read from, each with its rule's code and values.
func (im *importer) placeTemplateErrors(err error) {
	list := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	}
	for _, e := range list {
		var r *schema.RuleError
		if !errors.As(e, &r) {
			im.problem("survey", "template_survey", "%s", strings.TrimPrefix(strings.TrimPrefix(e.Error(), ":"), " "))
			continue
		}
		im.placeRule(r)
	}
}

// settingsRules are the template's rules about what the settings sheet holds.
var settingsRules = map[string]bool{"template_id_invalid": true, "version_below_one": true, "list_value_unknown": true, "list_value_twice": true}

// placeRule adds one broken rule as a problem at its element's row: its
// code (schema.RuleCodes, which the desk has words for) with the rule's
// values as args; a rule with no code of its own (one only a JSON
// checklist's indicator can break) under its element's generic code,
// naming the element and the English detail.
func (im *importer) placeRule(r *schema.RuleError) {
	coded := r.Code != ""
	msg := r.Detail
	s := im.survey
	switch r.Element {
	case "":
		sheet := "survey"
		if settingsRules[r.Code] || r.Code == "text_missing" || r.Code == "text_language_unknown" {
			sheet = "settings"
		}
		switch {
		case coded:
			im.problems(sheet, r.Code, msg, r.Args)
		case sheet == "settings":
			im.problem("settings", "template_settings", "%s", msg)
		default:
			im.problem("survey", "template_survey", "%s", msg)
		}
	case "section":
		row, col := im.sectionRows[r.ID], im.columnForRule(s, r)
		if !coded {
			s.problem(row, col, "template_group", "group %q: %s", r.ID, msg)
			return
		}
		s.problemArgs(row, col, r.Code, fmt.Sprintf("group %q: %s", r.ID, msg), r.Args)
	case "indicator":
		cols := s.byBase[colIndicator]
		var col *column
		if len(cols) > 0 {
			col = &cols[0]
		}
		row := im.bindingRows[r.ID]
		if q := quotedItem.FindStringSubmatch(msg); q != nil && im.itemRows[q[1]] > 0 {
			row = im.itemRows[q[1]] // the question that gives the wrong input, at its binding
		}
		if !coded {
			s.problem(row, col, "template_indicator", "indicator %q: %s", r.ID, msg)
			return
		}
		s.problemArgs(row, col, r.Code, fmt.Sprintf("indicator %q: %s", r.ID, msg), r.Args)
	case "item":
		if r.Option != "" && im.choices != nil {
			row, col := im.optionRows[[2]string{r.ID, r.Option}], im.columnFor(im.choices, msg)
			if !coded {
				im.choices.problem(row, col, "template_choice", "choice %q of question %q: %s", r.Option, r.ID, msg)
				return
			}
			im.choices.problemArgs(row, col, r.Code, fmt.Sprintf("choice %q of question %q: %s", r.Option, r.ID, msg), r.Args)
			return
		}
		row, col := im.itemRows[r.ID], im.columnForRule(s, r)
		if !coded {
			s.problem(row, col, "template_question", "question %q: %s", r.ID, msg)
			return
		}
		s.problemArgs(row, col, r.Code, fmt.Sprintf("question %q: %s", r.ID, msg), r.Args)
	}
}

// ruleColumns are the columns rules are about, by their code's prefix.
var ruleColumns = []struct{ prefix, col string }{
	{"range_", colConstraint}, {"max_length_", colConstraint}, {"tolerance_", colTolerance},
	{"unit_", colUnit}, {"relevant_", colRelevant}, {"adverse_", colAdverse}, {"code_", colCode},
	{"scope_", colScope}, {"personal_", colPersonal}, {"sensitive_", colSensitive}, {"id_", colName},
	{"item_type_", colType}, {"options_", colType}, {"note_required", colRequired}, {"section_", colType},
}

// columnForRule is the column a rule is about: by its code, else guessed
// from its detail (a text missing in a language names its column).
func (im *importer) columnForRule(s *sheet, r *schema.RuleError) *column {
	for _, rc := range ruleColumns {
		if strings.HasPrefix(r.Code, rc.prefix) {
			for _, c := range s.byBase[rc.col] {
				c := c
				return &c
			}
			return nil
		}
	}
	return im.columnFor(s, r.Detail)
}

var quotedItem = regexp.MustCompile(`item "([^"]*)"`)

var missingIn = regexp.MustCompile(`^(label|help|unit_label) missing in ([a-z]+)`)

// columnFor guesses the column a validation message is about.
func (im *importer) columnFor(s *sheet, msg string) *column {
	base, lang := "", ""
	if m := missingIn.FindStringSubmatch(msg); m != nil {
		base, lang = m[1], m[2]
		if base == "help" {
			base = colHint
		}
	} else {
		for _, w := range []struct{ word, col string }{
			{"relevant", colRelevant}, {"min", colConstraint}, {"max", colConstraint}, {"tolerance", colTolerance},
			{"code", colCode}, {"scope", colScope}, {"unit", colUnit}, {"personal", colPersonal},
			{"sensitive", colSensitive}, {"adverse", colAdverse}, {"id must", colName}, {"duplicate", colName}, {"type", colType}, {"option", colType},
		} {
			if strings.Contains(msg, w.word) {
				base = w.col
				break
			}
		}
	}
	for _, c := range s.byBase[base] {
		if c.lang == lang || lang == "" {
			c := c
			return &c
		}
	}
	return nil
}
