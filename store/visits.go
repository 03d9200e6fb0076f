package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Visit is a visit as the coordinator's desk lists and shows it.
type Visit struct {
	ID                     string   `json:"id"`
	FacilityID             string   `json:"facility_id"`
	FacilityName           string   `json:"facility_name"`
	FacilityNameRu         string   `json:"facility_name_ru"` // the facility's names per language, "" when not given
	FacilityNameKk         string   `json:"facility_name_kk"`
	FacilityNameEn         string   `json:"facility_name_en"`
	Region                 string   `json:"region"`
	Kind                   string   `json:"kind"`
	Announced              bool     `json:"announced"`
	StartedAt              string   `json:"started_at"`
	EndedAt                string   `json:"ended_at"`
	Team                   []string `json:"team"`
	OmbudspersonRepPresent bool     `json:"ombudsperson_rep_present"`
	AccessRefused          bool     `json:"access_refused"`
	ArrivedAt              string   `json:"arrived_at"`
	AdmittedAt             string   `json:"admitted_at"`
	TeamSize               *int64   `json:"team_size"` // NPM members who entered; nil when not recorded
	RepInInterviews        string   `json:"rep_in_interviews"`
	Status                 string   `json:"status"`
	Checklist              string   `json:"checklist"`
	CreatedBy              string   `json:"created_by"`
	Demo                   bool     `json:"demo"`
	Seq                    int64    `json:"seq"`
}

// VisitFilter narrows a visit listing; empty fields do not filter.
type VisitFilter struct {
	Region     string
	FacilityID string
	Status     string
	MemberID   string // only visits whose team has this user
}

const visitColumns = `v.id, v.facility_id, f.name, f.region, v.kind, v.announced, COALESCE(v.started_at, ''),
	COALESCE(v.ended_at, ''), v.team, v.ombudsperson_rep_present, v.access_refused, v.status, v.checklist,
	COALESCE(v.created_by, ''), v.demo, v.seq, f.name_ru, f.name_kk, f.name_en,
	COALESCE(v.arrived_at, ''), COALESCE(v.admitted_at, ''), v.team_size, v.rep_in_interviews`

func scanVisit(row interface{ Scan(...any) error }) (*Visit, error) {
	var v Visit
	var team string
	if err := row.Scan(&v.ID, &v.FacilityID, &v.FacilityName, &v.Region, &v.Kind, &v.Announced, &v.StartedAt,
		&v.EndedAt, &team, &v.OmbudspersonRepPresent, &v.AccessRefused, &v.Status, &v.Checklist, &v.CreatedBy,
		&v.Demo, &v.Seq, &v.FacilityNameRu, &v.FacilityNameKk, &v.FacilityNameEn,
		&v.ArrivedAt, &v.AdmittedAt, &v.TeamSize, &v.RepInInterviews); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(team), &v.Team); err != nil {
		return nil, fmt.Errorf("visit %s team: %w", v.ID, err)
	}
	if v.Team == nil {
		v.Team = []string{}
	}
	return &v, nil
}

// Visits lists live visits, newest first (by start, then by creation).
func (tx *Tx) Visits(f VisitFilter) ([]*Visit, error) {
	q := "SELECT " + visitColumns + " FROM visits v JOIN facilities f ON f.id = v.facility_id WHERE v.deleted = 0"
	var args []any
	if f.Region != "" {
		q += " AND f.region = ?"
		args = append(args, f.Region)
	}
	if f.FacilityID != "" {
		q += " AND v.facility_id = ?"
		args = append(args, f.FacilityID)
	}
	if f.Status != "" {
		q += " AND v.status = ?"
		args = append(args, f.Status)
	}
	if f.MemberID != "" {
		q += " AND v.id IN (SELECT visit_id FROM visit_team WHERE user_id = ?)"
		args = append(args, f.MemberID)
	}
	rows, err := tx.Query(q+" ORDER BY COALESCE(v.started_at, '') DESC, v.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("list visits: %w", err)
	}
	defer rows.Close()
	list := []*Visit{}
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return nil, fmt.Errorf("list visits: %w", err)
		}
		list = append(list, v)
	}
	return list, rows.Err()
}

