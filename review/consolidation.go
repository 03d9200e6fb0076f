// Package review holds the coordinator's review rules and the reports' data
// rules, which are what the product means rather than how it is stored: when
// members' values agree (equal, or numbers within the item's tolerance),
// which value counts for a visit (the coordinator's decision, else the
// agreed one, else none: unresolved), what is still open before approval,
// and how indicators are summarised for a visit. The desk (server), the
// reports (report) and the demo share them; store only reads and writes the
// rows they work on, and schema.Indicator.Judge stays the one band judge.
package review

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"inspecta/schema"
	"inspecta/store"
)

// Statuses of one consolidated item (a checklist item in one location, or once
// for the visit).
const (
	ItemUnanswered = "unanswered" // no member recorded a value
	ItemAgreed     = "agreed"     // the members' values agree (equal, or numbers within the item's tolerance)
	ItemDecided    = "decided"    // the coordinator's consolidation holds the value
	ItemToResolve  = "to_resolve" // the members disagree and nobody has decided yet
	// ItemNotApplicable: the item's relevance condition fails on the place's
	// consolidated answers (Item.Relevant), so the question was not asked:
	// the members' values stay recorded and shown, but nothing counts for
	// the visit (no value, no disagreement to resolve, no indicator input).
	ItemNotApplicable = "not_applicable"
)

// Kinds of open items in a visit's "to resolve" queue.
const (
	OpenDisagreement = "disagreement" // members' values of one item disagree
	OpenConflict     = "conflict"     // a sync conflict (SYNC.md principle 4) not yet resolved
)

// MemberValue is one member's observation of one item, shown side by side with
// the others'.
type MemberValue struct {
	ObservationID string `json:"observation_id"`
	AuthorID      string `json:"author_id"`
	AuthorName    string `json:"author_name"`
	Value         any    `json:"value"`
	Note          string `json:"note"`
	Seq           int64  `json:"seq"`
	// Redacted: the value or note is withheld from this reader (visibility rule).
	Redacted bool `json:"redacted,omitempty"`
}

// Decision is the coordinator's consolidation of one item.
type Decision struct {
	ConsolidationID string `json:"consolidation_id"`
	Value           any    `json:"value"`
	Reason          string `json:"reason"`
	ObservationID   string `json:"observation_id"` // the member's value chosen, if any
	DecidedBy       string `json:"decided_by"`
	DecidedByName   string `json:"decided_by_name"`
	Seq             int64  `json:"seq"`
	Redacted        bool   `json:"redacted,omitempty"` // the reason is withheld from this reader
}

// ConsolidatedItem is one item of one location (or of the visit) with every
// member's value and the value that counts for the visit.
type ConsolidatedItem struct {
	Item       string `json:"item"`
	LocationID string `json:"location_id"` // "" for a visit-level item
	Status     string `json:"status"`      // ItemUnanswered, ItemAgreed, ItemDecided or ItemToResolve
	// Value is the consolidated value: the decision's, else the agreed one;
	// nil while unanswered or to resolve. For numbers within tolerance it is the
	// members' mean (rounded for integer items).
	Value    any           `json:"value"`
	Values   []MemberValue `json:"values"`
	Decision *Decision     `json:"decision,omitempty"`
	// ChangedSinceDecision: a member changed their value after the decision.
	ChangedSinceDecision bool `json:"changed_since_decision,omitempty"`
	// Redacted: the consolidated value is withheld from this reader.
	Redacted bool `json:"redacted,omitempty"`
}

// ScopeConsolidation is the consolidated items of the visit as a whole
// (LocationID "") or of one location, with the indicators computed from them.
type ScopeConsolidation struct {
	LocationID string                   `json:"location_id"`
	Label      string                   `json:"label"`
	Kind       string                   `json:"kind"`
	Items      []ConsolidatedItem       `json:"items"`
	Indicators []schema.IndicatorResult `json:"indicators"`
}

