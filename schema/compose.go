package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// A checklist per facility type is composed from shared parts, so that the
// sections every type shares are written once. The sources live in
// schema/checklists/src: a composition file per template names its parts (in
// schema/checklists/src/parts) and the words of its type, and each part holds
// sections, items and indicators. Texts in parts may use terms, such as
// "{persons}" or "{in_place}", which the composition defines in every
// language ("detainees", "patients", "residents", "children"; "in the cell",
// "in the ward", "in the room"). The composed template is written to
// schema/checklists/<same name>.json, which is what is embedded, served and
// validated by ParseTemplate; TestComposedChecklists fails when a composed
// file is out of date and rewrites it with -update.

// composition is the source of one composed template.
type composition struct {
	ID            string          `json:"id"`
	Version       int             `json:"version"`
	Title         Text            `json:"title"`
	FacilityTypes []string        `json:"facility_types"`
	LocationKinds []string        `json:"location_kinds"`
	Terms         map[string]Text `json:"terms"`
	Parts         []string        `json:"parts"`
}

// part is one shared piece of a checklist.
type part struct {
	Sections   []Section   `json:"sections"`
	Items      []Item      `json:"items"`
	Indicators []Indicator `json:"indicators"`
}

var termPattern = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

// ComposeChecklist builds the template of the composition file name (data)
// from the parts readPart returns by name, replaces every term in every text,
// and returns the template as indented JSON after ParseTemplate has validated
// it. An error names the file, and the part or term concerned.
func ComposeChecklist(name string, data []byte, readPart func(part string) ([]byte, error)) ([]byte, error) {
	var c composition
	if err := decodeStrict(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(c.Parts) == 0 {
		return nil, fmt.Errorf("%s: no parts", name)
	}
	for key, text := range c.Terms {
		if !snakeCasePattern.MatchString(key) {
			return nil, fmt.Errorf("%s: term %q must be snake_case", name, key)
		}
		if errs := checkText(text, "term "+key); len(errs) > 0 {
			return nil, fmt.Errorf("%s: %s", name, strings.Join(errs, "; "))
		}
	}
	t := &Template{ID: c.ID, Version: c.Version, Title: c.Title, FacilityTypes: c.FacilityTypes, LocationKinds: c.LocationKinds}
	for _, pn := range c.Parts {
		raw, err := readPart(pn)
		if err != nil {
			return nil, fmt.Errorf("%s: part %s: %w", name, pn, err)
		}
		var p part
		if err := decodeStrict(raw, &p); err != nil {
			return nil, fmt.Errorf("%s: part %s: %w", name, pn, err)
		}
		t.Sections = append(t.Sections, p.Sections...)
		t.Items = append(t.Items, p.Items...)
		t.Indicators = append(t.Indicators, p.Indicators...)
	}
	// A part may add items to a section of an earlier part; each section's
	// items are kept together, in section order (an XLSForm group holds one
	// section's questions, and the app lists them so).
	order := map[string]int{}
	for i, s := range t.Sections {
		order[s.ID] = i
	}
	sort.SliceStable(t.Items, func(i, j int) bool { return order[t.Items[i].Section] < order[t.Items[j].Section] })
	var unknown []string
	replaceTerms(reflect.ValueOf(t).Elem(), c.Terms, &unknown)
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("%s: unknown terms %s", name, strings.Join(compactStrings(unknown), ", "))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, fmt.Errorf("%s: encode: %w", name, err)
	}
	if _, err := ParseTemplate(name, buf.Bytes()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var textType = reflect.TypeOf(Text{})

// replaceTerms walks v and replaces "{term}" in every Text by the term's text
// in the same language; terms it does not know are added to unknown.
func replaceTerms(v reflect.Value, terms map[string]Text, unknown *[]string) {
	switch {
	case v.Type() == textType:
		for lang, s := range v.Interface().(Text) {
			v.SetMapIndex(reflect.ValueOf(lang), reflect.ValueOf(termPattern.ReplaceAllStringFunc(s, func(m string) string {
				key := m[1 : len(m)-1]
				text, ok := terms[key]
				if !ok {
					*unknown = append(*unknown, m)
					return m
				}
				return text[lang]
			})))
		}
	case v.Kind() == reflect.Pointer:
		if !v.IsNil() {
			replaceTerms(v.Elem(), terms, unknown)
		}
	case v.Kind() == reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				replaceTerms(v.Field(i), terms, unknown)
			}
		}
	case v.Kind() == reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			replaceTerms(v.Index(i), terms, unknown)
		}
	case v.Kind() == reflect.Map && v.Type().Elem() == textType:
		for _, k := range v.MapKeys() {
			replaceTerms(v.MapIndex(k), terms, unknown)
		}
	}
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
