package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Languages are the languages every user-facing text of a template must carry,
// in the order the interface offers them. English is the fallback.
var Languages = []string{"en", "ru", "kk"}

// Text is a user-facing text keyed by language code ("en", "ru", "kk").
type Text map[string]string

// In returns the text in lang, or the English text when lang is missing or empty.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t["en"]
}

// Item scopes: a visit item is answered once per visit, a location item once per
// cell, ward, dormitory or yard.
const (
	ScopeVisit    = "visit"
	ScopeLocation = "location"
)

// Item types. The Go type ParseValue returns for each is noted.
const (
	TypeNumber   = "number"      // float64
	TypeInteger  = "integer"     // int64
	TypeYesNo    = "yesno"       // bool
	TypeChoice   = "choice"      // string: an option id
	TypeText     = "text"        // string
	TypeDateTime = "datetime"    // string: RFC 3339 in UTC
	TypeMulti    = "multichoice" // []string: option ids, in the options' order
	TypeDate     = "date"        // string: YYYY-MM-DD
	TypeTime     = "time"        // string: HH:MM (24-hour)
	TypeNote     = "note"        // no answer: a text shown to the monitor
)

// knownUnits are the machine units an item may declare; clients format them.
var knownUnits = map[string]bool{
	"persons": true, "m2": true, "m": true, "h": true, "min": true, "c": true,
	"l_per_person_day": true, "percent": true, "per_week": true, "days": true,
}

// Template is one version of a checklist: its sections, items and indicators.
// A Template returned by ParseTemplate or DefaultTemplates is valid and must be
// treated as read-only: it is shared between callers.
type Template struct {
	ID         string      `json:"id"`
	Version    int         `json:"version"`
	Title      Text        `json:"title"`
	Sections   []Section   `json:"sections"`
	Items      []Item      `json:"items"`
	Indicators []Indicator `json:"indicators"`

	// FacilityTypes are the facility types (FacilityTypes) a visit to which
	// starts with this template; empty means the general template, used for a
	// type no template names. ForFacilityType picks by it.
	FacilityTypes []string `json:"facility_types,omitempty"`
	// LocationKinds are the kinds of place (LocationKinds) offered, in order,
	// when a place is added to a visit under this template. The kind is the one
	// question for the kind of place: indicators read it through
	// Condition.KindIn, so no item asks it again. Empty means every kind.
	LocationKinds []string `json:"location_kinds,omitempty"`

	items map[string]*Item // by id, built by ParseTemplate
}

// Section groups items on screen and in reports; Template.Sections is in display order.
type Section struct {
	ID    string `json:"id"`
	Title Text   `json:"title"`
}

// Item is one question of the checklist.
type Item struct {
	ID      string `json:"id"`      // stable snake_case key stored with every observation
	Code    string `json:"code"`    // the standards draft's code, e.g. "B02"
	Section string `json:"section"` // a Section.ID
	Scope   string `json:"scope"`   // ScopeVisit or ScopeLocation
	Type    string `json:"type"`    // one of the Type* constants

	Unit      string `json:"unit,omitempty"`       // machine unit, e.g. "m2"
	UnitLabel Text   `json:"unit_label,omitempty"` // required when Unit is set

	// Number and integer items only: the accepted range (inclusive) and how far
	// apart two members' values may be before the coordinator sees a disagreement.
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Tolerance *float64 `json:"tolerance,omitempty"`

	// Text items only: the longest accepted answer in characters, and whether the
	// text could identify a person (kept out of exports; a report prints it
	// only once a coordinator cleared it). A free text may name a detainee
	// (OPCAT Art. 21(2)): a text item is personal unless its checklist says
	// "personal": false in so many words (decodeTemplate; Item.MarshalJSON
	// keeps that false when the template is stored again).
	MaxLength int  `json:"max_length,omitempty"`
	Personal  bool `json:"personal,omitempty"`

	// Integer items counting persons only: whether the persons counted share a
	// sensitive attribute (juveniles, women in a mixed facility, foreigners,
	// persons with disabilities, persons interviewed, complaints, injuries,
	// deaths, hunger strikes). Reports print such a count below three as
	// "fewer than 3" and withhold every figure it could be recomputed from.
	// The number of persons in a place is not sensitive.
	Sensitive bool `json:"sensitive,omitempty"`

	Options []Option `json:"options,omitempty"` // choice and multichoice items only

	// Required asks the app to mark the question as one to answer at every
	// visit or place; a missing answer is shown, never invented.
	Required bool `json:"required,omitempty"`
	// Relevant shows the question only when an earlier answer of the same
	// scope (a choice, multichoice or yes/no item; yes/no as "yes" and
	// "no") is one of In, or is not one of NotIn (also when unanswered).
	Relevant *Condition `json:"relevant,omitempty"`
	// Adverse are the answers that are a problem in themselves, listed among
	// a report's key findings: "yes" or "no" for a yes/no item, option ids
	// for a choice or multichoice item. A checklist whose items declare none
	// has its findings "not assessed" in reports (Template.AdverseAnswers
	// reads the built-in checklists' declarations for their stored versions).
	Adverse []string `json:"adverse,omitempty"`

	Label Text `json:"label"`
	Help  Text `json:"help,omitempty"` // how to answer or measure; all languages or none
	// Source is the standard or law the question comes from, cited as the
	// annex of standards cites it; "[verify]" marks a figure not yet confirmed
	// from a primary text.
	Source Text `json:"source,omitempty"`
}