// IndicatorSummary is one indicator for the whole visit: a visit-scope
// indicator as evaluated, or a location-scope one aggregated over the
// locations it applied to with the indicator's own aggregate (min, max, sum,
// mean). Band is the aggregated value's band; WorstBand the worst band of
// any location.
type IndicatorSummary struct {
	schema.IndicatorResult
	Scope     string `json:"scope"`
	Aggregate string `json:"aggregate,omitempty"`
	Locations int    `json:"locations"` // how many locations it applied to (location scope)
	WorstBand string `json:"worst_band,omitempty"`
	// WorstBandLabel is WorstBand in words (schema.Indicator.BandLabels).
	WorstBandLabel schema.Text `json:"worst_band_label,omitempty"`
}

// OpenItem is one entry of the "to resolve" queue.
type OpenItem struct {
	Kind          string               `json:"kind"` // OpenDisagreement or OpenConflict
	Item          string               `json:"item,omitempty"`
	LocationID    string               `json:"location_id,omitempty"`
	LocationLabel string               `json:"location_label,omitempty"`
	Values        []MemberValue        `json:"values,omitempty"`   // a disagreement's values
	Conflict      *store.VisitConflict `json:"conflict,omitempty"` // a conflict's detail
	Message       string               `json:"message"`
	// Version is what a decision on a disagreement sends back as the version
	// the screen showed: the item's consolidation's sequence, 0 if none.
	Version int64 `json:"version"`
}

// VisitConsolidation is a visit's records merged into one: every item side by
// side, the consolidated values, the queue of what is left to resolve and the
// indicators computed from the consolidated values.
type VisitConsolidation struct {
	VisitID    string               `json:"visit_id"`
	Checklist  string               `json:"checklist"`
	Visit      ScopeConsolidation   `json:"visit"`
	Locations  []ScopeConsolidation `json:"locations"`
	Indicators []IndicatorSummary   `json:"indicators"`
	ToResolve  []OpenItem           `json:"to_resolve"`
}

// OpenItemMessages returns one plain sentence per open item, for an approval refusal.
func (vc *VisitConsolidation) OpenItemMessages() []string {
	out := make([]string, len(vc.ToResolve))
	for i, o := range vc.ToResolve {
		out[i] = o.Message
	}
	return out
}

// Value returns the consolidated value of item in locationID ("" for the visit).
func (vc *VisitConsolidation) Value(locationID, item string) (any, bool) {
	scopes := append([]ScopeConsolidation{vc.Visit}, vc.Locations...)
	for _, s := range scopes {
		if s.LocationID != locationID {
			continue
		}
		for _, it := range s.Items {
			if it.Item == item {
				return it.Value, it.Status == ItemAgreed || it.Status == ItemDecided
			}
		}
	}
	return nil, false
}

// ConsolidateVisit loads a visit's records and consolidates them against
// tmpl (the visit's checklist). It returns store.ErrNotFound for no live visit.
func ConsolidateVisit(tx *store.Tx, visitID string, tmpl *schema.Template) (*VisitConsolidation, error) {
	in, err := tx.LoadConsolidationInput(visitID, tmpl)
	if err != nil {
		return nil, err
	}
	return Consolidate(in), nil
}

// cellKey identifies one item of one location ("" for the visit).
type cellKey struct{ location, item string }