// Visit returns the live visit with id, or ErrNotFound.
func (tx *Tx) Visit(id string) (*Visit, error) {
	v, err := scanVisit(tx.QueryRow("SELECT "+visitColumns+
		" FROM visits v JOIN facilities f ON f.id = v.facility_id WHERE v.id = ? AND v.deleted = 0", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("visit %s: %w", id, err)
	}
	return v, nil
}

// Location is a place inside a visited facility.
type Location struct {
	ID      string `json:"id"`
	VisitID string `json:"visit_id"`
	Label   string `json:"label"`
	Kind    string `json:"kind"`
	Seq     int64  `json:"seq"`
	// Redacted names the fields withheld from this reader ("label": one
	// that did not pass the pre-approval check, shown as "№ n").
	Redacted []string `json:"redacted,omitempty"`
}

// Locations lists the live locations of a visit in the order they were created
// (ids are UUIDv7, so by id).
func (tx *Tx) Locations(visitID string) ([]Location, error) {
	rows, err := tx.Query("SELECT id, visit_id, label, kind, seq FROM locations WHERE visit_id = ? AND deleted = 0 ORDER BY id", visitID)
	if err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	defer rows.Close()
	list := []Location{}
	for rows.Next() {
		var l Location
		if err := rows.Scan(&l.ID, &l.VisitID, &l.Label, &l.Kind, &l.Seq); err != nil {
			return nil, fmt.Errorf("list locations: %w", err)
		}
		list = append(list, l)
	}
	return list, rows.Err()
}

// TeamMember is a user on a visit's team.
type TeamMember struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// VisitTeam lists the members of a visit's team by name.
func (tx *Tx) VisitTeam(visitID string) ([]TeamMember, error) {
	rows, err := tx.Query(`SELECT u.id, u.username, u.name FROM visit_team t JOIN users u ON u.id = t.user_id
		WHERE t.visit_id = ? ORDER BY u.name, u.username`, visitID)
	if err != nil {
		return nil, fmt.Errorf("visit team: %w", err)
	}
	defer rows.Close()
	list := []TeamMember{}
	for rows.Next() {
		var m TeamMember
		if err := rows.Scan(&m.ID, &m.Username, &m.Name); err != nil {
			return nil, fmt.Errorf("visit team: %w", err)
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// VisitStatusChange is one entry of a visit's status history.
type VisitStatusChange struct {
	Status        string `json:"status"`
	Reason        string `json:"reason"`
	ChangedBy     string `json:"changed_by"`
	ChangedByName string `json:"changed_by_name"`
	ChangedAt     string `json:"changed_at"`
	Redacted      bool   `json:"redacted,omitempty"` // the reason is withheld from this reader
}

// VisitStatusHistory lists a visit's status changes, oldest first. A reopening
// is the change back to "submitted" from "approved", with its reason.
func (tx *Tx) VisitStatusHistory(visitID string) ([]VisitStatusChange, error) {
	rows, err := tx.Query(`SELECT h.status, h.reason, COALESCE(h.changed_by, ''), COALESCE(u.name, ''), h.changed_at
		FROM visit_status_history h LEFT JOIN users u ON u.id = h.changed_by
		WHERE h.visit_id = ? ORDER BY h.id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("visit history: %w", err)
	}
	defer rows.Close()
	list := []VisitStatusChange{}
	for rows.Next() {
		var c VisitStatusChange
		if err := rows.Scan(&c.Status, &c.Reason, &c.ChangedBy, &c.ChangedByName, &c.ChangedAt); err != nil {
			return nil, fmt.Errorf("visit history: %w", err)
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// Recommendation is a recommendation made to the authorities of a facility,
// with every status it has had.
type Recommendation struct {
	ID             string                       `json:"id"`
	FacilityID     string                       `json:"facility_id"`
	VisitID        string                       `json:"visit_id"`
	VisitStartedAt string                       `json:"visit_started_at"`
	Text           string                       `json:"text"`
	Category       string                       `json:"category"`
	Addressee      string                       `json:"addressee"`
	Status         string                       `json:"status"`
	CheckedVisitID string                       `json:"checked_visit_id"`
	CreatedBy      string                       `json:"created_by"`
	Seq            int64                        `json:"seq"`
	History        []RecommendationStatusChange `json:"history"`
	// Redacted names the texts withheld from this reader (those that did
	// not pass the pre-approval check: text, category, addressee).
	Redacted []string `json:"redacted,omitempty"`
}

// RecommendationStatusChange is one dated status of a recommendation, with the
// visit at which it was checked ("" when it was set outside a visit) and that
// visit's start.
type RecommendationStatusChange struct {
	Status         string `json:"status"`
	VisitID        string `json:"visit_id"`
	VisitStartedAt string `json:"visit_started_at"`
	ChangedBy      string `json:"changed_by"`
	ChangedByName  string `json:"changed_by_name"`
	ChangedAt      string `json:"changed_at"`
}

// Recommendations lists the live recommendations of a facility, oldest first,
// each with its status history; status, when not "", keeps only those whose
// current status it is.
func (tx *Tx) Recommendations(facilityID, status string) ([]*Recommendation, error) {
	rows, err := tx.Query(`SELECT r.id, r.facility_id, r.visit_id, COALESCE(v.started_at, ''), r.text, r.category,
		r.addressee, r.status, r.checked_visit_id, COALESCE(r.created_by, ''), r.seq
		FROM recommendations r LEFT JOIN visits v ON v.id = r.visit_id
		WHERE r.facility_id = ? AND r.deleted = 0 AND (? = '' OR r.status = ?) ORDER BY r.id`, facilityID, status, status)
	if err != nil {
		return nil, fmt.Errorf("list recommendations: %w", err)
	}
	list := []*Recommendation{}
	byID := map[string]*Recommendation{}
	for rows.Next() {
		var r Recommendation
		if err := rows.Scan(&r.ID, &r.FacilityID, &r.VisitID, &r.VisitStartedAt, &r.Text, &r.Category, &r.Addressee,
			&r.Status, &r.CheckedVisitID, &r.CreatedBy, &r.Seq); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list recommendations: %w", err)
		}
		r.History = []RecommendationStatusChange{}
		list = append(list, &r)
		byID[r.ID] = &r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list recommendations: %w", err)
	}
	if len(list) == 0 {
		return list, nil
	}
	hist, err := tx.Query(`SELECT h.recommendation_id, h.status, h.visit_id, COALESCE(v.started_at, ''),
		COALESCE(h.changed_by, ''), COALESCE(u.name, ''), h.changed_at
		FROM recommendation_status_history h JOIN recommendations r ON r.id = h.recommendation_id
		LEFT JOIN visits v ON v.id = h.visit_id LEFT JOIN users u ON u.id = h.changed_by
		WHERE r.facility_id = ? ORDER BY h.id`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("recommendation history: %w", err)
	}
	defer hist.Close()
	for hist.Next() {
		var id string
		var c RecommendationStatusChange
		if err := hist.Scan(&id, &c.Status, &c.VisitID, &c.VisitStartedAt, &c.ChangedBy, &c.ChangedByName, &c.ChangedAt); err != nil {
			return nil, fmt.Errorf("recommendation history: %w", err)
		}
		if r := byID[id]; r != nil {
			if len(r.History) == 0 && c.VisitID == "" {
				// Made at a visit: that is where its first status was set.
				c.VisitID, c.VisitStartedAt = r.VisitID, r.VisitStartedAt
			}
			r.History = append(r.History, c)
		}
	}
	return list, hist.Err()
}

// VisitYesNoFields are a visit's yes/no fields that a visit may never have
// set: its columns then hold 0, which is not a "No" anybody gave. A client
// that records refusals and delays as obstructions (protocol 1.1) never sets
// access_refused.
var VisitYesNoFields = []string{"announced", "ombudsperson_rep_present", "access_refused"}

// UnsetVisitFields lists those of VisitYesNoFields that no operation ever
// wrote for the visit, so that a screen says "not recorded" instead of "No".
func (tx *Tx) UnsetVisitFields(visitID string) ([]string, error) {
	var versions, node string
	var seq int64
	err := tx.QueryRow("SELECT versions, versions_node, seq FROM record_index WHERE type = 'visit' AND id_key = +?", IDKey(visitID)).Scan(&versions, &node, &seq)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("versions of visit %s: %w", visitID, err)
	}
	return unsetFields(versions, node, seq, VisitYesNoFields...)
}

// unsetFields lists those of fields that a record's stored versions do not
// name. A record with no index row (none is written outside sync) is taken
// as having them all, as before versions were read for this.
func unsetFields(versions, node string, seq int64, fields ...string) ([]string, error) {
	if versions == "" {
		return []string{}, nil
	}
	written := map[string]FieldVersion{}
	if err := decodeVersionsAt(versions, node, versionNames["visit"], seq, written); err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	unset := []string{}
	for _, f := range fields {
		if _, ok := written[f]; !ok {
			unset = append(unset, f)
		}
	}
	return unset, nil
}