// Option is one answer of a choice item.
type Option struct {
	ID    string `json:"id"`
	Label Text   `json:"label"`
}

// HasOptions reports whether the item's answer is chosen from its options.
func (it *Item) HasOptions() bool { return it.Type == TypeChoice || it.Type == TypeMulti }

// Numeric reports whether the item holds a number (number or integer type).
func (it *Item) Numeric() bool { return it.Type == TypeNumber || it.Type == TypeInteger }

// Option returns the option with the given id.
func (it *Item) Option(id string) (*Option, bool) {
	for i := range it.Options {
		if it.Options[i].ID == id {
			return &it.Options[i], true
		}
	}
	return nil, false
}

// Ref returns the template's reference as stored with a visit: "id@version".
func (t *Template) Ref() string { return t.ID + "@" + strconv.Itoa(t.Version) }

// Item returns the item with the given id.
func (t *Template) Item(id string) (*Item, bool) {
	it, ok := t.items[id]
	return it, ok
}

// Indicator returns the indicator with the given id.
func (t *Template) Indicator(id string) (*Indicator, bool) {
	for i := range t.Indicators {
		if t.Indicators[i].ID == id {
			return &t.Indicators[i], true
		}
	}
	return nil, false
}

//go:embed checklists/*.json
var checklistFS embed.FS

var loadDefaults = sync.OnceValues(func() ([]*Template, error) {
	names, err := fs.Glob(checklistFS, "checklists/*.json")
	if err != nil {
		return nil, fmt.Errorf("list checklists: %w", err)
	}
	sort.Strings(names)
	seen := map[string]string{}
	var out []*Template
	for _, name := range names {
		data, err := checklistFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		t, err := ParseTemplate(name, data)
		if err != nil {
			return nil, err
		}
		if other, dup := seen[t.Ref()]; dup {
			return nil, fmt.Errorf("%s: template %s is also defined in %s", name, t.Ref(), other)
		}
		seen[t.Ref()] = name
		out = append(out, t)
	}
	// The general template (for no particular facility type) first: it is the
	// default of a visit that names none.
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].FacilityTypes) == 0 && len(out[j].FacilityTypes) > 0 })
	return out, nil
})

// DefaultTemplates returns the templates embedded from schema/checklists/*.json:
// the general ones (naming no facility type) first, then the others, each
// group ordered by file name. It parses and validates them once; an error means a
// shipped template is broken and names the file. The templates are shared and
// must not be modified; the returned slice is the caller's own.
func DefaultTemplates() ([]*Template, error) {
	ts, err := loadDefaults()
	if err != nil {
		return nil, err
	}
	return append([]*Template(nil), ts...), nil
}

