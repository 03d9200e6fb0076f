package schema

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Catalog is the set of checklist versions a database holds and which version
// of each checklist is active (given to new visits). A visit keeps the version
// it was started with for good, so a catalog never forgets a version. A
// Catalog is immutable; its templates are shared and read-only.
type Catalog struct {
	all       []*Template // by id, then version
	byRef     map[string]*Template
	active    map[string]*Template
	defaultID string
	personal  map[string]bool
}

// NewCatalog returns the catalog of the templates all, where active gives the
// active version of each checklist id and defaultID the checklist a visit that
// names none is given (its active version). An id with no active version is
// not offered to new visits; a missing defaultID falls back to the first
// active checklist by id.
func NewCatalog(all []*Template, active map[string]int, defaultID string) *Catalog {
	c := &Catalog{byRef: map[string]*Template{}, active: map[string]*Template{}, defaultID: defaultID}
	c.all = append(c.all, all...)
	sort.SliceStable(c.all, func(i, j int) bool {
		if c.all[i].ID != c.all[j].ID {
			return c.all[i].ID < c.all[j].ID
		}
		return c.all[i].Version < c.all[j].Version
	})
	for _, t := range c.all {
		c.byRef[t.Ref()] = t
		if v, ok := active[t.ID]; ok && v == t.Version {
			c.active[t.ID] = t
		}
	}
	c.personal = PersonalItems(c.all...)
	if c.active[c.defaultID] == nil {
		c.defaultID = ""
		for _, t := range c.all {
			if c.active[t.ID] == t {
				c.defaultID = t.ID
				break
			}
		}
	}
	return c
}

// DefaultCatalog returns the catalog a new database starts with: every
// embedded checklist (DefaultTemplates) active, the general one the default.
func DefaultCatalog() (*Catalog, error) {
	ts, err := DefaultTemplates()
	if err != nil {
		return nil, err
	}
	active := map[string]int{}
	for _, t := range ts {
		if v, ok := active[t.ID]; !ok || t.Version > v {
			active[t.ID] = t.Version
		}
	}
	return NewCatalog(ts, active, ts[0].ID), nil
}

// Template returns the template of ref, "id@version"; a bare id gives the
// active version of that checklist. It returns nil for an unknown reference.
func (c *Catalog) Template(ref string) *Template {
	if c == nil {
		return nil
	}
	if t := c.byRef[ref]; t != nil {
		return t
	}
	if !strings.Contains(ref, "@") {
		return c.active[ref]
	}
	return nil
}

// Default returns the active version of the default checklist, nil when no
// checklist is active.
func (c *Catalog) Default() *Template {
	if c == nil {
		return nil
	}
	return c.active[c.defaultID]
}

// ForFacilityType returns the checklist a new visit to a facility of type typ
// starts with: the active checklist naming typ in its FacilityTypes (the
// default first, then by id), else the default. A visit keeps the version it
// started with for good; the app picks the same way (store.js pickChecklist).
func (c *Catalog) ForFacilityType(typ string) *Template {
	for _, t := range c.Active() {
		if typ != "" && slices.Contains(t.FacilityTypes, typ) {
			return t
		}
	}
	return c.Default()
}

// Active returns the active version of each checklist, the default first, then
// by id.
func (c *Catalog) Active() []*Template {
	if c == nil {
		return nil
	}
	var out []*Template
	if d := c.Default(); d != nil {
		out = append(out, d)
	}
	for _, t := range c.all {
		if c.active[t.ID] == t && t.ID != c.defaultID {
			out = append(out, t)
		}
	}
	return out
}

// IsActive reports whether t is the active version of its checklist.
func (c *Catalog) IsActive(t *Template) bool { return c != nil && t != nil && c.active[t.ID] == t }

// All returns every version, by id then version. The slice is the caller's own.
func (c *Catalog) All() []*Template {
	if c == nil {
		return nil
	}
	return append([]*Template(nil), c.all...)
}

// PersonalItems returns the items any version marks as personal text (see
// the package's PersonalItems); the map is shared and must not be changed.
func (c *Catalog) PersonalItems() map[string]bool {
	if c == nil {
		return map[string]bool{}
	}
	return c.personal
}

