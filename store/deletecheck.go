package store

import "fmt"

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
			(SELECT count(*) FROM observations WHERE visit_id = ?1 AND deleted = 0 AND author_id <> ?2) +
			(SELECT count(*) FROM confidential_notes WHERE visit_id = ?1 AND deleted = 0 AND author_id <> ?2) +
			(SELECT count(*) FROM interviews WHERE visit_id = ?1 AND deleted = 0 AND author_id <> ?2) +
			(SELECT count(*) FROM obstructions WHERE visit_id = ?1 AND deleted = 0 AND COALESCE(created_by, '') NOT IN ('', ?2)) +
			(SELECT count(*) FROM photos WHERE visit_id = ?1 AND deleted_at = '' AND author_id <> ?2) +
			(SELECT count(*) FROM recommendations WHERE visit_id = ?1 AND deleted = 0 AND COALESCE(created_by, '') NOT IN ('', ?2))`
		args = []any{visitID, userID}
	} else {
		q = `SELECT
			(SELECT count(*) FROM observations WHERE visit_id = ?1 AND location_id = ?2 AND deleted = 0 AND author_id <> ?3) +
			(SELECT count(*) FROM confidential_notes WHERE visit_id = ?1 AND location_id = ?2 AND deleted = 0 AND author_id <> ?3) +
			(SELECT count(*) FROM photos WHERE visit_id = ?1 AND location_id = ?2 AND deleted_at = '' AND author_id <> ?3)`
		args = []any{visitID, locationID, userID}
	}
	var n int
	if err := tx.QueryRow(q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count others' records in visit %s: %w", visitID, err)
	}
	return n, nil
}
