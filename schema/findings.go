package schema

import (
	"embed"
	"fmt"
	"slices"
	"sync"
)

// The built-in checklists' adverse answers, for their versions stored
// before items carried their own (Item.Adverse): a stored version never
// changes, so what it means is kept beside it, keyed by checklist id and the
// last version it holds for.
//
//go:embed checklists/findings/builtin.json
var findingsFS embed.FS

type builtinFindings struct {
	Comment    string              `json:"comment"`
	Checklists map[string]int      `json:"checklists"` // checklist id → the last version the declarations hold for
	Adverse    map[string][]string `json:"adverse"`    // item id → its adverse answers
}

var loadBuiltinFindings = sync.OnceValues(func() (*builtinFindings, error) {
	data, err := findingsFS.ReadFile("checklists/findings/builtin.json")
	if err != nil {
		return nil, fmt.Errorf("read built-in findings: %w", err)
	}
	var f builtinFindings
	if err := decodeStrict(data, &f); err != nil {
		return nil, fmt.Errorf("checklists/findings/builtin.json: %w", err)
	}
	return &f, nil
})

// DeclaresFindings reports whether any item of t declares adverse answers
// in the template itself (Item.Adverse).
func (t *Template) DeclaresFindings() bool {
	for i := range t.Items {
		if len(t.Items[i].Adverse) > 0 {
			return true
		}
	}
	return false
}

// knownFindings returns the built-in declarations that hold for t: a
// version of a built-in checklist that declares nothing itself, up to the
// last version the declarations were written for. Nil for any other.
func (t *Template) knownFindings() map[string][]string {
	f, err := loadBuiltinFindings()
	if err != nil || t.DeclaresFindings() {
		return nil
	}
	if last, ok := f.Checklists[t.ID]; !ok || t.Version > last {
		return nil
	}
	return f.Adverse
}

// AdverseAnswers returns the answers of it (an item of t) that are a problem
// in themselves, listed among a report's key findings: "yes" or "no" for a
// yes/no item, option ids for a choice or multichoice item. They are the
// item's own declaration; for a stored version of a built-in checklist that
// declares nothing itself, the built-in declaration of the item with the
// same id, where it fits the item (its answers are the item's). Nil: no
// answer of the item is a finding.
func (t *Template) AdverseAnswers(it *Item) []string {
	if it == nil {
		return nil
	}
	if len(it.Adverse) > 0 {
		return it.Adverse
	}
	known := t.knownFindings()[it.ID]
	if len(known) == 0 {
		return nil
	}
	c := *it
	c.Adverse = known
	if len(c.validateAdverse()) > 0 {
		return nil // the stored item is not the built-in one the declaration was written for
	}
	return known
}

// AssessesFindings reports whether reports can say which answers of t are
// findings: some item declares adverse answers (its own or, for a stored
// built-in version, the known ones). A checklist with yes/no or choice
// items that assesses none has its findings "not assessed", never "none".
func (t *Template) AssessesFindings() bool {
	for i := range t.Items {
		if len(t.AdverseAnswers(&t.Items[i])) > 0 {
			return true
		}
	}
	return false
}

// HasFindingItems reports whether t has yes/no, choice or multichoice items:
// the answers a report's key findings are drawn from.
func (t *Template) HasFindingItems() bool {
	for i := range t.Items {
		if it := &t.Items[i]; it.Type == TypeYesNo || it.HasOptions() {
			return true
		}
	}
	return false
}

// IsAdverse reports whether the answer v (as ParseValue returns it) of it
// is an adverse finding of t: a yes/no answer or a chosen option among
// AdverseAnswers. For a multichoice answer, whether any chosen option is.
func (t *Template) IsAdverse(it *Item, v any) bool {
	bad := t.AdverseAnswers(it)
	if len(bad) == 0 {
		return false
	}
	switch x := v.(type) {
	case bool:
		return contains(bad, map[bool]string{true: "yes", false: "no"}[x])
	case string:
		return it.Type == TypeChoice && contains(bad, x)
	case []string:
		for _, o := range x {
			if contains(bad, o) {
				return true
			}
		}
	case []any:
		for _, o := range x {
			if s, ok := o.(string); ok && contains(bad, s) {
				return true
			}
		}
	}
	return false
}

// DropKnownFindings clears the items' adverse answers of t, a template being
// read, when they are exactly the ones known for its built-in version (a
// workbook exported from a stored built-in version writes them): it then
// reads back into the very same checklist as the one stored. Any other
// declaration stays.
func DropKnownFindings(t *Template) {
	bare := *t
	bare.Items = make([]Item, len(t.Items))
	for i, it := range t.Items {
		it.Adverse = nil
		bare.Items[i] = it
	}
	if bare.knownFindings() == nil {
		return
	}
	for i := range t.Items {
		if !slices.Equal(bare.AdverseAnswers(&bare.Items[i]), t.Items[i].Adverse) {
			return
		}
	}
	for i := range t.Items {
		t.Items[i].Adverse = nil
	}
}