// ParseRef splits "id@version"; a bare id has version 0.
func ParseRef(ref string) (id string, version int, err error) {
	id, v, found := strings.Cut(ref, "@")
	if !found {
		return id, 0, nil
	}
	version, err = strconv.Atoi(v)
	if err != nil || version < 1 {
		return "", 0, fmt.Errorf("checklist reference %q: the version after @ must be a whole number of 1 or more", ref)
	}
	return id, version, nil
}

// Indicator input roles: the items an indicator reads, named as a checklist
// that uses a built-in indicator names them.
const (
	InputNum   = "num"   // a ratio's numerator
	InputDen   = "den"   // a ratio's denominator
	InputValue = "value" // a value formula's item
	InputWhen  = "when"  // the choice item of the indicator's condition
)

// Inputs returns the indicator's inputs by role.
func (ind *Indicator) Inputs() map[string]string {
	in := map[string]string{}
	switch ind.Formula.Op {
	case OpRatio:
		in[InputNum], in[InputDen] = ind.Formula.Num, ind.Formula.Den
	case OpValue, OpChoice:
		in[InputValue] = ind.Formula.Item
	}
	if ind.When != nil && ind.When.Item != "" {
		in[InputWhen] = ind.When.Item
	}
	return in
}

// InputRoles returns the roles the indicator reads, in a fixed order.
func (ind *Indicator) InputRoles() []string {
	var roles []string
	for _, r := range []string{InputNum, InputDen, InputValue, InputWhen} {
		if _, ok := ind.Inputs()[r]; ok {
			roles = append(roles, r)
		}
	}
	return roles
}

// WithInputs returns a copy of the indicator reading the given items (by
// role) instead of its own; roles not given keep their item.
func (ind Indicator) WithInputs(in map[string]string) Indicator {
	f := ind.Formula
	set := func(dst *string, role string) {
		if id, ok := in[role]; ok {
			*dst = id
		}
	}
	switch f.Op {
	case OpRatio:
		set(&f.Num, InputNum)
		set(&f.Den, InputDen)
	case OpValue, OpChoice:
		set(&f.Item, InputValue)
	}
	ind.Formula = f
	if ind.When != nil {
		w := *ind.When
		set(&w.Item, InputWhen)
		ind.When = &w
	}
	return ind
}

// BuiltinIndicators returns the built-in indicators of a checklist for the
// facility types types: the indicators of the embedded checklist a visit to
// the first of them starts with (the general one for none), then those of
// the general checklist, then those of every other embedded checklist, each
// id once, first declaration first. They are the standards an imported checklist may use by
// naming their inputs: a threshold and its source are not written in a
// spreadsheet. The same id may be worded or judged for its facility type
// (a care home's "room", a comparison-only figure): the facility types choose.
func BuiltinIndicators(types []string) ([]Indicator, error) {
	cat, err := DefaultCatalog()
	if err != nil {
		return nil, err
	}
	typ := ""
	if len(types) > 0 {
		typ = types[0]
	}
	var out []Indicator
	seen := map[string]bool{}
	add := func(t *Template) {
		for _, ind := range t.Indicators {
			if !seen[ind.ID] {
				seen[ind.ID] = true
				out = append(out, ind)
			}
		}
	}
	// The type's checklist, then the general one, then the others.
	if t := cat.ForFacilityType(typ); t != nil {
		add(t)
	}
	if t := cat.Default(); t != nil {
		add(t)
	}
	for _, t := range cat.All() {
		add(t)
	}
	return out, nil
}

// SameIndicator reports whether a and b are the same standard: equal in
// everything but the items they read.
func SameIndicator(a, b Indicator) bool {
	return reflect.DeepEqual(a.WithInputs(b.Inputs()), b)
}

