package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"inspecta/schema"
)

// This file holds the read queries behind the reports (the rules that make
// the report's values of these rows are package review's). They read what a
// report may print and nothing else: never confidential_notes, never an
// observation note that a coordinator has not cleared for publication (the
// uncleared note does not leave SQLite).

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

	// AnnouncedUnknown, RepPresentUnknown: Announced, OmbudspersonRepPresent
	// were never written (no field version): their false is the column's
	// default, not an answer.
	AnnouncedUnknown, RepPresentUnknown bool
	// AccessRefusedUnknown: AccessRefused was never written (a client that
	// records obstructions instead never sets it).
	AccessRefusedUnknown bool
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

// ReportRecommendation is a recommendation with its status history.
type ReportRecommendation struct {
	ID           string
	FacilityID   string
	VisitID      string // the visit where it was made; "" if none
	Text         string
	TextWithheld bool // flagged and not cleared: Text is ""
	Category     string
	Addressee    string
	// CategoryWithheld, AddresseeWithheld: flagged and not cleared; the
	// field is "".
	CategoryWithheld, AddresseeWithheld bool
	Status                              string // current status
	CheckedVisitID                      string
	History                             []RecommendationStatus // oldest first
	// VisitApproved: the visit where it was made is approved. A
	// recommendation made at no visit was recorded by the region's
	// coordinator (only they may record one outside a visit), who approves
	// visits: it counts as approved.
	VisitApproved bool
}