// Consolidate merges a visit's observations into one record: for every item
// of the template in every location (and once for visit-level items) it puts
// the members' values side by side and works out the consolidated value:
// the coordinator's consolidation if there is one; else, when the members who
// answered agree — equal values, or numbers no further apart than the item's
// tolerance — their value (the mean for numbers within tolerance); else the
// item joins the "to resolve" queue. Open sync conflicts join the queue too,
// except a conflict of a member's observation that a later consolidation of
// the same item has decided. Indicators are computed from consolidated values
// only: an item still to resolve counts as unanswered. It reads nothing but in.
func Consolidate(in *store.ConsolidationInput) *VisitConsolidation {
	tmpl := in.Template
	vc := &VisitConsolidation{VisitID: in.VisitID, Locations: []ScopeConsolidation{},
		Indicators: []IndicatorSummary{}, ToResolve: []OpenItem{}}
	if tmpl != nil {
		vc.Checklist = tmpl.Ref()
	}
	labels := map[string]string{}
	known := map[string]bool{"": true}
	for _, l := range in.Locations {
		labels[l.ID] = l.Label
		known[l.ID] = true
	}
	obs := map[cellKey][]MemberValue{}
	for _, o := range in.Observations {
		if !known[o.LocationID] {
			continue // a deleted location's observations no longer count
		}
		k := cellKey{o.LocationID, o.Item}
		obs[k] = append(obs[k], MemberValue{ObservationID: o.ID, AuthorID: o.AuthorID, AuthorName: o.AuthorName,
			Value: o.Value, Note: o.Note, Seq: o.Seq})
	}
	decisions := map[cellKey]*Decision{}
	for _, c := range in.Consolidations {
		decisions[cellKey{c.LocationID, c.Item}] = &Decision{ConsolidationID: c.ID, Value: c.Value, Reason: c.Reason,
			ObservationID: c.ObservationID, DecidedBy: c.DecidedBy, DecidedByName: c.DecidedByName, Seq: c.Seq}
	}

	// Which items are asked where, in template order; then anything recorded
	// against an item the template does not have, so that nothing is hidden.
	var visitItems, locationItems []string
	var byID map[string]*schema.Item
	if tmpl != nil {
		byID = make(map[string]*schema.Item, len(tmpl.Items))
		for i := range tmpl.Items {
			it := &tmpl.Items[i]
			byID[it.ID] = it
			if it.Scope == schema.ScopeVisit {
				visitItems = append(visitItems, it.ID)
			} else {
				locationItems = append(locationItems, it.ID)
			}
		}
	}
	extra := map[string][]string{}
	for k := range obs {
		if byID[k.item] == nil {
			extra[k.location] = append(extra[k.location], k.item)
		}
	}
	for k := range decisions {
		if byID[k.item] == nil && known[k.location] && obs[k] == nil {
			extra[k.location] = append(extra[k.location], k.item)
		}
	}

	build := func(locationID, label, kind string, items []string) ScopeConsolidation {
		more := extra[locationID]
		sort.Strings(more)
		sc := ScopeConsolidation{LocationID: locationID, Label: label, Kind: kind, Items: []ConsolidatedItem{}}
		values := map[string]any{}
		open := map[string]bool{}
		for _, id := range append(append([]string(nil), items...), more...) {
			k := cellKey{locationID, id}
			ci := consolidateItem(byID[id], id, locationID, obs[k], decisions[k])
			if ci.Status == ItemAgreed || ci.Status == ItemDecided {
				values[id] = ci.Value
			}
			open[id] = ci.Status == ItemToResolve
			sc.Items = append(sc.Items, ci)
		}
		notAsked := NotAsked(tmpl, values, open)
		for i := range sc.Items {
			ci := &sc.Items[i]
			if notAsked[ci.Item] {
				ci.Status, ci.Value = ItemNotApplicable, nil
				delete(values, ci.Item)
			}
			if ci.Status == ItemToResolve {
				vc.ToResolve = append(vc.ToResolve, disagreement(*ci, label, isPersonal(byID[ci.Item])))
			}
		}
		scope := schema.ScopeLocation
		if locationID == "" {
			scope = schema.ScopeVisit
		}
		sc.Indicators = []schema.IndicatorResult{}
		if kind != "" {
			values[schema.KindKey] = kind
		}
		if tmpl != nil {
			if res := tmpl.Evaluate(scope, values); res != nil {
				sc.Indicators = res
			}
		}
		return sc
	}
	vc.Visit = build("", "", "", visitItems)
	for _, l := range in.Locations {
		vc.Locations = append(vc.Locations, build(l.ID, l.Label, l.Kind, locationItems))
	}

	for i := range in.Conflicts {
		c := in.Conflicts[i]
		if c.RecordType == schema.RecordObservation {
			if d := decisions[cellKey{c.LocationID, c.Item}]; d != nil && d.Seq > c.OpSeq {
				continue // the coordinator decided the item after the conflict arose
			}
		}
		vc.ToResolve = append(vc.ToResolve, OpenItem{Kind: OpenConflict, Item: c.Item, LocationID: c.LocationID,
			LocationLabel: labels[c.LocationID], Conflict: &c, Message: conflictMessage(c, labels[c.LocationID], isPersonal(byID[c.Item]))})
	}
	if tmpl != nil {
		vc.Indicators = summarize(tmpl, vc)
	}
	return vc
}