// CheckBuiltinIndicators checks that every indicator of t is a built-in one
// reading t's own items, each in the unit and type the built-in reads
// (CheckInputUnits): an imported checklist cannot bring a threshold or a
// source of its own. It returns one error per indicator or input that is not.
func CheckBuiltinIndicators(t *Template) []error {
	builtin, err := BuiltinIndicators(t.FacilityTypes)
	if err != nil {
		return []error{err}
	}
	byID := map[string]Indicator{}
	for _, ind := range builtin {
		byID[ind.ID] = ind
	}
	var errs []error
	for _, ind := range t.Indicators {
		b, ok := byID[ind.ID]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("indicator %q: not a built-in indicator (an imported checklist uses the built-in ones by naming their inputs)", ind.ID))
		case !SameIndicator(b, ind):
			errs = append(errs, fmt.Errorf("indicator %q: differs from the built-in indicator in more than the items it reads (thresholds, bands and sources are built in)", ind.ID))
		}
	}
	for _, r := range CheckInputUnits(t) {
		errs = append(errs, r)
	}
	return errs
}

// InputNeed is what an input role of a built-in indicator reads: a number
// in Unit ("" for a plain count of things, such as toilets) and, when
// Integer, a whole number (a count). It is the unit and type of the question
// the built-in checklists bind to the role: 10 m² for 4 persons is 2.5 m²
// per person only when the area is the numerator.
type InputNeed struct {
	Unit    string
	Integer bool
}

// builtinInputNeeds maps each built-in indicator's numeric roles to what
// they read, from the embedded checklists' own questions.
var builtinInputNeeds = sync.OnceValues(func() (map[string]map[string]InputNeed, error) {
	ts, err := DefaultTemplates()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]InputNeed{}
	for _, t := range ts {
		for i := range t.Indicators {
			ind := &t.Indicators[i]
			for role, id := range ind.Inputs() {
				it, ok := t.Item(id)
				if !ok || !it.Numeric() || role == InputWhen {
					continue
				}
				if out[ind.ID] == nil {
					out[ind.ID] = map[string]InputNeed{}
				}
				need := InputNeed{Unit: it.Unit, Integer: it.Type == TypeInteger}
				if had, seen := out[ind.ID][role]; seen && had != need {
					return nil, fmt.Errorf("built-in indicator %s.%s reads %+v in one checklist and %+v in another", ind.ID, role, had, need)
				}
				out[ind.ID][role] = need
			}
		}
	}
	return out, nil
})

// BuiltinInputNeed returns what the role of the built-in indicator id reads.
func BuiltinInputNeed(id, role string) (InputNeed, bool) {
	needs, err := builtinInputNeeds()
	if err != nil {
		return InputNeed{}, false
	}
	n, ok := needs[id][role]
	return n, ok
}

// unitName is a unit as a problem names it: "none" for no unit.
func unitName(u string) string {
	if u == "" {
		return "none"
	}
	return u
}

// CheckInputUnits returns a problem for each numeric input of t's
// indicators whose question is not in the unit the built-in indicator reads
// (indicator_input_unit: question, input, its unit, the unit read) or is a
// decimal where a count is read (indicator_input_integer: question, input).
// A swapped ratio (area as the denominator) or a temperature in another unit
// is refused, not judged against a threshold it was never measured for.
func CheckInputUnits(t *Template) []*RuleError {
	var errs []*RuleError
	for i := range t.Indicators {
		ind := &t.Indicators[i]
		for _, role := range ind.InputRoles() {
			need, known := BuiltinInputNeed(ind.ID, role)
			it, ok := t.Item(ind.Inputs()[role])
			if !known || !ok || !it.Numeric() {
				continue // not a numeric role; a question of another type is validate's to refuse
			}
			input := ind.ID + "." + role
			var r *RuleError
			switch {
			case it.Unit != need.Unit:
				r = rule("indicator_input_unit", "item %q gives %s in unit %s; the indicator reads it in %s",
					it.ID, input, unitName(it.Unit), unitName(need.Unit))
			case need.Integer && it.Type != TypeInteger:
				r = rule("indicator_input_integer", "item %q gives %s, a count: it must be an integer question", it.ID, input)
			default:
				continue
			}
			r.Element, r.ID = "indicator", ind.ID
			errs = append(errs, r)
		}
	}
	return errs
}
