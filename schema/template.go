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

// validate checks the whole template and builds its item index. It returns
// every problem found; none means the template is usable.
func (t *Template) validate() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if !templateIDPattern.MatchString(t.ID) {
		add("template id %q must be lower-case letters, digits and hyphens", t.ID)
	}
	if t.Version < 1 {
		add("version must be 1 or more, got %d", t.Version)
	}
	for _, e := range checkText(t.Title, "title") {
		add("%s", e)
	}
	for _, e := range checkList("facility_types", t.FacilityTypes, FacilityTypes) {
		add("%s", e)
	}
	for _, e := range checkList("location_kinds", t.LocationKinds, LocationKinds) {
		add("%s", e)
	}

	if len(t.Sections) == 0 {
		add("no sections")
	}
	sections := map[string]bool{}
	for _, s := range t.Sections {
		where := fmt.Sprintf("section %q", s.ID)
		if !snakeCasePattern.MatchString(s.ID) {
			add("%s: id must be snake_case", where)
		}
		if sections[s.ID] {
			add("%s: duplicate section id", where)
		}
		sections[s.ID] = true
		for _, e := range checkText(s.Title, "title") {
			add("%s: %s", where, e)
		}
	}

	if len(t.Items) == 0 {
		add("no items")
	}
	t.items = make(map[string]*Item, len(t.Items))
	codes := map[string]string{}
	for i := range t.Items {
		it := &t.Items[i]
		where := fmt.Sprintf("item %q", it.ID)
		if _, dup := t.items[it.ID]; dup {
			add("%s: duplicate item id", where)
		} else {
			t.items[it.ID] = it
		}
		if other, dup := codes[it.Code]; dup && it.Code != "" {
			add("%s: code %q is also used by item %q", where, it.Code, other)
		}
		codes[it.Code] = it.ID
		for _, e := range it.validate(sections) {
			add("%s: %s", where, e)
		}
	}
	errs = append(errs, t.validateRelevance()...)

	indicators := map[string]bool{}
	for i := range t.Indicators {
		ind := &t.Indicators[i]
		where := fmt.Sprintf("indicator %q", ind.ID)
		if indicators[ind.ID] {
			add("%s: duplicate indicator id", where)
		}
		indicators[ind.ID] = true
		for _, e := range ind.validate(t.items, t.kinds()) {
			add("%s: %s", where, e)
		}
	}
	return errs
}

