package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"inspecta/schema"
)

// The obstruction of a visit and the counts of its interviews, as reports
// read them. Interviews leave the database as counts only: the query sums
// them in SQL, so no interview's own answers are ever read by a report.

// ReportObstruction is one refusal or delay of access at a visit, without its
// note (personal text, never printed).
type ReportObstruction struct {
	VisitID     string
	Kind        string // refused, delayed
	Target      string // area, documents, person, devices
	Minutes     *int64 // how long the team waited or was kept out; nil when not recorded
	ReasonGiven string
}

// InterviewCounts are the counts of one visit's interviews: how many, and
// how many of them had each answer. They are counts of persons; the report
// applies the small-count rule before printing them.
type InterviewCounts struct {
	Total          int            `json:"total"`
	Private        int            `json:"private"` // held in a private setting
	Consent        int            `json:"consent"` // the person consented to the interview
	FearOfReprisal int            `json:"fear"`
	FollowUp       int            `json:"follow_up_count"`
	Present        map[string]int `json:"present_count"`    // who else was present (schema.InterviewPresent)
	Complaints     map[string]int `json:"complaints_count"` // complaint categories (schema.InterviewComplaints)
}

// NewInterviewCounts returns empty counts.
func NewInterviewCounts() *InterviewCounts {
	return &InterviewCounts{Present: map[string]int{}, Complaints: map[string]int{}}
}

// Add adds other's counts to c.
func (c *InterviewCounts) Add(other *InterviewCounts) {
	if other == nil {
		return
	}
	c.Total += other.Total
	c.Private += other.Private
	c.Consent += other.Consent
	c.FearOfReprisal += other.FearOfReprisal
	c.FollowUp += other.FollowUp
	for k, n := range other.Present {
		c.Present[k] += n
	}
	for k, n := range other.Complaints {
		c.Complaints[k] += n
	}
}

// ReportObstructions lists a visit's live obstruction records, in the order
// recorded (ids are UUIDv7).
func (tx *Tx) ReportObstructions(visitID string) ([]*ReportObstruction, error) {
	rows, err := tx.Query(`SELECT visit_id, kind, target, minutes, reason_given FROM obstructions
		WHERE visit_id = ? AND deleted = 0 ORDER BY id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("report obstructions: %w", err)
	}
	defer rows.Close()
	var out []*ReportObstruction
	for rows.Next() {
		var o ReportObstruction
		if err := rows.Scan(&o.VisitID, &o.Kind, &o.Target, &o.Minutes, &o.ReasonGiven); err != nil {
			return nil, fmt.Errorf("report obstructions: %w", err)
		}
		out = append(out, &o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report obstructions: %w", err)
	}
	return out, nil
}

// countedField panics unless the visibility rule lets reports count the
// field: the queries below name only fields the rule lists.
func countedField(typ, field string) string {
	for _, f := range schema.CountedFields[typ] {
		if f == field {
			return field
		}
	}
	panic(fmt.Sprintf("%s.%s is not a field reports may count (schema.CountedFields)", typ, field))
}

// interviewCounts sums a visit's live interviews in SQL.
func (tx *Tx) interviewCounts(visitID string) (*InterviewCounts, error) {
	c := NewInterviewCounts()
	q := fmt.Sprintf(`SELECT count(*), COALESCE(sum(%s), 0), COALESCE(sum(%s), 0), COALESCE(sum(%s), 0), COALESCE(sum(%s), 0)
		FROM interviews WHERE visit_id = ? AND deleted = 0`,
		countedField("interview", "private_setting"), countedField("interview", "consent"),
		countedField("interview", "fear_of_reprisal"), countedField("interview", "follow_up"))
	if err := tx.QueryRow(q, visitID).Scan(&c.Total, &c.Private, &c.Consent, &c.FearOfReprisal, &c.FollowUp); err != nil {
		return nil, fmt.Errorf("interview counts: %w", err)
	}
	for _, list := range []struct {
		field string
		into  map[string]int
	}{{"present", c.Present}, {"complaints", c.Complaints}} {
		rows, err := tx.Query(fmt.Sprintf(`SELECT j.value, count(DISTINCT i.id) FROM interviews i, json_each(i.%s) j
			WHERE i.visit_id = ? AND i.deleted = 0 GROUP BY j.value`, countedField("interview", list.field)), visitID)
		if err != nil {
			return nil, fmt.Errorf("interview counts of %s: %w", list.field, err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("interview counts of %s: %w", list.field, err)
			}
			list.into[k] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("interview counts of %s: %w", list.field, err)
		}
	}
	return c, nil
}

// FollowUp is one interview marked for follow-up, as the next team to visit
// the facility sees it (schema.FollowUpAccess): the date of its visit and
// what the complaint was about. No id, no author, no other answer.
type FollowUp struct {
	VisitStartedAt string   `json:"visit_started_at"`
	VisitKind      string   `json:"visit_kind"`
	About          []string `json:"about"` // complaint categories, in schema order
}

// FacilityFollowUps lists the follow-ups of the facility's visits other than
// exceptVisit, the latest visit first.
func (tx *Tx) FacilityFollowUps(facilityID, exceptVisit string) ([]FollowUp, error) {
	rows, err := tx.Query(`SELECT COALESCE(v.started_at, ''), v.kind, i.complaints FROM interviews i
		JOIN visits v ON v.id = i.visit_id
		WHERE v.facility_id = ? AND v.id <> ? AND v.deleted = 0 AND i.deleted = 0 AND i.follow_up = 1
		ORDER BY v.started_at DESC, v.id, i.id`, facilityID, exceptVisit)
	if err != nil {
		return nil, fmt.Errorf("follow-ups: %w", err)
	}
	defer rows.Close()
	out := []FollowUp{}
	for rows.Next() {
		var f FollowUp
		var complaints string
		if err := rows.Scan(&f.VisitStartedAt, &f.VisitKind, &complaints); err != nil {
			return nil, fmt.Errorf("follow-ups: %w", err)
		}
		f.About = []string{}
		for _, c := range schema.InterviewComplaints {
			if jsonListHas(complaints, c) {
				f.About = append(f.About, c)
			}
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// jsonListHas reports whether the JSON list of strings text holds s.
func jsonListHas(text, s string) bool {
	var list []string
	if json.Unmarshal([]byte(text), &list) != nil {
		return false
	}
	return slices.Contains(list, s)
}

// VisitObstruction is one obstruction record as the coordinator's desk shows
// it; Note is personal text (the desk withholds it from staff).
type VisitObstruction struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	Target      string `json:"target"`
	Minutes     *int64 `json:"minutes"`
	ReasonGiven string `json:"reason_given"`
	Note        string `json:"note,omitempty"`
	Redacted    bool   `json:"redacted,omitempty"`
}

// VisitObstructions lists a visit's live obstruction records, in the order recorded.
func (tx *Tx) VisitObstructions(visitID string) ([]VisitObstruction, error) {
	rows, err := tx.Query(`SELECT id, kind, target, minutes, reason_given, note FROM obstructions
		WHERE visit_id = ? AND deleted = 0 ORDER BY id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("visit obstructions: %w", err)
	}
	defer rows.Close()
	out := []VisitObstruction{}
	for rows.Next() {
		var o VisitObstruction
		if err := rows.Scan(&o.ID, &o.Kind, &o.Target, &o.Minutes, &o.ReasonGiven, &o.Note); err != nil {
			return nil, fmt.Errorf("visit obstructions: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// InterviewCounts returns the counts of a visit's live interviews.
func (tx *Tx) InterviewCounts(visitID string) (*InterviewCounts, error) {
	return tx.interviewCounts(visitID)
}
