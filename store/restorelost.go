package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LostChanges tells what the database a restore replaced held that the
// backup does not: the changes stored after the backup. Phones send again
// what they sent in their last PhoneResendDays days; what was done on the
// desk (a coordinator's decisions, approvals, clearances) is sent again by
// no one, so the administrator is told what it was.
type LostChanges struct {
	// Read is false when the replaced database could not be read (then
	// nothing is known of what it held).
	Read bool
	// Changes counts the operations stored after the backup; ByUser splits
	// them by who made them and the kind of record.
	Changes int
	ByUser  []LostByUser
	// Statuses are the visits' status changes (submitted, approved,
	// reopened) made after the backup.
	Statuses []LostStatus
	// BackupLast is the time of the backup's last stored operation ("" when
	// it holds none).
	BackupLast string
}

// LostByUser is one user's changes after the backup, by record type.
type LostByUser struct {
	Username, Role string
	ByType         map[string]int
}

// LostStatus is one status change of a visit made after the backup.
type LostStatus struct {
	VisitID, Facility, Status, By, At string
}

// PhoneResendDays is how many days of operations a phone sends again after
// a restore (docs/protocol.md, "Database generation").
const PhoneResendDays = 30

// BackupOlderThanResend reports whether the backup's last change is older
// than what phones send again, at now.
func (l LostChanges) BackupOlderThanResend(now time.Time) bool {
	t, err := time.Parse(TimeFormat, l.BackupLast)
	return err == nil && now.Sub(t) > PhoneResendDays*24*time.Hour
}

// backupPoint reads, from the restored copy before its new generation, the
// last sequence and the time of the last operation it holds.
func (tx *Tx) backupPoint() (seq int64, last string, err error) {
	if seq, err = tx.CurrentSeq(); err != nil {
		return 0, "", err
	}
	if err := tx.QueryRow("SELECT COALESCE(MAX(received_at), '') FROM ops").Scan(&last); err != nil {
		return 0, "", fmt.Errorf("read the backup's last change: %w", err)
	}
	return seq, last, nil
}

// readLostChanges reads, read-only, what the replaced database at path
// stored after the backup: its operations of a later sequence than afterSeq
// and its visits' status changes after the time after.
func readLostChanges(ctx context.Context, path string, afterSeq int64, after string) (LostChanges, error) {
	lost := LostChanges{BackupLast: after}
	conn, err := sql.Open("sqlite3", "file:"+escapeURIPath(path)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return lost, fmt.Errorf("open %s: %w", path, err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `SELECT COALESCE(u.username, o.user_id), COALESCE(u.role, ''), o.type, count(*)
		FROM ops o LEFT JOIN users u ON u.id = o.user_id
		WHERE o.seq > ? AND o.status IN ('applied', 'conflict')
		GROUP BY 1, 2, 3 ORDER BY 1, 3`, afterSeq)
	if err != nil {
		return lost, fmt.Errorf("read the changes of %s after the backup: %w", path, err)
	}
	for rows.Next() {
		var name, role, typ string
		var n int
		if err := rows.Scan(&name, &role, &typ, &n); err != nil {
			rows.Close()
			return lost, fmt.Errorf("read the changes of %s after the backup: %w", path, err)
		}
		// Rows come ordered by user: a new user starts a new entry.
		if last := len(lost.ByUser) - 1; last < 0 || lost.ByUser[last].Username != name {
			lost.ByUser = append(lost.ByUser, LostByUser{Username: name, Role: role, ByType: map[string]int{}})
		}
		lost.ByUser[len(lost.ByUser)-1].ByType[typ] += n
		lost.Changes += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return lost, fmt.Errorf("read the changes of %s after the backup: %w", path, err)
	}
	rows, err = conn.QueryContext(ctx, `SELECT h.visit_id, COALESCE(f.name, ''), h.status, COALESCE(u.username, COALESCE(h.changed_by, '')), h.changed_at
		FROM visit_status_history h LEFT JOIN visits v ON v.id = h.visit_id LEFT JOIN facilities f ON f.id = v.facility_id
		LEFT JOIN users u ON u.id = h.changed_by
		WHERE h.changed_at > ? ORDER BY h.id`, after)
	if err != nil {
		return lost, fmt.Errorf("read the visits' status changes of %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s LostStatus
		if err := rows.Scan(&s.VisitID, &s.Facility, &s.Status, &s.By, &s.At); err != nil {
			return lost, fmt.Errorf("read the visits' status changes of %s: %w", path, err)
		}
		lost.Statuses = append(lost.Statuses, s)
	}
	if err := rows.Err(); err != nil {
		return lost, fmt.Errorf("read the visits' status changes of %s: %w", path, err)
	}
	lost.Read = true
	return lost, nil
}
