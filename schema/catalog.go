package schema

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
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
	case OpValue:
		in[InputValue] = ind.Formula.Item
	}
	if ind.When != nil {
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
	case OpValue:
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

// BuiltinIndicators returns the indicators of the embedded checklists, each
// once, in the order they first appear. They are the standards an imported
// checklist may use by naming their inputs: a threshold and its source are
// not written in a spreadsheet. Two embedded checklists declaring the same
// indicator id differently is an error.
func BuiltinIndicators() ([]Indicator, error) {
	ts, err := DefaultTemplates()
	if err != nil {
		return nil, err
	}
	var out []Indicator
	seen := map[string]int{}
	for _, t := range ts {
		for _, ind := range t.Indicators {
			i, dup := seen[ind.ID]
			if !dup {
				seen[ind.ID] = len(out)
				out = append(out, ind)
				continue
			}
			if !SameIndicator(out[i], ind) {
				return nil, fmt.Errorf("built-in indicator %q is declared differently by two embedded checklists (one is %s)", ind.ID, t.Ref())
			}
		}
	}
	return out, nil
}

// SameIndicator reports whether a and b are the same standard: equal in
// everything but the items they read.
func SameIndicator(a, b Indicator) bool {
	return reflect.DeepEqual(a.WithInputs(b.Inputs()), b)
}

// CheckBuiltinIndicators checks that every indicator of t is a built-in one
// reading t's own items: an imported checklist cannot bring a threshold or a
// source of its own. It returns one error per indicator that is not.
func CheckBuiltinIndicators(t *Template) []error {
	builtin, err := BuiltinIndicators()
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
	return errs
}