// NotAsked lists the items of tmpl whose relevance condition fails on the
// consolidated answers of one place (or of the visit), keyed by item id, as
// the phone decides whether to show a question (Item.IsRelevant, the app's
// fieldrules.js): such a question was not asked there, whatever value a
// member recorded before the answer it depends on changed. An item whose
// condition reads an answer still open (members disagree, nobody decided:
// open) is not listed: whether it is asked is not known yet.
func NotAsked(tmpl *schema.Template, values map[string]any, open map[string]bool) map[string]bool {
	out := map[string]bool{}
	if tmpl == nil {
		return out
	}
	for i := range tmpl.Items {
		it := &tmpl.Items[i]
		if it.Relevant == nil || open[it.Relevant.Item] {
			continue
		}
		if !it.IsRelevant(values) {
			out[it.ID] = true
		}
	}
	return out
}

// consolidateItem works out one item's consolidated value and status.
func consolidateItem(it *schema.Item, itemID, locationID string, values []MemberValue, d *Decision) ConsolidatedItem {
	ci := ConsolidatedItem{Item: itemID, LocationID: locationID, Values: values, Decision: d}
	if ci.Values == nil {
		ci.Values = []MemberValue{}
	}
	if d != nil {
		ci.Status, ci.Value = ItemDecided, d.Value
		for _, v := range values {
			if v.Seq > d.Seq {
				ci.ChangedSinceDecision = true
			}
		}
		return ci
	}
	var answered []any
	for _, v := range values {
		if v.Value != nil {
			answered = append(answered, v.Value)
		}
	}
	if len(answered) == 0 {
		ci.Status = ItemUnanswered
		return ci
	}
	if v, ok := AgreedValue(it, answered); ok {
		ci.Status, ci.Value = ItemAgreed, v
		return ci
	}
	ci.Status = ItemToResolve
	return ci
}

// AgreedValue returns the value the members who answered agree on, if they
// do: for number and integer items, values no further apart than the item's
// tolerance agree and their mean is the value (rounded to a whole number for
// integer items); other answers agree when equal, texts whatever their
// spacing and letter case. Numbers come as float64 or int64.
func AgreedValue(it *schema.Item, answered []any) (any, bool) {
	if it != nil && it.Numeric() {
		nums := make([]float64, 0, len(answered))
		for _, a := range answered {
			f, ok := toFloat(a)
			if !ok {
				return nil, false
			}
			nums = append(nums, f)
		}
		lo, hi := nums[0], nums[0]
		var sum float64
		for _, f := range nums {
			lo, hi, sum = math.Min(lo, f), math.Max(hi, f), sum+f
		}
		if lo == hi {
			return lo, true
		}
		tol := 0.0
		if it.Tolerance != nil {
			tol = *it.Tolerance
		}
		// The epsilon absorbs binary fractions: 12.0 − 11.5 is within 0.5.
		if hi-lo > tol+1e-9 {
			return nil, false
		}
		mean := sum / float64(len(nums))
		if it.Type == schema.TypeInteger {
			return math.Round(mean), true
		}
		return math.Round(mean*1e6) / 1e6, true
	}
	first := answered[0]
	for _, a := range answered[1:] {
		if !sameAnswer(first, a) {
			return nil, false
		}
	}
	return first, true
}

// sameAnswer compares two non-numeric answers; texts that differ only in
// spacing or letter case are the same answer.
func sameAnswer(a, b any) bool {
	sa, okA := a.(string)
	sb, okB := b.(string)
	if okA && okB {
		return strings.EqualFold(strings.Join(strings.Fields(sa), " "), strings.Join(strings.Fields(sb), " "))
	}
	return reflect.DeepEqual(a, b)
}

// isPersonal reports whether it is a personal text item.
func isPersonal(it *schema.Item) bool { return it != nil && it.Personal }

