package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"inspecta/schema"
)

// This file holds the read queries behind the reports. They read what a
// report may print and nothing else: never confidential_notes, never an
// observation note or a personal text value that a coordinator has not
// cleared for publication (the uncleared text does not leave SQLite).

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

// ReportVisit is a visit as a report shows it.
type ReportVisit struct {
	ID                     string
	FacilityID             string
	Kind                   string // regular, special, follow_up
	StartedAt              string // RFC 3339 as stored; "" when not recorded
	EndedAt                string
	Started                time.Time // StartedAt parsed; zero when not recorded
	TeamSize               int       // number of NPM members on the team (len(team))
	Announced              bool
	OmbudspersonRepPresent bool
	AccessRefused          bool   // the visit's yes/no flag of protocol 1.0 (Obstructions replace it)
	ArrivedAt              string // when the team arrived at the gate (RFC 3339); "" when not recorded
	AdmittedAt             string // when it was let in
	TeamSizeEntered        *int64 // NPM members who entered; nil when not recorded
	RepInInterviews        string // "", yes, no, no_interviews
	Status                 string // draft, submitted, approved
	Checklist              string // template reference, e.g. "kz-npm-default@1"
	Demo                   bool
}

// ReportLocation is a place inside a visited facility.
type ReportLocation struct {
	ID      string
	VisitID string
	Label   string
	Kind    string
	// LabelWithheld: the label looked like it names a person and no
	// coordinator cleared it (schema.FlagPersonalData); Label is "№ n".
	LabelWithheld bool
}

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

// ReportRecommendation is a recommendation with its status history.
type ReportRecommendation struct {
	ID             string
	FacilityID     string
	VisitID        string // the visit where it was made; "" if none
	Text           string
	TextWithheld   bool // flagged and not cleared: Text is ""
	Category       string
	Addressee      string
	Status         string // current status
	CheckedVisitID string
	History        []RecommendationStatus // oldest first
}

// RecommendationStatus is one entry of a recommendation's status history.
type RecommendationStatus struct {
	Status    string
	VisitID   string // the visit where the status was checked; "" if none
	ChangedAt string // server time of the change, as stored
}

// ReportPeriod limits a report to visits that started within [From, To).
// A zero bound is open.
type ReportPeriod struct {
	From, To time.Time
}

// Contains reports whether a visit that started at t falls within the period.
// A visit with no start time falls only within an unbounded period.
func (p ReportPeriod) Contains(t time.Time) bool {
	if t.IsZero() {
		return p.From.IsZero() && p.To.IsZero()
	}
	return (p.From.IsZero() || !t.Before(p.From)) && (p.To.IsZero() || t.Before(p.To))
}

// TemplateResolver returns the checklist template of a visit's reference; it
// must return the default template for a reference it does not know.
type TemplateResolver func(ref string) *schema.Template

// FacilityReportData is everything a facility report may print.
type FacilityReportData struct {
	Facility *Facility
	// Visits are the facility's submitted and approved visits in the period,
	// oldest first. Drafts are still being recorded and are left out.
	Visits []*ReportVisit
	// DraftVisits counts the drafts in the period that were left out.
	DraftVisits int
	// VisitStarted maps every live visit of the facility (in the period or not)
	// to its start, so that a recommendation's history can name its visits.
	VisitStarted map[string]time.Time
	// Locations by visit id, in natural order of their labels.
	Locations map[string][]*ReportLocation
	// Values by visit id: every (location, item) with an answer or a disagreement.
	Values map[string][]*ReportValue
	// Photos by visit id: only those a coordinator cleared for publication.
	Photos map[string][]*ReportPhoto
	// Obstructions by visit id: each refusal or delay of access, as recorded.
	Obstructions map[string][]*ReportObstruction
	// Interviews by visit id: counts only.
	Interviews map[string]*InterviewCounts
	// Recommendations of the facility made at a visit that started before the
	// period's end (or at no visit), oldest first, with their full history.
	Recommendations []*ReportRecommendation
}