// ParseTemplate decodes and validates a template. name (usually the file's
// path) prefixes every error. Unknown JSON fields are refused. Validation
// reports every problem found, one per line, each naming the file and the
// section, item or indicator concerned, e.g.
//
//	checklists/default.json: item "cell_area_m2": label missing in kk
func ParseTemplate(name string, data []byte) (*Template, error) {
	t, err := decodeTemplate(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if errs := t.validate(); len(errs) > 0 {
		for i, e := range errs {
			errs[i] = fmt.Errorf("%s: %w", name, e)
		}
		return nil, errors.Join(errs...)
	}
	return t, nil
}

// decodeTemplate decodes each section, item and indicator on its own so that an
// unknown field is reported with the id of the element that holds it.
func decodeTemplate(data []byte) (*Template, error) {
	var raw struct {
		ID            string            `json:"id"`
		Version       int               `json:"version"`
		Title         Text              `json:"title"`
		Sections      []json.RawMessage `json:"sections"`
		Items         []json.RawMessage `json:"items"`
		Indicators    []json.RawMessage `json:"indicators"`
		FacilityTypes []string          `json:"facility_types"`
		LocationKinds []string          `json:"location_kinds"`
	}
	if err := decodeStrict(data, &raw); err != nil {
		return nil, err
	}
	t := &Template{ID: raw.ID, Version: raw.Version, Title: raw.Title,
		FacilityTypes: raw.FacilityTypes, LocationKinds: raw.LocationKinds}
	t.Sections = make([]Section, len(raw.Sections))
	for i, r := range raw.Sections {
		if err := decodeStrict(r, &t.Sections[i]); err != nil {
			return nil, fmt.Errorf("%s: %w", elementName("section", i, r), err)
		}
	}
	t.Items = make([]Item, len(raw.Items))
	for i, r := range raw.Items {
		if err := decodeStrict(r, &t.Items[i]); err != nil {
			return nil, fmt.Errorf("%s: %w", elementName("item", i, r), err)
		}
		if t.Items[i].Type == TypeText && !saysPersonal(r) {
			t.Items[i].Personal = true // a free text is personal unless the checklist says otherwise
		}
	}
	t.Indicators = make([]Indicator, len(raw.Indicators))
	for i, r := range raw.Indicators {
		if err := decodeStrict(r, &t.Indicators[i]); err != nil {
			return nil, fmt.Errorf("%s: %w", elementName("indicator", i, r), err)
		}
	}
	return t, nil
}

// saysPersonal reports whether an item's JSON states "personal" itself
// (true or false), rather than leaving it to the default.
func saysPersonal(raw json.RawMessage) bool {
	var peek map[string]json.RawMessage
	if json.Unmarshal(raw, &peek) != nil {
		return false
	}
	_, ok := peek["personal"]
	return ok
}

// MarshalJSON writes the item; a text item that is not personal says
// "personal": false, so that reading it back (decodeTemplate) does not make
// it personal by default.
func (it Item) MarshalJSON() ([]byte, error) {
	type plain Item
	if it.Type == TypeText && !it.Personal {
		return json.Marshal(struct {
			plain
			Personal bool `json:"personal"`
		}{plain(it), false})
	}
	return json.Marshal(plain(it))
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// elementName names a list element by its id when it has one, else by position.
func elementName(kind string, index int, raw json.RawMessage) string {
	var peek struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &peek) == nil && peek.ID != "" {
		return fmt.Sprintf("%s %q", kind, peek.ID)
	}
	return fmt.Sprintf("%s #%d", kind, index+1)
}

var (
	templateIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	snakeCasePattern  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// RuleError is one rule of a template broken, at its element. Code names
// the rule (stable, snake_case: an importer says it in the user's language
// from Code and Args); Args are the values it names, in order, as text;
// Detail says it in English. Element is "section", "item" or "indicator"
// (ID its id), or "" for the template itself; Option is the item's option
// the rule is about, if any. Error() is the English line, naming the
// element: item "area": min 10 is greater than max 1.
type RuleError struct {
	Element string
	ID      string
	Option  string
	Code    string
	Args    []string
	Detail  string
}

func (e *RuleError) Error() string {
	s := e.Detail
	if e.Option != "" {
		s = fmt.Sprintf("option %q: %s", e.Option, s)
	}
	if e.Element != "" {
		s = fmt.Sprintf("%s %q: %s", e.Element, e.ID, s)
	}
	return s
}

// RuleCodes lists every RuleError.Code validation writes (a test checks
// the list against the source): an importer has words for each in every
// language (the desk's xp_<code>).
var RuleCodes = []string{
	"template_id_invalid", "version_below_one", "text_missing", "text_language_unknown",
	"list_value_unknown", "list_value_twice", "no_sections", "no_items",
	"id_not_snake_case", "id_twice", "code_twice", "code_missing", "section_unknown", "scope_invalid",
	"unit_label_without_unit", "unit_unknown", "range_missing", "range_not_finite", "range_inverted",
	"range_not_whole", "tolerance_missing", "tolerance_negative", "range_not_taken", "unit_not_taken",
	"max_length_missing", "max_length_not_taken", "personal_not_taken", "sensitive_not_taken",
	"options_too_few", "options_not_taken", "note_required", "item_type_unknown",
	"adverse_yesno", "adverse_yesno_both", "adverse_option_unknown", "adverse_twice", "adverse_not_taken",
	"relevant_item_unknown", "relevant_item_later", "relevant_scope", "relevant_no_options",
	"relevant_in_not_in", "relevant_yesno_value", "relevant_option_unknown",
	"indicator_input_not_number", "indicator_input_scope", "indicator_input_not_choice",
	"indicator_kinds_none", "indicator_option_unknown", "indicator_input_unit", "indicator_input_integer",
}

// rule is a broken rule with its code; its args are the format's values.
func rule(code, format string, args ...any) *RuleError {
	e := &RuleError{Code: code, Detail: fmt.Sprintf(format, args...)}
	for _, a := range args {
		e.Args = append(e.Args, fmt.Sprint(a))
	}
	return e
}

// at places rules at an element.
func at(element, id string, rules []*RuleError) []error {
	out := make([]error, len(rules))
	for i, r := range rules {
		r.Element, r.ID = element, id
		out[i] = r
	}
	return out
}

// validate checks the whole template and builds its item index. It returns
// every problem found (each a *RuleError); none means the template is usable.
func (t *Template) validate() []error {
	var top []*RuleError
	add := func(r *RuleError) { top = append(top, r) }

	if !templateIDPattern.MatchString(t.ID) {
		add(rule("template_id_invalid", "template id %q must be lower-case letters, digits and hyphens", t.ID))
	}
	if t.Version < 1 {
		add(rule("version_below_one", "version must be 1 or more, got %d", t.Version))
	}
	top = append(top, textRules(t.Title, "title")...)
	top = append(top, checkListRules("facility_types", t.FacilityTypes, FacilityTypes)...)
	top = append(top, checkListRules("location_kinds", t.LocationKinds, LocationKinds)...)
	if len(t.Sections) == 0 {
		add(rule("no_sections", "no sections"))
	}
	if len(t.Items) == 0 {
		add(rule("no_items", "no items"))
	}
	errs := at("", "", top)

	sections := map[string]bool{}
	for _, s := range t.Sections {
		var rs []*RuleError
		if !snakeCasePattern.MatchString(s.ID) {
			rs = append(rs, rule("id_not_snake_case", "id must be snake_case"))
		}
		if sections[s.ID] {
			rs = append(rs, rule("id_twice", "duplicate section id"))
		}
		sections[s.ID] = true
		rs = append(rs, textRules(s.Title, "title")...)
		errs = append(errs, at("section", s.ID, rs)...)
	}

	t.items = make(map[string]*Item, len(t.Items))
	codes := map[string]string{}
	for i := range t.Items {
		it := &t.Items[i]
		var rs []*RuleError
		if _, dup := t.items[it.ID]; dup {
			rs = append(rs, rule("id_twice", "duplicate item id"))
		} else {
			t.items[it.ID] = it
		}
		if other, dup := codes[it.Code]; dup && it.Code != "" {
			rs = append(rs, rule("code_twice", "code %q is also used by item %q", it.Code, other))
		}
		codes[it.Code] = it.ID
		rs = append(rs, it.validate(sections)...)
		errs = append(errs, at("item", it.ID, rs)...)
	}
	errs = append(errs, t.validateRelevance()...)

	indicators := map[string]bool{}
	for i := range t.Indicators {
		ind := &t.Indicators[i]
		var rs []*RuleError
		if indicators[ind.ID] {
			rs = append(rs, rule("id_twice", "duplicate indicator id"))
		}
		indicators[ind.ID] = true
		rs = append(rs, ind.validate(t.items, t.kinds())...)
		errs = append(errs, at("indicator", ind.ID, rs)...)
	}
	return errs
}

func (it *Item) validate(sections map[string]bool) []*RuleError {
	var errs []*RuleError
	add := func(r *RuleError) { errs = append(errs, r) }

	if !snakeCasePattern.MatchString(it.ID) {
		add(rule("id_not_snake_case", "id must be snake_case"))
	}
	if it.Code == "" {
		add(rule("code_missing", "code missing"))
	}
	if !sections[it.Section] {
		add(rule("section_unknown", "unknown section %q", it.Section))
	}
	if it.Scope != ScopeVisit && it.Scope != ScopeLocation {
		add(rule("scope_invalid", "scope must be %q or %q, got %q", ScopeVisit, ScopeLocation, it.Scope))
	}
	errs = append(errs, textRules(it.Label, "label")...)
	if len(it.Help) > 0 {
		errs = append(errs, textRules(it.Help, "help")...)
	}
	if it.Source != nil {
		errs = append(errs, textRules(it.Source, "source")...)
	}

	switch {
	case it.Unit == "" && it.UnitLabel != nil:
		add(rule("unit_label_without_unit", "unit_label without unit"))
	case it.Unit != "" && !knownUnits[it.Unit]:
		add(rule("unit_unknown", "unknown unit %q (known: %s)", it.Unit, strings.Join(KnownUnits(), ", ")))
	case it.Unit != "":
		errs = append(errs, textRules(it.UnitLabel, "unit_label")...)
	}

	switch it.Type {
	case TypeNumber, TypeInteger:
		switch {
		case it.Min == nil || it.Max == nil:
			add(rule("range_missing", "%s item needs min and max", it.Type))
		case !isFinite(*it.Min) || !isFinite(*it.Max):
			add(rule("range_not_finite", "min and max must be finite"))
		case *it.Min > *it.Max:
			add(rule("range_inverted", "min %s is greater than max %s", formatNumber(*it.Min), formatNumber(*it.Max)))
		case it.Type == TypeInteger && (*it.Min != math.Trunc(*it.Min) || *it.Max != math.Trunc(*it.Max)):
			add(rule("range_not_whole", "integer item needs whole-number min and max"))
		}
		if it.Tolerance == nil {
			add(rule("tolerance_missing", "%s item needs a tolerance", it.Type))
		} else if !isFinite(*it.Tolerance) || *it.Tolerance < 0 {
			add(rule("tolerance_negative", "tolerance must be zero or more"))
		}
	default:
		if it.Min != nil || it.Max != nil || it.Tolerance != nil {
			add(rule("range_not_taken", "min, max and tolerance apply only to number and integer items"))
		}
		if it.Unit != "" {
			add(rule("unit_not_taken", "unit applies only to number and integer items"))
		}
	}

	if it.Type == TypeText {
		if it.MaxLength <= 0 {
			add(rule("max_length_missing", "text item needs a max_length above 0"))
		}
	} else {
		if it.MaxLength != 0 {
			add(rule("max_length_not_taken", "max_length applies only to text items"))
		}
		if it.Personal {
			add(rule("personal_not_taken", "personal applies only to text items"))
		}
	}
	if it.Sensitive && (it.Type != TypeInteger || it.Unit != "persons") {
		add(rule("sensitive_not_taken", "sensitive applies only to integer items counted in persons"))
	}

	if it.HasOptions() {
		if len(it.Options) < 2 {
			add(rule("options_too_few", "%s item needs at least two options", it.Type))
		}
		seen := map[string]bool{}
		for _, o := range it.Options {
			var rs []*RuleError
			if !snakeCasePattern.MatchString(o.ID) {
				rs = append(rs, rule("id_not_snake_case", "id must be snake_case"))
			}
			if seen[o.ID] {
				rs = append(rs, rule("id_twice", "duplicate option id"))
			}
			seen[o.ID] = true
			rs = append(rs, textRules(o.Label, "label")...)
			for _, r := range rs {
				r.Option = o.ID
			}
			errs = append(errs, rs...)
		}
	} else if len(it.Options) > 0 {
		add(rule("options_not_taken", "options apply only to choice and multichoice items"))
	}
	if it.Type == TypeNote && it.Required {
		add(rule("note_required", "a note takes no answer and cannot be required"))
	}
	errs = append(errs, it.validateAdverse()...)

	switch it.Type {
	case TypeNumber, TypeInteger, TypeYesNo, TypeChoice, TypeText, TypeDateTime,
		TypeMulti, TypeDate, TypeTime, TypeNote:
	default:
		add(rule("item_type_unknown", "unknown type %q", it.Type))
	}
	return errs
}

// validateAdverse checks the answers an item declares adverse: "yes" or
// "no" (one of them) for a yes/no item, options of a choice or multichoice
// item, each once; no other item declares any.
func (it *Item) validateAdverse() []*RuleError {
	if len(it.Adverse) == 0 {
		return nil
	}
	var errs []*RuleError
	seen := map[string]bool{}
	for _, a := range it.Adverse {
		switch {
		case it.Type == TypeYesNo:
			if a != "yes" && a != "no" {
				errs = append(errs, rule("adverse_yesno", "adverse: a yes/no item declares \"yes\" or \"no\", not %q", a))
			}
		case it.HasOptions():
			if _, ok := it.Option(a); !ok {
				errs = append(errs, rule("adverse_option_unknown", "adverse: unknown option %q", a))
			}
		default:
			return []*RuleError{rule("adverse_not_taken", "adverse applies only to yes/no, choice and multichoice items")}
		}
		if seen[a] {
			errs = append(errs, rule("adverse_twice", "adverse: %q is listed twice", a))
		}
		seen[a] = true
	}
	if it.Type == TypeYesNo && len(it.Adverse) > 1 && len(errs) == 0 {
		errs = append(errs, rule("adverse_yesno_both", "adverse: a yes/no item declares one adverse answer, not both"))
	}
	return errs
}

// KnownUnits returns the machine units an item may declare, sorted.
func KnownUnits() []string {
	out := make([]string, 0, len(knownUnits))
	for u := range knownUnits {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// kinds are the kinds of place the template offers: its LocationKinds, or
// the general ones (GeneralLocationKinds, as the app offers) when it names
// none, so that an indicator reading a kind no phone offers is refused.
func (t *Template) kinds() []string {
	if len(t.LocationKinds) > 0 {
		return t.LocationKinds
	}
	return GeneralLocationKinds
}

// checkList reports each entry of list that is not in allowed, or repeated.
func checkList(field string, list, allowed []string) []string {
	var errs []string
	for _, r := range checkListRules(field, list, allowed) {
		errs = append(errs, r.Detail)
	}
	return errs
}

func checkListRules(field string, list, allowed []string) []*RuleError {
	var errs []*RuleError
	seen := map[string]bool{}
	for _, v := range list {
		switch {
		case !contains(allowed, v):
			errs = append(errs, rule("list_value_unknown", "%s: unknown %q", field, v))
		case seen[v]:
			errs = append(errs, rule("list_value_twice", "%s: %q is listed twice", field, v))
		}
		seen[v] = true
	}
	return errs
}

// validateRelevance checks each item's condition against the template's
// items: an earlier item of the same scope with options or yes/no.
func (t *Template) validateRelevance() []error {
	var errs []error
	pos := map[string]int{}
	for i := range t.Items {
		pos[t.Items[i].ID] = i
	}
	for i := range t.Items {
		it := &t.Items[i]
		c := it.Relevant
		if c == nil {
			continue
		}
		add := func(code, format string, args ...any) {
			r := rule(code, format, args...)
			r.Detail = "relevant: " + r.Detail
			errs = append(errs, at("item", it.ID, []*RuleError{r})...)
		}
		on, ok := t.items[c.Item]
		switch {
		case !ok:
			add("relevant_item_unknown", "unknown item %q", c.Item)
		case pos[c.Item] >= i:
			add("relevant_item_later", "item %q comes after this one; a condition reads an earlier answer", c.Item)
		case on.Scope != it.Scope:
			add("relevant_scope", "item %q is asked per %s, this one per %s", c.Item, on.Scope, it.Scope)
		case !on.HasOptions() && on.Type != TypeYesNo:
			add("relevant_no_options", "item %q of type %s has no options to test", c.Item, on.Type)
		case (len(c.In) > 0) == (len(c.NotIn) > 0):
			add("relevant_in_not_in", "needs exactly one of in and not_in")
		default:
			for _, id := range append(append([]string(nil), c.In...), c.NotIn...) {
				if on.Type == TypeYesNo {
					if id != "yes" && id != "no" {
						add("relevant_yesno_value", "a yes/no item is tested for \"yes\" or \"no\", not %q", id)
					}
				} else if _, ok := on.Option(id); !ok {
					add("relevant_option_unknown", "unknown option %q of item %q", id, c.Item)
				}
			}
		}
	}
	return errs
}

// IsRelevant reports whether the item is asked given the answers of its
// scope, keyed by item id (see Item.Relevant). The app's fieldrules.js
// decides the same way.
func (it *Item) IsRelevant(values map[string]any) bool {
	c := it.Relevant
	if c == nil {
		return true
	}
	var answers []string
	switch v := values[c.Item].(type) {
	case string:
		answers = []string{v}
	case bool:
		answers = []string{map[bool]string{true: "yes", false: "no"}[v]}
	case []string:
		answers = v
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				answers = append(answers, s)
			}
		}
	}
	if len(c.In) > 0 {
		for _, a := range answers {
			if contains(c.In, a) {
				return true
			}
		}
		return false
	}
	for _, a := range answers {
		if contains(c.NotIn, a) {
			return false
		}
	}
	return true
}

// checkText reports each language of Languages that t lacks, and any language
// key that is not one of them (a typo such as "kz" would otherwise go unseen).
func checkText(t Text, field string) []string {
	var errs []string
	for _, r := range textRules(t, field) {
		errs = append(errs, r.Detail)
	}
	return errs
}

// textRules is checkText's rules with their codes: text_missing (field,
// language) and text_language_unknown (field, language).
func textRules(t Text, field string) []*RuleError {
	var errs []*RuleError
	for _, lang := range Languages {
		if strings.TrimSpace(t[lang]) == "" {
			errs = append(errs, rule("text_missing", "%s missing in %s", field, lang))
		}
	}
	var extra []string
	for lang := range t {
		if !isLanguage(lang) {
			extra = append(extra, lang)
		}
	}
	sort.Strings(extra)
	for _, lang := range extra {
		errs = append(errs, rule("text_language_unknown", "%s has unknown language %q", field, lang))
	}
	return errs
}

func isLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// ValueError is a value that does not fit its checklist item. Message is plain
// English meant for the person who entered the value; Field names the payload
// field at fault ("value").
type ValueError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *ValueError) Error() string { return e.Message }

func valueErrorf(format string, args ...any) *ValueError {
	return &ValueError{Field: "value", Message: fmt.Sprintf(format, args...)}
}

// ParseValue decodes and checks one answer to the item itemID. It returns
// float64 for number items, int64 for integer, bool for yesno, and string for
// choice (the option id), text and datetime (normalised to RFC 3339 in UTC).
// A JSON null (or an empty raw message) returns (nil, nil): no answer.
// Every other failure is a *ValueError naming the item and, where it applies,
// the accepted range or options.
func (t *Template) ParseValue(itemID string, raw json.RawMessage) (any, error) {
	it, ok := t.Item(itemID)
	if !ok {
		return nil, valueErrorf("unknown checklist item %q", itemID)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if !utf8.Valid(raw) {
		return nil, valueErrorf("%s must be valid UTF-8 text", it.ID)
	}
	if !json.Valid(raw) {
		return nil, valueErrorf("%s is not a valid JSON value", it.ID)
	}
	kind := jsonKind(raw)

	switch it.Type {
	case TypeNumber, TypeInteger:
		if kind != "number" {
			return nil, valueErrorf("%s must be a number, got %s", it.ID, article(kind))
		}
		// Parse the token ourselves: json.Unmarshal would fail on 1e999 with a
		// range error instead of saying the number is not finite.
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) || !isFinite(f) {
			return nil, valueErrorf("%s must be a finite number", it.ID)
		}
		if it.Type == TypeInteger && f != math.Trunc(f) {
			return nil, valueErrorf("%s must be a whole number", it.ID)
		}
		if f < *it.Min || f > *it.Max {
			return nil, valueErrorf("%s must be between %s and %s%s", it.ID,
				formatNumber(*it.Min), formatNumber(*it.Max), unitSuffix(it))
		}
		if f == 0 {
			f = 0 // -0 would otherwise survive as a distinct value
		}
		if it.Type == TypeInteger {
			return int64(f), nil
		}
		return f, nil

	case TypeYesNo:
		if kind != "boolean" {
			return nil, valueErrorf("%s must be true or false, got %s", it.ID, article(kind))
		}
		return string(raw) == "true", nil

	case TypeChoice:
		s, err := decodeString(it, raw, kind)
		if err != nil {
			return nil, err
		}
		if _, ok := it.Option(s); !ok {
			ids := make([]string, len(it.Options))
			for i, o := range it.Options {
				ids[i] = o.ID
			}
			return nil, valueErrorf("%s must be one of: %s", it.ID, strings.Join(ids, ", "))
		}
		return s, nil

	case TypeText:
		s, err := decodeString(it, raw, kind)
		if err != nil {
			return nil, err
		}
		if n := utf8.RuneCountInString(s); n > it.MaxLength {
			return nil, valueErrorf("%s is longer than %d characters", it.ID, it.MaxLength)
		}
		if fault := TextFault(s); fault != "" {
			return nil, valueErrorf("%s %s", it.ID, fault)
		}
		return s, nil

	case TypeMulti:
		return parseMulti(it, raw, kind)

	case TypeDate, TypeTime:
		s, err := decodeString(it, raw, kind)
		if err != nil {
			return nil, err
		}
		layout, example := "2006-01-02", "2024-01-15"
		if it.Type == TypeTime {
			layout, example = "15:04", "09:30"
		}
		if tm, err := time.Parse(layout, s); err != nil || tm.Format(layout) != s {
			return nil, valueErrorf("%s must be a %s such as %s", it.ID, it.Type, example)
		}
		return s, nil

	case TypeNote:
		return nil, valueErrorf("%s is a note and takes no answer", it.ID)

	case TypeDateTime:
		s, err := decodeString(it, raw, kind)
		if err != nil {
			return nil, err
		}
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, valueErrorf("%s must be a date and time in RFC 3339 format, such as 2024-01-15T09:30:00+05:00", it.ID)
		}
		return tm.UTC().Format(time.RFC3339Nano), nil
	}
	return nil, valueErrorf("%s has unsupported type %q", it.ID, it.Type)
}