// disagreement is the open item of members who disagree. Its message quotes
// their values only when the visibility rule calls them plain: the message
// is read wherever the queue is (approval refusals, the audit trail).
func disagreement(ci ConsolidatedItem, label string, personal bool) OpenItem {
	var shown []string
	for _, v := range ci.Values {
		if v.Value != nil && schema.FieldClass(string(schema.RecordObservation), "value", personal) != schema.ClassPlain {
			shown = append(shown, "values withheld: personal text")
			break
		}
		if v.Value != nil {
			name := v.AuthorName
			if name == "" {
				name = v.AuthorID
			}
			shown = append(shown, fmt.Sprintf("%s: %s", name, formatAnswer(v.Value)))
		}
	}
	where := "the visit"
	if ci.LocationID != "" {
		where = fmt.Sprintf("%q", label)
	}
	var version int64
	if ci.Decision != nil {
		version = ci.Decision.Seq
	}
	return OpenItem{Kind: OpenDisagreement, Item: ci.Item, LocationID: ci.LocationID, LocationLabel: label, Version: version,
		Values: ci.Values, Message: fmt.Sprintf("%s in %s: members disagree (%s)", ci.Item, where, strings.Join(shown, "; "))}
}

// conflictMessage describes a sync conflict, quoting the two values only
// when the visibility rule calls the field plain.
func conflictMessage(c store.VisitConflict, label string, personal bool) string {
	what := string(c.RecordType) + " field " + c.Field
	if c.Item != "" {
		what = c.Item
	}
	if label != "" {
		what += fmt.Sprintf(" in %q", label)
	}
	if schema.FieldClass(string(c.RecordType), c.Field, personal) != schema.ClassPlain {
		return fmt.Sprintf("%s: sync conflict between two texts (open the item to compare them)", what)
	}
	return fmt.Sprintf("%s: sync conflict between %s (kept) and %s (set aside)", what, c.WinnerValue, c.LoserValue)
}

func formatAnswer(v any) string {
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%g", x)
	case string:
		if len([]rune(x)) > 40 {
			x = string([]rune(x)[:40]) + "…"
		}
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

// bandRank orders bands from best to worst.
var bandRank = map[string]int{"": 0, schema.BandContext: 1, schema.BandGreen: 2, schema.BandAmber: 3, schema.BandRed: 4}

// summarize lists the visit's indicators: visit-scope ones as evaluated,
// location-scope ones aggregated over the locations they applied to.
func summarize(tmpl *schema.Template, vc *VisitConsolidation) []IndicatorSummary {
	out := []IndicatorSummary{}
	visitResults := map[string]schema.IndicatorResult{}
	for _, r := range vc.Visit.Indicators {
		visitResults[r.ID] = r
	}
	for i := range tmpl.Indicators {
		ind := &tmpl.Indicators[i]
		if ind.Scope == schema.ScopeVisit {
			r := visitResults[ind.ID]
			out = append(out, IndicatorSummary{IndicatorResult: r, Scope: ind.Scope, WorstBand: r.Band, WorstBandLabel: r.BandLabel})
			continue
		}
		s := IndicatorSummary{Scope: ind.Scope, Aggregate: ind.Aggregate, IndicatorResult: schema.IndicatorResult{
			ID: ind.ID, Threshold: ind.Threshold, Comparison: ind.Comparison, Source: ind.Source,
			Label: ind.Label, UnitLabel: ind.UnitLabel}}
		var vals []float64
		for _, loc := range vc.Locations {
			for _, r := range loc.Indicators {
				if r.ID != ind.ID || !r.Applicable {
					continue
				}
				s.Locations++
				s.Applicable = true
				if bandRank[r.Band] > bandRank[s.WorstBand] {
					s.WorstBand = r.Band
				}
				if r.Value != nil {
					vals = append(vals, *r.Value)
				}
			}
		}
		if v, ok := schema.Aggregate(ind.Aggregate, vals); ok {
			s.Value = &v
			s.Band = ind.Judge(v)
		} else if s.Applicable {
			s.Band = s.WorstBand // only zero-denominator findings: no value, but the finding stands
		}
		s.BandLabel = ind.BandLabels[s.Band]
		s.WorstBandLabel = ind.BandLabels[s.WorstBand]
		out = append(out, s)
	}
	return out
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}