// FacilityReportData reads what a report of facility id over period may
// print. It returns ErrNotFound when there is no live facility with that id.
func (tx *Tx) FacilityReportData(id string, period ReportPeriod, resolve TemplateResolver) (*FacilityReportData, error) {
	f, err := tx.Facility(id)
	if err != nil {
		return nil, err
	}
	return tx.facilityReportData(f, period, resolve)
}

// RegionReportData reads the report data of every live facility of region
// (an ISO 3166-2:KZ code), ordered by name. It returns ErrNotFound for an
// unknown region; a region with no facility gives an empty list.
func (tx *Tx) RegionReportData(region string, period ReportPeriod, resolve TemplateResolver) ([]*FacilityReportData, error) {
	if _, ok := schema.RegionByCode(region); !ok {
		return nil, ErrNotFound
	}
	facilities, err := tx.Facilities(FacilityFilter{Region: region})
	if err != nil {
		return nil, err
	}
	out := make([]*FacilityReportData, 0, len(facilities))
	for _, f := range facilities {
		d, err := tx.facilityReportData(f, period, resolve)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (tx *Tx) facilityReportData(f *Facility, period ReportPeriod, resolve TemplateResolver) (*FacilityReportData, error) {
	d := &FacilityReportData{Facility: f, VisitStarted: map[string]time.Time{},
		Locations: map[string][]*ReportLocation{}, Values: map[string][]*ReportValue{}, Photos: map[string][]*ReportPhoto{},
		Obstructions: map[string][]*ReportObstruction{}, Interviews: map[string]*InterviewCounts{}}
	visits, err := tx.reportVisits(f.ID)
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
		locs, err := tx.reportLocations(v.ID)
		if err != nil {
			return nil, err
		}
		d.Locations[v.ID] = locs
		if d.Photos[v.ID], err = tx.reportPhotos(v.ID); err != nil {
			return nil, err
		}
		live := map[string]bool{"": true}
		for _, l := range locs {
			live[l.ID] = true
		}
		vals, err := tx.reportValues(v.ID, resolve(v.Checklist), live)
		if err != nil {
			return nil, err
		}
		d.Values[v.ID] = vals
		if d.Obstructions[v.ID], err = tx.reportObstructions(v.ID); err != nil {
			return nil, err
		}
		if d.Interviews[v.ID], err = tx.interviewCounts(v.ID); err != nil {
			return nil, err
		}
	}
	if d.Recommendations, err = tx.reportRecommendations(f.ID, period, d.VisitStarted); err != nil {
		return nil, err
	}
	if err := tx.withholdUnclearedTexts(d); err != nil {
		return nil, err
	}
	return d, nil
}

// reportVisits lists the live visits of a facility, oldest first (visits
// with no start time last).
func (tx *Tx) reportVisits(facilityID string) ([]*ReportVisit, error) {
	rows, err := tx.Query(`SELECT id, facility_id, kind, announced, COALESCE(started_at, ''), COALESCE(ended_at, ''), team,
		ombudsperson_rep_present, access_refused, status, checklist, demo,
		COALESCE(arrived_at, ''), COALESCE(admitted_at, ''), team_size, rep_in_interviews
		FROM visits WHERE facility_id = ? AND deleted = 0`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("report visits: %w", err)
	}
	defer rows.Close()
	var out []*ReportVisit
	for rows.Next() {
		var v ReportVisit
		var team string
		if err := rows.Scan(&v.ID, &v.FacilityID, &v.Kind, &v.Announced, &v.StartedAt, &v.EndedAt, &team,
			&v.OmbudspersonRepPresent, &v.AccessRefused, &v.Status, &v.Checklist, &v.Demo,
			&v.ArrivedAt, &v.AdmittedAt, &v.TeamSizeEntered, &v.RepInInterviews); err != nil {
			return nil, fmt.Errorf("report visits: %w", err)
		}
		var ids []string
		if json.Unmarshal([]byte(team), &ids) == nil {
			v.TeamSize = len(ids)
		}
		if v.StartedAt != "" {
			if t, err := time.Parse(time.RFC3339Nano, v.StartedAt); err == nil {
				v.Started = t
			}
		}
		out = append(out, &v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report visits: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Started, out[j].Started
		switch {
		case a.IsZero() != b.IsZero():
			return b.IsZero()
		case !a.Equal(b):
			return a.Before(b)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func (tx *Tx) reportLocations(visitID string) ([]*ReportLocation, error) {
	rows, err := tx.Query(`SELECT id, visit_id, label, kind FROM locations WHERE visit_id = ? AND deleted = 0`, visitID)
	if err != nil {
		return nil, fmt.Errorf("report locations: %w", err)
	}
	defer rows.Close()
	var out []*ReportLocation
	for rows.Next() {
		var l ReportLocation
		if err := rows.Scan(&l.ID, &l.VisitID, &l.Label, &l.Kind); err != nil {
			return nil, fmt.Errorf("report locations: %w", err)
		}
		out = append(out, &l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report locations: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := NaturalCompare(out[i].Label, out[j].Label); c != 0 {
			return c < 0
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// valueKey identifies one (location, item) of a visit.
type valueKey struct{ location, item string }

// memberValue is one member's observation as the consolidation rule sees it.
type memberValue struct {
	id      string
	value   any
	cleared bool // its value is cleared for publication
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
// chose, or one of the agreeing observations, field 'value').
func (tx *Tx) reportValues(visitID string, tmpl *schema.Template, liveLocations map[string]bool) ([]*ReportValue, error) {
	out := map[valueKey]*ReportValue{}
	members := map[valueKey][]memberValue{}
	notes := map[valueKey][]string{}
	noteIDs := map[valueKey][]string{} // the observation of each note

	rows, err := tx.Query(`SELECT o.id, o.location_id, o.item, o.value,
		CASE WHEN EXISTS (SELECT 1 FROM publication_clearances pc
			WHERE pc.record_type = 'observation' AND pc.record_id = o.id AND pc.field = 'note') THEN o.note ELSE '' END,
		EXISTS (SELECT 1 FROM publication_clearances pc
			WHERE pc.record_type = 'observation' AND pc.record_id = o.id AND pc.field = 'value')
		FROM observations o WHERE o.visit_id = ? AND o.deleted = 0 ORDER BY o.id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("report observations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, loc, item, note string
		var raw sql.NullString
		var cleared bool
		if err := rows.Scan(&id, &loc, &item, &raw, &note, &cleared); err != nil {
			return nil, fmt.Errorf("report observations: %w", err)
		}
		k := valueKey{loc, item}
		if !liveLocations[loc] {
			continue
		}
		if _, ok := tmpl.Item(item); !ok {
			continue // an item of no template the report can label
		}
		if strings.TrimSpace(note) != "" {
			notes[k] = append(notes[k], strings.TrimSpace(note))
			noteIDs[k] = append(noteIDs[k], id)
		}
		v, ok := parseStoredValue(tmpl, item, raw)
		if !ok || v == nil {
			continue
		}
		members[k] = append(members[k], memberValue{id: id, value: v, cleared: cleared})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report observations: %w", err)
	}
	rows.Close()
	// A note cleared for publication is still checked as a report's free
	// text: flagged, it is printed only once that very text is cleared.
	for k, ns := range notes {
		var kept []string
		for i, n := range ns {
			ok, _, _, err := tx.textPrintable(schema.RecordObservation, noteIDs[k][i], "note", n)
			if err != nil {
				return nil, err
			}
			if ok {
				kept = append(kept, n)
			}
		}
		if kept == nil {
			delete(notes, k)
		} else {
			notes[k] = kept
		}
	}

	crows, err := tx.Query(`SELECT c.location_id, c.item, c.value,
		EXISTS (SELECT 1 FROM publication_clearances pc WHERE pc.field = 'value' AND
			((pc.record_type = 'consolidation' AND pc.record_id = c.id) OR
			 (pc.record_type = 'observation' AND pc.record_id = c.observation_id AND c.observation_id != '')))
		FROM consolidations c WHERE c.visit_id = ? AND c.deleted = 0`, visitID)
	if err != nil {
		return nil, fmt.Errorf("report consolidations: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var loc, item string
		var raw sql.NullString
		var cleared bool
		if err := crows.Scan(&loc, &item, &raw, &cleared); err != nil {
			return nil, fmt.Errorf("report consolidations: %w", err)
		}
		it, known := tmpl.Item(item)
		if !known || !liveLocations[loc] {
			continue
		}
		v, _ := parseStoredValue(tmpl, item, raw)
		rv := &ReportValue{VisitID: visitID, LocationID: loc, Item: item, Value: v, Source: ValueConsolidated}
		if v != nil && it.Type == schema.TypeText && it.Personal && !cleared {
			rv.Value, rv.Withheld = nil, true
		}
		out[valueKey{loc, item}] = rv
	}
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("report consolidations: %w", err)
	}

	for k, ms := range members {
		if _, decided := out[k]; decided {
			continue
		}
		it, _ := tmpl.Item(k.item)
		rv := &ReportValue{VisitID: visitID, LocationID: k.location, Item: k.item}
		if v, ok := reportAgreedValue(it, ms); ok {
			rv.Source, rv.Value = ValueAgreed, v
			if it.Type == schema.TypeText && it.Personal {
				cleared := false
				for _, m := range ms {
					cleared = cleared || m.cleared
				}
				if !cleared {
					rv.Value, rv.Withheld = nil, true
				}
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
	return list, nil
}

// parseStoredValue decodes a stored JSON value with the template's item type.
// A value that no longer fits the template counts as no value.
func parseStoredValue(tmpl *schema.Template, item string, raw sql.NullString) (any, bool) {
	if !raw.Valid {
		return nil, true
	}
	v, err := tmpl.ParseValue(item, json.RawMessage(raw.String))
	if err != nil {
		return nil, false
	}
	return v, true
}

// reportAgreedValue returns the members' common value, or false when they
// differ, by the rule of the coordinator's screen (agreedValue); a whole
// number comes back as int64, as ParseValue gives it.
func reportAgreedValue(it *schema.Item, ms []memberValue) (any, bool) {
	if len(ms) == 0 {
		return nil, false
	}
	answered := make([]any, len(ms))
	for i, m := range ms {
		answered[i] = m.value
	}
	v, ok := agreedValue(it, answered)
	if f, isFloat := v.(float64); ok && isFloat && it.Type == schema.TypeInteger {
		return int64(f), true
	}
	return v, ok
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

func containsValue(list []any, v any) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// reportRecommendations lists the facility's live recommendations made at a
// visit that started before the period's end (or at no known visit), with
// their status history.
func (tx *Tx) reportRecommendations(facilityID string, period ReportPeriod, started map[string]time.Time) ([]*ReportRecommendation, error) {
	rows, err := tx.Query(`SELECT id, facility_id, visit_id, text, category, addressee, status, checked_visit_id
		FROM recommendations WHERE facility_id = ? AND deleted = 0 ORDER BY id`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("report recommendations: %w", err)
	}
	defer rows.Close()
	var out []*ReportRecommendation
	byID := map[string]*ReportRecommendation{}
	for rows.Next() {
		var r ReportRecommendation
		if err := rows.Scan(&r.ID, &r.FacilityID, &r.VisitID, &r.Text, &r.Category, &r.Addressee, &r.Status, &r.CheckedVisitID); err != nil {
			return nil, fmt.Errorf("report recommendations: %w", err)
		}
		if t := started[r.VisitID]; !period.To.IsZero() && !t.IsZero() && !t.Before(period.To) {
			continue // made after the period
		}
		out = append(out, &r)
		byID[r.ID] = &r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report recommendations: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	hrows, err := tx.Query(`SELECT h.recommendation_id, h.status, h.visit_id, h.changed_at
		FROM recommendation_status_history h JOIN recommendations r ON r.id = h.recommendation_id
		WHERE r.facility_id = ? ORDER BY h.id`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("report recommendation history: %w", err)
	}
	defer hrows.Close()
	for hrows.Next() {
		var id string
		var h RecommendationStatus
		if err := hrows.Scan(&id, &h.Status, &h.VisitID, &h.ChangedAt); err != nil {
			return nil, fmt.Errorf("report recommendation history: %w", err)
		}
		if r := byID[id]; r != nil {
			// A row that repeats the previous status at the same visit adds
			// nothing; a re-check at a later visit is kept, as it dates the follow-up.
			if n := len(r.History); n > 0 && r.History[n-1].Status == h.Status && r.History[n-1].VisitID == h.VisitID {
				continue
			}
			r.History = append(r.History, h)
		}
	}
	if err := hrows.Err(); err != nil {
		return nil, fmt.Errorf("report recommendation history: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := started[out[i].VisitID], started[out[j].VisitID]
		if !a.Equal(b) {
			return a.Before(b)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// NaturalCompare compares two labels so that "Cell 2" comes before "Cell 10":
// runs of digits compare by value, the rest by case-folded text.
func NaturalCompare(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	i, j := 0, 0
	for i < len(ra) && j < len(rb) {
		if unicode.IsDigit(ra[i]) && unicode.IsDigit(rb[j]) {
			si := i
			for i < len(ra) && unicode.IsDigit(ra[i]) {
				i++
			}
			sj := j
			for j < len(rb) && unicode.IsDigit(rb[j]) {
				j++
			}
			na := strings.TrimLeft(string(ra[si:i]), "0")
			nb := strings.TrimLeft(string(rb[sj:j]), "0")
			if len(na) != len(nb) {
				return cmpInt(len(na), len(nb))
			}
			if na != nb {
				return strings.Compare(na, nb)
			}
			continue
		}
		ca, cb := unicode.ToLower(ra[i]), unicode.ToLower(rb[j])
		if ca != cb {
			return cmpInt(int(ca), int(cb))
		}
		i++
		j++
	}
	return cmpInt(len(ra)-i, len(rb)-j)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ReportPhoto is a photo a report may print: cleared by a coordinator (no
// person identifiable), received, not deleted, not of a confidential note.
type ReportPhoto struct {
	ID, LocationID, TakenAt string
	Caption                 string // "" when it looks like it names a person (schema.FlagPersonalData)
	StoredSHA256            string // the file in the blobs folder
	ContentType             string
	Width, Height           int
}

// reportPhotos lists the cleared photos of a visit, by place and time taken.
func (tx *Tx) reportPhotos(visitID string) ([]*ReportPhoto, error) {
	rows, err := tx.Query(`SELECT p.id, p.location_id, p.taken_at, p.caption, b.stored_sha256, b.content_type, b.width, b.height
		FROM photos p JOIN photo_blobs b ON b.sha256 = p.sha256
		WHERE p.visit_id = ? AND p.may_publish = 1 AND p.deleted_at = '' AND p.received_at <> '' AND p.note_id = ''
		ORDER BY p.location_id, p.taken_at, p.id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("report photos: %w", err)
	}
	defer rows.Close()
	var out []*ReportPhoto
	for rows.Next() {
		var p ReportPhoto
		if err := rows.Scan(&p.ID, &p.LocationID, &p.TakenAt, &p.Caption, &p.StoredSHA256, &p.ContentType, &p.Width, &p.Height); err != nil {
			return nil, fmt.Errorf("report photos: %w", err)
		}
		if len(schema.FlagPersonalData(p.Caption)) > 0 {
			p.Caption = ""
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}
