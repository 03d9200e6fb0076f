package review

import (
	"encoding/json"
	"reflect"
	"sort"
	"time"

	"inspecta/schema"
	"inspecta/store"
)

// The reports' data rules: which visits a report covers, and the value that
// counts for every (visit, location, item). The rows come from store, which
// reads what a report may print and nothing else.

// Sources of a consolidated value.
const (
	// ValueConsolidated is the coordinator's decision (a consolidations row).
	ValueConsolidated = "consolidated"
	// ValueAgreed is the members' common value: they recorded the same value,
	// or numbers no further apart than the item's tolerance (the mean is taken).
	ValueAgreed = "agreed"
	// ValueUnresolved is a disagreement no coordinator has decided yet: the
	// report shows it as unresolved and never picks one of the values.
	ValueUnresolved = "unresolved"
)

// ReportValue is the consolidated value of one (visit, location, item).
type ReportValue struct {
	VisitID    string
	LocationID string // "" for a visit-level item
	Item       string
	// Value is typed as schema.ParseValue returns it (float64, int64, bool or
	// string). It is nil when the item is unresolved, withheld, or answered
	// with no value.
	Value  any
	Source string // ValueConsolidated, ValueAgreed, ValueUnresolved; "" for a note with no value
	// Candidates, for an unresolved item that is not text, are the distinct
	// values the members recorded, in the order first recorded.
	Candidates []any
	// Withheld is a text that the template marks personal and no coordinator
	// cleared for publication: Value is nil and the text was not read.
	Withheld bool
	// Notes are the members' notes on this item that a coordinator cleared
	// for publication; uncleared notes are never read.
	Notes []string
}

// FacilityReportData is everything a facility report may print.
type FacilityReportData struct {
	Facility *store.Facility
	// Visits are the facility's submitted and approved visits in the period,
	// oldest first. Drafts are still being recorded and are left out.
	Visits []*store.ReportVisit
	// DraftVisits counts the drafts in the period that were left out.
	DraftVisits int
	// VisitStarted maps every live visit of the facility (in the period or not)
	// to its start, so that a recommendation's history can name its visits.
	VisitStarted map[string]time.Time
	// Locations by visit id, in natural order of their labels.
	Locations map[string][]*store.ReportLocation
	// Values by visit id: every (location, item) with an answer or a disagreement.
	Values map[string][]*ReportValue
	// Photos by visit id: only those a coordinator cleared for publication.
	Photos map[string][]*store.ReportPhoto
	// Obstructions by visit id: each refusal or delay of access, as recorded.
	Obstructions map[string][]*store.ReportObstruction
	// Interviews by visit id: counts only.
	Interviews map[string]*store.InterviewCounts
	// Recommendations of the facility made at a visit that started before the
	// period's end (or at no visit), oldest first, with their full history.
	Recommendations []*store.ReportRecommendation
}

// ReadFacilityReport reads what a report of facility id over period may
// print. It returns store.ErrNotFound when there is no live facility with
// that id.
func ReadFacilityReport(tx *store.Tx, id string, period store.ReportPeriod, resolve store.TemplateResolver) (*FacilityReportData, error) {
	f, err := tx.Facility(id)
	if err != nil {
		return nil, err
	}
	return facilityReport(tx, f, period, resolve)
}