// RecommendationStatus is one entry of a recommendation's status history.
type RecommendationStatus struct {
	Status    string
	VisitID   string // the visit where the status was checked; "" if none
	ChangedAt string // server time of the change, as stored
	// VisitApproved: the status was recorded at an approved visit, or at
	// none (by the coordinator, at the desk).
	VisitApproved bool
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

// ReportVisits lists the live visits of a facility, oldest first (visits
// with no start time last).
func (tx *Tx) ReportVisits(facilityID string) ([]*ReportVisit, error) {
	rows, err := tx.Query(`SELECT id, facility_id, kind, announced, COALESCE(started_at, ''), COALESCE(ended_at, ''), team,
		ombudsperson_rep_present, access_refused, status, checklist, demo,
		COALESCE(arrived_at, ''), COALESCE(admitted_at, ''), team_size, rep_in_interviews,
		COALESCE((SELECT versions FROM record_index ri WHERE ri.type = 'visit' AND ri.id_key = `+uuidKeySQL("visits.id")+`), ''),
		COALESCE((SELECT versions_node FROM record_index ri WHERE ri.type = 'visit' AND ri.id_key = `+uuidKeySQL("visits.id")+`), ''),
		COALESCE((SELECT seq FROM record_index ri WHERE ri.type = 'visit' AND ri.id_key = `+uuidKeySQL("visits.id")+`), 0)
		FROM visits WHERE facility_id = ? AND deleted = 0`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("report visits: %w", err)
	}
	defer rows.Close()
	var out []*ReportVisit
	for rows.Next() {
		var v ReportVisit
		var team, versions, node string
		var seq int64
		if err := rows.Scan(&v.ID, &v.FacilityID, &v.Kind, &v.Announced, &v.StartedAt, &v.EndedAt, &team,
			&v.OmbudspersonRepPresent, &v.AccessRefused, &v.Status, &v.Checklist, &v.Demo,
			&v.ArrivedAt, &v.AdmittedAt, &v.TeamSizeEntered, &v.RepInInterviews, &versions, &node, &seq); err != nil {
			return nil, fmt.Errorf("report visits: %w", err)
		}
		unset, err := unsetFields(versions, node, seq, VisitYesNoFields...)
		if err != nil {
			return nil, fmt.Errorf("report visit %s: %w", v.ID, err)
		}
		v.AnnouncedUnknown, v.RepPresentUnknown = slices.Contains(unset, "announced"), slices.Contains(unset, "ombudsperson_rep_present")
		v.AccessRefusedUnknown = slices.Contains(unset, "access_refused")
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

// ReportLocations lists the live locations of a visit in natural order of
// their labels.
func (tx *Tx) ReportLocations(visitID string) ([]*ReportLocation, error) {
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

// ReportObservation is one live observation of a visit as a report may read it.
type ReportObservation struct {
	ID, LocationID, Item string
	// Value is the stored JSON value; nil when the observation has none.
	Value json.RawMessage
	// ValueCleared: its value is cleared for publication.
	ValueCleared bool
	// TextPrintable: its value is no text, or a text that nothing flags
	// (schema.FlagPersonalData) or that a coordinator cleared as it stands:
	// a text answer of an item not personal is printed only then.
	TextPrintable bool
	// TextWithheld: a coordinator withheld its text answer from the reports
	// (Tx.WithholdText): a value the members agree on is then not printed,
	// though another member's record of the same text is not withheld.
	TextWithheld bool
	// Note is the member's note, trimmed, when a coordinator cleared it for
	// publication and the report may print it (a flagged note only once that
	// very text is cleared); "" otherwise, and an uncleared note is not read.
	Note string
}

// ReportObservations reads the live observations of a visit, by id.
func (tx *Tx) ReportObservations(visitID string) ([]ReportObservation, error) {
	rows, err := tx.Query(`SELECT o.id, o.location_id, o.item, o.value,
		CASE WHEN EXISTS (SELECT 1 FROM publication_clearances pc
			WHERE pc.record_type = 'observation' AND pc.record_id = o.id AND pc.field = 'note') THEN o.note ELSE '' END,
		EXISTS (SELECT 1 FROM publication_clearances pc
			WHERE pc.record_type = 'observation' AND pc.record_id = o.id AND pc.field = 'value')
		FROM observations o WHERE o.visit_key = +? AND o.deleted = 0 ORDER BY o.id`, IDKey(visitID))
	if err != nil {
		return nil, fmt.Errorf("report observations: %w", err)
	}
	defer rows.Close()
	var out []ReportObservation
	for rows.Next() {
		var o ReportObservation
		var raw sql.NullString
		if err := rows.Scan(&o.ID, &o.LocationID, &o.Item, &raw, &o.Note, &o.ValueCleared); err != nil {
			return nil, fmt.Errorf("report observations: %w", err)
		}
		if raw.Valid {
			o.Value = json.RawMessage(raw.String)
		}
		o.Note = strings.TrimSpace(o.Note)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report observations: %w", err)
	}
	rows.Close()
	// A note cleared for publication is still checked as a report's free
	// text: flagged, it is printed only once that very text is cleared.
	for i := range out {
		if out[i].Note == "" {
			continue
		}
		c, err := tx.textPrintable(schema.RecordObservation, out[i].ID, "note", out[i].Note)
		if err != nil {
			return nil, err
		}
		if !c.Printed {
			out[i].Note = ""
		}
	}
	// So is a text answer cleared for publication, or of an item not
	// personal: the publication check lists it, and flagged it is withheld
	// until that very text is cleared.
	for i := range out {
		c, err := tx.clearedAnswerPrintable(schema.RecordObservation, out[i].ID, out[i].Value)
		if err != nil {
			return nil, err
		}
		out[i].TextPrintable, out[i].TextWithheld = c.Printed, c.Withheld
		out[i].ValueCleared = out[i].ValueCleared && c.Printed
	}
	return out, nil
}

// clearedAnswerPrintable judges whether an answer cleared for publication
// may be printed: a text answer as the publication check lists it (flagged, only
// once that very text is cleared; withheld, never); any other value as it is.
func (tx *Tx) clearedAnswerPrintable(typ schema.RecordType, id string, value json.RawMessage) (textCheck, error) {
	var text string
	if json.Unmarshal(value, &text) != nil || text == "" {
		return textCheck{Printed: true}, nil
	}
	return tx.textPrintable(typ, id, "value", text)
}

// ReportConsolidation is one live consolidation of a visit as a report reads it.
type ReportConsolidation struct {
	ID, LocationID, Item string
	// Value is the stored JSON value; nil when it has none.
	Value json.RawMessage
	// ValueCleared: its value, or the value of the observation it chose, is
	// cleared for publication.
	ValueCleared bool
	// TextPrintable as ReportObservation's, for the consolidation's own text.
	TextPrintable bool
}

// ReportConsolidations reads the live consolidations of a visit.
func (tx *Tx) ReportConsolidations(visitID string) ([]ReportConsolidation, error) {
	rows, err := tx.Query(`SELECT c.id, c.location_id, c.item, c.value, `+consolidationValueCleared+`
		FROM consolidations c WHERE c.visit_id = ? AND c.deleted = 0`, visitID)
	if err != nil {
		return nil, fmt.Errorf("report consolidations: %w", err)
	}
	defer rows.Close()
	var out []ReportConsolidation
	for rows.Next() {
		var c ReportConsolidation
		var raw sql.NullString
		if err := rows.Scan(&c.ID, &c.LocationID, &c.Item, &raw, &c.ValueCleared); err != nil {
			return nil, fmt.Errorf("report consolidations: %w", err)
		}
		if raw.Valid {
			c.Value = json.RawMessage(raw.String)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report consolidations: %w", err)
	}
	rows.Close()
	// A consolidated text answer cleared for publication (or of an item not
	// personal) is on the check as the consolidation's own text: flagged, it
	// is printed once cleared there.
	for i := range out {
		c, err := tx.clearedAnswerPrintable(schema.RecordConsolidation, out[i].ID, out[i].Value)
		if err != nil {
			return nil, err
		}
		out[i].TextPrintable = c.Printed
		out[i].ValueCleared = out[i].ValueCleared && c.Printed
	}
	return out, nil
}

// consolidationValueCleared is true for a consolidation c whose value is
// cleared for publication: itself, or the observation it chose.
const consolidationValueCleared = `EXISTS (SELECT 1 FROM publication_clearances pc WHERE pc.field = 'value' AND
	((pc.record_type = 'consolidation' AND pc.record_id = c.id) OR
	 (pc.record_type = 'observation' AND pc.record_id = c.observation_id AND c.observation_id != '')))`

// ReportRecommendations lists the facility's live recommendations made at a
// visit that started before the period's end (or at no visit), with their
// status history, oldest first. What a report may not print is left out: a
// recommendation made at a draft or deleted visit, and a status recorded at
// one (the current status is then the last status kept). Recommendations and
// statuses of visits submitted but not approved are kept, marked
// VisitApproved false: ApprovedRecommendations drops them for a report of
// approved visits only.
func (tx *Tx) ReportRecommendations(facilityID string, period ReportPeriod, started map[string]time.Time) ([]*ReportRecommendation, error) {
	visitStatus, err := tx.reportVisitStatuses(facilityID)
	if err != nil {
		return nil, err
	}
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
		shown, approved := recommendationVisit(visitStatus, r.VisitID)
		if !shown {
			continue // made at a draft or deleted visit
		}
		if t := started[r.VisitID]; !period.To.IsZero() && !t.IsZero() && !t.Before(period.To) {
			continue // made after the period
		}
		r.VisitApproved = approved
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
		WHERE r.facility_id = ? AND r.deleted = 0 ORDER BY h.id`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("report recommendation history: %w", err)
	}
	defer hrows.Close()
	dropped := map[string]bool{}
	for hrows.Next() {
		var id string
		var h RecommendationStatus
		if err := hrows.Scan(&id, &h.Status, &h.VisitID, &h.ChangedAt); err != nil {
			return nil, fmt.Errorf("report recommendation history: %w", err)
		}
		r := byID[id]
		if r == nil {
			continue
		}
		var shown bool
		if shown, h.VisitApproved = recommendationVisit(visitStatus, h.VisitID); !shown {
			dropped[id] = true // recorded at a draft or deleted visit
			continue
		}
		// A row that repeats the previous status at the same visit adds
		// nothing; a re-check at a later visit is kept, as it dates the follow-up.
		if n := len(r.History); n > 0 && r.History[n-1].Status == h.Status && r.History[n-1].VisitID == h.VisitID {
			continue
		}
		r.History = append(r.History, h)
	}
	if err := hrows.Err(); err != nil {
		return nil, fmt.Errorf("report recommendation history: %w", err)
	}
	for id := range dropped {
		byID[id].statusFromHistory()
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

// reportVisitStatuses maps each visit of the facility to its status,
// "deleted" for a deleted one.
func (tx *Tx) reportVisitStatuses(facilityID string) (map[string]string, error) {
	rows, err := tx.Query(`SELECT id, status, deleted FROM visits WHERE facility_id = ?`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("report visit statuses: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, status string
		var deleted bool
		if err := rows.Scan(&id, &status, &deleted); err != nil {
			return nil, fmt.Errorf("report visit statuses: %w", err)
		}
		if deleted {
			status = "deleted"
		}
		out[id] = status
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report visit statuses: %w", err)
	}
	return out, nil
}

// recommendationVisit tells whether what was recorded at visitID (a
// recommendation, or a status it was given) may be in a report at all, and
// whether that visit is approved. Nothing of a draft, deleted or unknown
// visit is shown; what was recorded at no visit is the coordinator's own and
// counts as approved.
func recommendationVisit(statuses map[string]string, visitID string) (shown, approved bool) {
	if visitID == "" {
		return true, true
	}
	switch statuses[visitID] {
	case "approved":
		return true, true
	case "", "draft", "deleted":
		return false, false
	default:
		return true, false
	}
}

// statusFromHistory sets the current status, and the visit where it was
// checked, from the last status kept; "open" when none is.
func (r *ReportRecommendation) statusFromHistory() {
	if n := len(r.History); n > 0 {
		r.Status, r.CheckedVisitID = r.History[n-1].Status, r.History[n-1].VisitID
		return
	}
	r.Status, r.CheckedVisitID = "open", ""
}

// ApprovedRecommendations returns the recommendations a report of approved
// visits only may print: those made at an approved visit (or at none), each
// with only the statuses recorded at an approved visit (or at none); the
// current status is then the last status kept. recs is not changed.
func ApprovedRecommendations(recs []*ReportRecommendation) []*ReportRecommendation {
	out := make([]*ReportRecommendation, 0, len(recs))
	for _, r := range recs {
		if !r.VisitApproved {
			continue
		}
		c := *r
		c.History = nil
		dropped := false
		for _, h := range r.History {
			if !h.VisitApproved {
				dropped = true
				continue
			}
			if n := len(c.History); n > 0 && c.History[n-1].Status == h.Status && c.History[n-1].VisitID == h.VisitID {
				continue
			}
			c.History = append(c.History, h)
		}
		if dropped {
			c.statusFromHistory()
		}
		out = append(out, &c)
	}
	return out
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
// person identifiable), received, not deleted, not of a confidential note,
// of the visit as a whole or of one of its live places.
type ReportPhoto struct {
	ID, LocationID, TakenAt string
	// Caption is the member's caption as the report may print it: "" when
	// it looks like it names a person (schema.FlagPersonalData) and no
	// coordinator cleared that very text on the publication check, or when a
	// coordinator withheld it there (store.Tx.WithholdText).
	Caption string
	// CaptionWithheld: the caption was flagged and not cleared, or a
	// coordinator withheld it (the photo printed without it); Caption is "".
	CaptionWithheld bool
	StoredSHA256    string // the file in the blobs folder
	ContentType     string
	Width, Height   int
}

// reportPhotosOfVisit selects the photos of one visit (the query's one
// argument) that a report may print. ReportPhotos reads them and the
// publication check lists their captions (PrintableTexts) from this same
// selection, so the check shows every caption a report prints.
const reportPhotosOfVisit = `FROM photos p JOIN photo_blobs b ON b.sha256 = p.sha256
	WHERE p.visit_id = ?1 AND p.may_publish = 1 AND p.deleted_at = '' AND p.received_at <> '' AND p.note_id = ''
	AND (p.location_id = '' OR EXISTS (SELECT 1 FROM locations l
		WHERE l.id = p.location_id AND l.visit_id = p.visit_id AND l.deleted = 0))`

// ReportPhotos lists the cleared photos of a visit, by place and time taken.
// A caption is a free text of the report: flagged, it is printed only once a
// coordinator cleared that very text (the rule of every printed free text).
func (tx *Tx) ReportPhotos(visitID string) ([]*ReportPhoto, error) {
	rows, err := tx.Query(`SELECT p.id, p.location_id, p.taken_at, p.caption, b.stored_sha256, b.content_type, b.width, b.height
		`+reportPhotosOfVisit+`
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
		out = append(out, &p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report photos: %w", err)
	}
	rows.Close()
	for _, p := range out {
		if p.Caption == "" {
			continue
		}
		c, err := tx.textPrintable(schema.RecordPhoto, p.ID, "caption", p.Caption)
		if err != nil {
			return nil, err
		}
		if !c.Printed {
			p.Caption, p.CaptionWithheld = "", true
		}
	}
	return out, nil
}
