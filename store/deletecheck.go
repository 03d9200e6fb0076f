package store

import (
	"database/sql"
	"fmt"
)

// OthersRecordsIn counts the records inside a visit, or inside one of its
// places when locationID is not empty, that are not deleted and were made by
// someone other than userID: the places, answers, confidential notes,
// interviews, obstructions, photos and recommendations a delete of that
// visit or place would take with it.
func (tx *Tx) OthersRecordsIn(visitID, locationID, userID string) (int, error) {
	var q string
	var args []any
	if locationID == "" {
		q = `SELECT
			(SELECT count(*) FROM locations WHERE visit_id = ?1 AND deleted = 0 AND COALESCE(created_by, '') NOT IN ('', ?2)) +
			(SELECT count(*) FROM observations WHERE visit_key = +?3 AND deleted = 0 AND author_id <> ?2) +
			(SELECT count(*) FROM confidential_notes WHERE visit_id = ?1 AND deleted = 0 AND author_id <> ?2) +
			(SELECT count(*) FROM interviews WHERE visit_id = ?1 AND deleted = 0 AND author_id <> ?2) +
			(SELECT count(*) FROM obstructions WHERE visit_id = ?1 AND deleted = 0 AND COALESCE(created_by, '') NOT IN ('', ?2)) +
			(SELECT count(*) FROM photos WHERE visit_id = ?1 AND deleted_at = '' AND author_id <> ?2) +
			(SELECT count(*) FROM recommendations WHERE visit_id = ?1 AND deleted = 0 AND COALESCE(created_by, '') NOT IN ('', ?2))`
		args = []any{visitID, userID, IDKey(visitID)}
	} else {
		q = `SELECT
			(SELECT count(*) FROM observations WHERE visit_key = +?4 AND location_key = +?5 AND deleted = 0 AND author_id <> ?3) +
			(SELECT count(*) FROM confidential_notes WHERE visit_id = ?1 AND location_id = ?2 AND deleted = 0 AND author_id <> ?3) +
			(SELECT count(*) FROM photos WHERE visit_id = ?1 AND location_id = ?2 AND deleted_at = '' AND author_id <> ?3)`
		args = []any{visitID, locationID, userID, IDKey(visitID), IDKey(locationID)}
	}
	var n int
	if err := tx.QueryRow(q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count others' records in visit %s: %w", visitID, err)
	}
	return n, nil
}

// DeletedRecord is a visit, or a place of a visit that is not deleted, that
// was deleted in a region: what the desk offers its coordinator to restore.
type DeletedRecord struct {
	Type          string `json:"type"` // visit or location
	ID            string `json:"id"`
	VisitID       string `json:"visit_id"`
	FacilityID    string `json:"facility_id"`
	FacilityName  string `json:"facility_name"`
	VisitStarted  string `json:"visit_started_at"`
	VisitStatus   string `json:"visit_status"`
	Label         string `json:"label,omitempty"` // a place's label
	Records       int    `json:"records"`         // the answers, notes and photos inside it, not deleted themselves
	DeletedBy     string `json:"deleted_by"`      // the user whose delete it was
	DeletedByName string `json:"deleted_by_name"`
	DeletedAt     string `json:"deleted_at"`
}

// DeletedInRegion lists the deleted visits of a region's facilities, and the
// deleted places of its visits that are not deleted, latest deletion first.
func (tx *Tx) DeletedInRegion(region string) ([]DeletedRecord, error) {
	rows, err := tx.Query(`SELECT 'visit', v.id, v.id, f.id, f.name, COALESCE(v.started_at, ''), v.status, '',
			(SELECT count(*) FROM observations o WHERE o.visit_key = `+uuidKeySQL("v.id")+` AND o.deleted = 0) +
			(SELECT count(*) FROM confidential_notes n WHERE n.visit_id = v.id AND n.deleted = 0), v.seq
		FROM visits v JOIN facilities f ON f.id = v.facility_id
		WHERE v.deleted = 1 AND f.region = ?1
		UNION ALL
		SELECT 'location', l.id, v.id, f.id, f.name, COALESCE(v.started_at, ''), v.status, l.label,
			(SELECT count(*) FROM observations o WHERE o.visit_key = `+uuidKeySQL("v.id")+` AND o.location_key = `+uuidKeySQL("l.id")+`
				AND o.deleted = 0) +
			(SELECT count(*) FROM confidential_notes n WHERE n.visit_id = v.id AND n.location_id = l.id AND n.deleted = 0), l.seq
		FROM locations l JOIN visits v ON v.id = l.visit_id JOIN facilities f ON f.id = v.facility_id
		WHERE l.deleted = 1 AND v.deleted = 0 AND f.region = ?1
		ORDER BY 10 DESC`, region)
	if err != nil {
		return nil, fmt.Errorf("list deleted visits and places: %w", err)
	}
	var list []DeletedRecord
	for rows.Next() {
		var d DeletedRecord
		var seq int64
		if err := rows.Scan(&d.Type, &d.ID, &d.VisitID, &d.FacilityID, &d.FacilityName, &d.VisitStarted, &d.VisitStatus, &d.Label, &d.Records, &seq); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list deleted visits and places: %w", err)
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list deleted visits and places: %w", err)
	}
	for i := range list {
		d := &list[i]
		err := tx.QueryRow(`SELECT o.user_id, COALESCE(NULLIF(u.name, ''), u.username, ''), o.received_at FROM ops o LEFT JOIN users u ON u.id = o.user_id
			WHERE o.rowid IN (`+opsOfRecord+`) AND o.action = 'delete' AND o.status IN ('applied', 'conflict') ORDER BY o.seq DESC LIMIT 1`,
			IDKey(d.ID), IDKey(d.Type)).
			Scan(&d.DeletedBy, &d.DeletedByName, &d.DeletedAt)
		if err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("find who deleted %s %s: %w", d.Type, d.ID, err)
		}
	}
	return list, nil
}