// ReadRegionReport reads the report data of every live facility of region
// (an ISO 3166-2:KZ code), ordered by name. It returns store.ErrNotFound for
// an unknown region; a region with no facility gives an empty list.
func ReadRegionReport(tx *store.Tx, region string, period store.ReportPeriod, resolve store.TemplateResolver) ([]*FacilityReportData, error) {
	if _, ok := schema.RegionByCode(region); !ok {
		return nil, store.ErrNotFound
	}
	facilities, err := tx.Facilities(store.FacilityFilter{Region: region})
	if err != nil {
		return nil, err
	}
	out := make([]*FacilityReportData, 0, len(facilities))
	for _, f := range facilities {
		d, err := facilityReport(tx, f, period, resolve)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func facilityReport(tx *store.Tx, f *store.Facility, period store.ReportPeriod, resolve store.TemplateResolver) (*FacilityReportData, error) {
	d := &FacilityReportData{Facility: f, VisitStarted: map[string]time.Time{},
		Locations: map[string][]*store.ReportLocation{}, Values: map[string][]*ReportValue{}, Photos: map[string][]*store.ReportPhoto{},
		Obstructions: map[string][]*store.ReportObstruction{}, Interviews: map[string]*store.InterviewCounts{}}
	visits, err := tx.ReportVisits(f.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range visits {
		d.VisitStarted[v.ID] = v.Started
		if !period.Contains(v.Started) {
			continue
		}
		if v.Status == "draft" {
			d.DraftVisits++
			continue
		}
		d.Visits = append(d.Visits, v)
	}
	for _, v := range d.Visits {
		locs, err := tx.ReportLocations(v.ID)
		if err != nil {
			return nil, err
		}
		d.Locations[v.ID] = locs
		if d.Photos[v.ID], err = tx.ReportPhotos(v.ID); err != nil {
			return nil, err
		}
		live := map[string]bool{"": true}
		for _, l := range locs {
			live[l.ID] = true
		}
		observations, err := tx.ReportObservations(v.ID)
		if err != nil {
			return nil, err
		}
		consolidations, err := tx.ReportConsolidations(v.ID)
		if err != nil {
			return nil, err
		}
		d.Values[v.ID] = reportValues(v.ID, resolve(v.Checklist), live, observations, consolidations)
		if d.Obstructions[v.ID], err = tx.ReportObstructions(v.ID); err != nil {
			return nil, err
		}
		if d.Interviews[v.ID], err = tx.InterviewCounts(v.ID); err != nil {
			return nil, err
		}
	}
	if d.Recommendations, err = tx.ReportRecommendations(f.ID, period, d.VisitStarted); err != nil {
		return nil, err
	}
	if err := tx.WithholdUnclearedTexts(d.Locations, d.Recommendations); err != nil {
		return nil, err
	}
	return d, nil
}

// valueKey identifies one (location, item) of a visit.
type valueKey struct{ location, item string }

// memberValue is one member's observation as the consolidation rule sees it.
type memberValue struct {
	id        string
	value     any
	cleared   bool // its value is cleared for publication
	printable bool // as a text: nothing flags it, or it was cleared as it stands
	withheld  bool // as a text: a coordinator withheld it from the reports
}

// textWithheld reports whether a text answer of item it is kept out of a
// report: a personal one unless cleared for publication (cleared), any
// other unless it passed the publication check's free-text rule (printable).
func textWithheld(it *schema.Item, cleared, printable bool) bool {
	if it.Type != schema.TypeText {
		return false
	}
	if it.Personal {
		return !cleared
	}
	return !printable
}

// reportValues works out the consolidated value of every (location, item) of
// a visit, in template item order within each location:
//
//  1. a live consolidations row is the value, whatever the members recorded;
//  2. otherwise, when every member who answered recorded the same value — for
//     number and integer items, values no further apart than the item's
//     tolerance — the value is theirs: the mean for numbers (rounded to the
//     nearest whole number for integer items), the common value otherwise;
//  3. otherwise the item is unresolved: no value is chosen.
//
// Observations without a value (null) do not take part. A text item the
// template marks personal is withheld unless its value is cleared for
// publication (publication_clearances: the consolidation, the observation it
// chose, or one of the agreeing observations, field 'value'); a text item
// not personal is withheld when its text is flagged and not cleared as it
// stands (store's TextPrintable), as every printed free text is, and a text
// a coordinator withheld is withheld (on one member's record of a text the
// members agree on, from the agreed value). Rows of a
// deleted location or of an item the template does not have are left out.
func reportValues(visitID string, tmpl *schema.Template, liveLocations map[string]bool,
	observations []store.ReportObservation, consolidations []store.ReportConsolidation) []*ReportValue {
	out := map[valueKey]*ReportValue{}
	members := map[valueKey][]memberValue{}
	notes := map[valueKey][]string{}
	for _, o := range observations {
		k := valueKey{o.LocationID, o.Item}
		if !liveLocations[o.LocationID] {
			continue
		}
		if _, ok := tmpl.Item(o.Item); !ok {
			continue // an item of no template the report can label
		}
		if o.Note != "" {
			notes[k] = append(notes[k], o.Note)
		}
		v, ok := parseStoredValue(tmpl, o.Item, o.Value)
		if !ok || v == nil {
			continue
		}
		members[k] = append(members[k], memberValue{id: o.ID, value: v, cleared: o.ValueCleared, printable: o.TextPrintable, withheld: o.TextWithheld})
	}

	for _, c := range consolidations {
		it, known := tmpl.Item(c.Item)
		if !known || !liveLocations[c.LocationID] {
			continue
		}
		v, _ := parseStoredValue(tmpl, c.Item, c.Value)
		rv := &ReportValue{VisitID: visitID, LocationID: c.LocationID, Item: c.Item, Value: v, Source: ValueConsolidated}
		if v != nil && textWithheld(it, c.ValueCleared, c.TextPrintable) {
			rv.Value, rv.Withheld = nil, true
		}
		out[valueKey{c.LocationID, c.Item}] = rv
	}

	for k, ms := range members {
		if _, decided := out[k]; decided {
			continue
		}
		it, _ := tmpl.Item(k.item)
		rv := &ReportValue{VisitID: visitID, LocationID: k.location, Item: k.item}
		if v, ok := reportAgreedValue(it, ms); ok {
			rv.Source, rv.Value = ValueAgreed, v
			// The members agree on one text: cleared (or passed) on one of
			// their records, that very text was seen; withheld on one of
			// them, the coordinator does not want it printed.
			cleared, printable, withheld := false, false, false
			for _, m := range ms {
				cleared = cleared || m.cleared
				printable = printable || m.printable
				withheld = withheld || m.withheld
			}
			if textWithheld(it, cleared, printable) || withheld {
				rv.Value, rv.Withheld = nil, true
			}
		} else {
			rv.Source = ValueUnresolved
			if it.Type != schema.TypeText {
				for _, m := range ms {
					if !containsValue(rv.Candidates, m.value) {
						rv.Candidates = append(rv.Candidates, m.value)
					}
				}
			}
		}
		out[k] = rv
	}
	for k, ns := range notes {
		rv, ok := out[k]
		if !ok {
			rv = &ReportValue{VisitID: visitID, LocationID: k.location, Item: k.item} // a note, no value
			out[k] = rv
		}
		rv.Notes = ns
	}
	dropNotAsked(tmpl, out)

	order := map[string]int{}
	for i, it := range tmpl.Items {
		order[it.ID] = i
	}
	list := make([]*ReportValue, 0, len(out))
	for _, rv := range out {
		list = append(list, rv)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].LocationID != list[j].LocationID {
			return list[i].LocationID < list[j].LocationID
		}
		return order[list[i].Item] < order[list[j].Item]
	})
	return list
}

// dropNotAsked removes from out every (location, item) whose question was
// not asked there: its relevance condition fails on the consolidated values
// of the same place (NotAsked, the rule of the coordinator's screen). Its
// value, candidates and notes stay stored; a report prints none of them and
// no indicator reads them.
func dropNotAsked(tmpl *schema.Template, out map[valueKey]*ReportValue) {
	values := map[string]map[string]any{}
	open := map[string]map[string]bool{}
	for k, rv := range out {
		if values[k.location] == nil {
			values[k.location], open[k.location] = map[string]any{}, map[string]bool{}
		}
		switch {
		case rv.Source == ValueUnresolved:
			open[k.location][k.item] = true
		case rv.Value != nil:
			values[k.location][k.item] = rv.Value
		}
	}
	for location, vals := range values {
		for item := range NotAsked(tmpl, vals, open[location]) {
			delete(out, valueKey{location, item})
		}
	}
}

// parseStoredValue decodes a stored JSON value (nil: SQL NULL) with the
// template's item type. A value that no longer fits the template counts as
// no value.
func parseStoredValue(tmpl *schema.Template, item string, raw json.RawMessage) (any, bool) {
	if raw == nil {
		return nil, true
	}
	v, err := tmpl.ParseValue(item, raw)
	if err != nil {
		return nil, false
	}
	return v, true
}

// reportAgreedValue returns the members' common value, or false when they
// differ, by the rule of the coordinator's screen (AgreedValue); a whole
// number comes back as int64, as ParseValue gives it.
func reportAgreedValue(it *schema.Item, ms []memberValue) (any, bool) {
	if len(ms) == 0 {
		return nil, false
	}
	answered := make([]any, len(ms))
	for i, m := range ms {
		answered[i] = m.value
	}
	v, ok := AgreedValue(it, answered)
	if f, isFloat := v.(float64); ok && isFloat && it.Type == schema.TypeInteger {
		return int64(f), true
	}
	return v, ok
}

// containsValue compares by content: a multichoice answer is a list, which
// == cannot compare (it panics).
func containsValue(list []any, v any) bool {
	for _, x := range list {
		if reflect.DeepEqual(x, v) {
			return true
		}
	}
	return false
}