func (it *Item) validate(sections map[string]bool) []string {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	if !snakeCasePattern.MatchString(it.ID) {
		add("id must be snake_case")
	}
	if it.Code == "" {
		add("code missing")
	}
	if !sections[it.Section] {
		add("unknown section %q", it.Section)
	}
	if it.Scope != ScopeVisit && it.Scope != ScopeLocation {
		add("scope must be %q or %q, got %q", ScopeVisit, ScopeLocation, it.Scope)
	}
	errs = append(errs, checkText(it.Label, "label")...)
	if len(it.Help) > 0 {
		errs = append(errs, checkText(it.Help, "help")...)
	}
	if it.Source != nil {
		errs = append(errs, checkText(it.Source, "source")...)
	}

	switch {
	case it.Unit == "" && it.UnitLabel != nil:
		add("unit_label without unit")
	case it.Unit != "" && !knownUnits[it.Unit]:
		add("unknown unit %q", it.Unit)
	case it.Unit != "":
		errs = append(errs, checkText(it.UnitLabel, "unit_label")...)
	}

	switch it.Type {
	case TypeNumber, TypeInteger:
		switch {
		case it.Min == nil || it.Max == nil:
			add("%s item needs min and max", it.Type)
		case !isFinite(*it.Min) || !isFinite(*it.Max):
			add("min and max must be finite")
		case *it.Min > *it.Max:
			add("min %s is greater than max %s", formatNumber(*it.Min), formatNumber(*it.Max))
		case it.Type == TypeInteger && (*it.Min != math.Trunc(*it.Min) || *it.Max != math.Trunc(*it.Max)):
			add("integer item needs whole-number min and max")
		}
		if it.Tolerance == nil {
			add("%s item needs a tolerance", it.Type)
		} else if !isFinite(*it.Tolerance) || *it.Tolerance < 0 {
			add("tolerance must be zero or more")
		}
	default:
		if it.Min != nil || it.Max != nil || it.Tolerance != nil {
			add("min, max and tolerance apply only to number and integer items")
		}
		if it.Unit != "" {
			add("unit applies only to number and integer items")
		}
	}

	if it.Type == TypeText {
		if it.MaxLength <= 0 {
			add("text item needs a max_length above 0")
		}
	} else {
		if it.MaxLength != 0 {
			add("max_length applies only to text items")
		}
		if it.Personal {
			add("personal applies only to text items")
		}
	}
	if it.Sensitive && (it.Type != TypeInteger || it.Unit != "persons") {
		add("sensitive applies only to integer items counted in persons")
	}

	if it.HasOptions() {
		if len(it.Options) < 2 {
			add("%s item needs at least two options", it.Type)
		}
		seen := map[string]bool{}
		for _, o := range it.Options {
			if !snakeCasePattern.MatchString(o.ID) {
				add("option %q: id must be snake_case", o.ID)
			}
			if seen[o.ID] {
				add("option %q: duplicate option id", o.ID)
			}
			seen[o.ID] = true
			for _, e := range checkText(o.Label, "label") {
				add("option %q: %s", o.ID, e)
			}
		}
	} else if len(it.Options) > 0 {
		add("options apply only to choice and multichoice items")
	}
	if it.Type == TypeNote && it.Required {
		add("a note takes no answer and cannot be required")
	}

	switch it.Type {
	case TypeNumber, TypeInteger, TypeYesNo, TypeChoice, TypeText, TypeDateTime,
		TypeMulti, TypeDate, TypeTime, TypeNote:
	default:
		add("unknown type %q", it.Type)
	}
	return errs
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
	seen := map[string]bool{}
	for _, v := range list {
		switch {
		case !contains(allowed, v):
			errs = append(errs, fmt.Sprintf("%s: unknown %q", field, v))
		case seen[v]:
			errs = append(errs, fmt.Sprintf("%s: %q is listed twice", field, v))
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
		add := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("item %q: relevant: %s", it.ID, fmt.Sprintf(format, args...)))
		}
		on, ok := t.items[c.Item]
		switch {
		case !ok:
			add("unknown item %q", c.Item)
		case pos[c.Item] >= i:
			add("item %q comes after this one; a condition reads an earlier answer", c.Item)
		case on.Scope != it.Scope:
			add("item %q is asked per %s, this one per %s", c.Item, on.Scope, it.Scope)
		case !on.HasOptions() && on.Type != TypeYesNo:
			add("item %q of type %s has no options to test", c.Item, on.Type)
		case (len(c.In) > 0) == (len(c.NotIn) > 0):
			add("needs exactly one of in and not_in")
		default:
			for _, id := range append(append([]string(nil), c.In...), c.NotIn...) {
				if on.Type == TypeYesNo {
					if id != "yes" && id != "no" {
						add("a yes/no item is tested for \"yes\" or \"no\", not %q", id)
					}
				} else if _, ok := on.Option(id); !ok {
					add("unknown option %q of item %q", id, c.Item)
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
	for _, lang := range Languages {
		if strings.TrimSpace(t[lang]) == "" {
			errs = append(errs, fmt.Sprintf("%s missing in %s", field, lang))
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
		errs = append(errs, fmt.Sprintf("%s has unknown language %q", field, lang))
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
		// U+FFFD is what the JSON decoder makes of a lone surrogate escape.
		for _, r := range s {
			if r == utf8.RuneError || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f {
				return nil, valueErrorf("%s contains a character that is not allowed in text", it.ID)
			}
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