// parseMulti decodes the options chosen for a multichoice item: a list of
// option ids, each at most once, returned in the options' order so that two
// members who chose the same options agree.
func parseMulti(it *Item, raw json.RawMessage, kind string) (any, error) {
	if kind != "array" {
		return nil, valueErrorf("%s must be a list of options, got %s", it.ID, article(kind))
	}
	var ids []string
	if err := json.Unmarshal(raw, &ids); err != nil {
		return nil, valueErrorf("%s must be a list of option ids", it.ID)
	}
	chosen := map[string]bool{}
	for _, id := range ids {
		if _, ok := it.Option(id); !ok {
			opts := make([]string, len(it.Options))
			for i, o := range it.Options {
				opts[i] = o.ID
			}
			return nil, valueErrorf("%s takes options among: %s", it.ID, strings.Join(opts, ", "))
		}
		if chosen[id] {
			return nil, valueErrorf("%s lists option %s twice", it.ID, id)
		}
		chosen[id] = true
	}
	out := []string{}
	for _, o := range it.Options {
		if chosen[o.ID] {
			out = append(out, o.ID)
		}
	}
	return out, nil
}

func decodeString(it *Item, raw json.RawMessage, kind string) (string, error) {
	if kind != "string" {
		return "", valueErrorf("%s must be a string, got %s", it.ID, article(kind))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", valueErrorf("%s is not a valid JSON string", it.ID)
	}
	return s, nil
}

// jsonKind names the kind of a valid JSON value from its first byte.
func jsonKind(raw []byte) string {
	switch raw[0] {
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case '{':
		return "object"
	case '[':
		return "array"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

func article(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	}
	return "a " + kind
}

func unitSuffix(it *Item) string {
	u := it.UnitLabel.In("en")
	if u == "" {
		return ""
	}
	return " " + u
}

// formatNumber prints a limit as people write it: 0.5, 2000, -60.
func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func isFinite(f float64) bool { return !math.IsInf(f, 0) && !math.IsNaN(f) }
