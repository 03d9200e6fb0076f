package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"inspecta/schema"
)

// AuditEntry is one operation of the op log as the audit trail shows it: who
// (user and device) changed which record, when, with the fields as applied,
// and what came of it.
type AuditEntry struct {
	OpID       string            `json:"op_id"`
	Seq        *int64            `json:"seq,omitempty"` // absent for a rejected operation
	At         string            `json:"at"`            // when the server received it
	HLC        string            `json:"hlc"`           // the device's clock at the change
	UserID     string            `json:"user_id"`
	UserName   string            `json:"user_name"`
	DeviceID   string            `json:"device_id"`
	DeviceName string            `json:"device_name"`
	Type       schema.RecordType `json:"type"`
	RecordID   string            `json:"record_id"`
	Action     string            `json:"action"` // upsert, delete, approve, reopen
	Fields     json.RawMessage   `json:"fields"` // as applied; for a rejected operation, as sent
	Status     string            `json:"status"` // applied, conflict, rejected
	ConflictID string            `json:"conflict_id,omitempty"`
	ErrorField string            `json:"error_field,omitempty"`
	ErrorCode  string            `json:"error_code,omitempty"` // the rejection's code (none before migration 0013)
	ErrorMsg   string            `json:"error_message,omitempty"`
	Redacted   bool              `json:"redacted,omitempty"` // fields withheld from this reader
	// RedactedFields names the fields withheld (visibility rule).
	RedactedFields []string `json:"redacted_fields,omitempty"`
}

// AuditFilter selects operations of the op log. Either Type and RecordID (one
// record) or VisitID (every record of a visit, the visit itself included, and
// operations rejected for it) must be set.
type AuditFilter struct {
	Type, RecordID string
	VisitID        string
	Limit          int // at most this many, the oldest first; 0 means 1000
}

// auditOfVisit picks the operations on a visit's records. A rejected
// operation never reached record_index: it is found by the visit_id it
// carried, kept verbatim in quarantine. Through the stored tables
// (migrations 0014, 0015, 0019), so that the op log's indexes are used.
var auditOfVisit = `o.rowid IN (SELECT l.rowid FROM record_heads h JOIN op_log l ON l.record = h.rec AND l.type = h.type
		WHERE h.visit = (SELECT no FROM uuid_rows WHERE id = ?))
	OR o.rowid IN (SELECT l.rowid FROM quarantine q JOIN op_log l ON l.op_id = ` + opKeySQL("q.op_id") + `
		WHERE q.op_id <> '' AND json_valid(q.raw) AND json_extract(q.raw, '$.fields.visit_id') = ?)`

// auditQuery reads the audit trail of the operations cond picks. The
// names of users and devices are looked up afterwards (auditNames): a join
// here would write each interned id back as text once more per operation
// (store/intern.go), which took longer than the rest of the read.
func auditQuery(cond string) string {
	return `SELECT o.op_id, o.seq, o.received_at, o.hlc, o.user_id, o.device_id,
		o.type, o.record_id, o.action, o.fields, o.status, o.conflict_id, o.error_field, o.error_code, o.error_msg,
		COALESCE((SELECT json_extract(q.raw, '$.fields') FROM quarantine q
			WHERE q.op_id = o.op_id AND o.status = 'rejected' AND json_valid(q.raw) LIMIT 1), '')
		FROM ops o
		WHERE ` + cond + ` ORDER BY o.rowid LIMIT ?`
}

// auditNames gives each entry the names of its user and device (empty for
// none), looking each up once.
func (tx *Tx) auditNames(list []AuditEntry) error {
	users, devices := map[string]string{}, map[string]string{}
	name := func(cache map[string]string, table, id string) (string, error) {
		if n, ok := cache[id]; ok {
			return n, nil
		}
		var n sql.NullString
		err := tx.QueryRow("SELECT name FROM "+table+" WHERE id = ?", id).Scan(&n)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("audit trail: name of %s %s: %w", table, id, err)
		}
		cache[id] = n.String
		return n.String, nil
	}
	for i := range list {
		e := &list[i]
		var err error
		if e.UserName, err = name(users, "users", e.UserID); err != nil {
			return err
		}
		if e.DeviceName, err = name(devices, "devices", e.DeviceID); err != nil {
			return err
		}
	}
	return nil
}

// opsOfRecord selects the rowids in the op log (the view ops gives them as
// rowid) of the operations on one record, by its id's stored form and its
// type (two arguments: IDKey(id), type), through the op log's index by
// record: ops compares the texts it writes back, which no index holds.
const opsOfRecord = `SELECT l.rowid FROM op_log l WHERE l.record = (SELECT no FROM uuid_rows WHERE id = ?)
	AND l.type = (SELECT no FROM uuid_rows WHERE id = ?)`

// AuditTrail lists the operations of a record or of a visit's records, oldest
// first.
func (tx *Tx) AuditTrail(f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 1000
	}
	var cond string
	var args []any
	switch {
	case f.VisitID != "":
		// A rejected operation never reached record_index: find it by the
		// visit_id it carried, kept verbatim in quarantine.
		// Through the stored tables (migrations 0014, 0015), so that the
		// op log's index of records is used.
		cond = auditOfVisit
		args = []any{IDKey(f.VisitID), f.VisitID}
	case f.Type != "" && f.RecordID != "":
		cond = "o.rowid IN (" + opsOfRecord + ")"
		args = []any{IDKey(f.RecordID), IDKey(f.Type)}
	default:
		return nil, fmt.Errorf("audit trail: name a record or a visit")
	}
	rows, err := tx.Query(auditQuery(cond), append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit trail: %w", err)
	}
	defer rows.Close()
	list := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var fields, sent string
		if err := rows.Scan(&e.OpID, &e.Seq, &e.At, &e.HLC, &e.UserID, &e.DeviceID, &e.Type,
			&e.RecordID, &e.Action, &fields, &e.Status, &e.ConflictID, &e.ErrorField, &e.ErrorCode, &e.ErrorMsg, &sent); err != nil {
			return nil, fmt.Errorf("audit trail: %w", err)
		}
		if e.Status == "rejected" && sent != "" {
			fields = sent
		}
		if !json.Valid([]byte(fields)) {
			fields = "{}"
		}
		e.Fields = json.RawMessage(fields)
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit trail: %w", err)
	}
	rows.Close()
	if err := tx.auditNames(list); err != nil {
		return nil, err
	}
	return list, nil
}

// RecordRegion returns the region a synced record belongs to (record_index),
// or ErrNotFound when the server has never stored it.
func (tx *Tx) RecordRegion(typ schema.RecordType, id string) (string, error) {
	var region string
	err := tx.QueryRow("SELECT region FROM record_index WHERE type = ? AND id_key = +?", typ, IDKey(id)).Scan(&region)
	if err != nil {
		if isNoRows(err) {
			return "", ErrNotFound
		}
		return "", fmt.Errorf("record region: %w", err)
	}
	return region, nil
}

// AuditEvent is an account event: a sign-in, a failed sign-in, a revocation,
// a user created or changed.
type AuditEvent struct {
	ID       int64  `json:"id"`
	At       string `json:"at"`
	UserID   string `json:"user_id"` // who acted ("" for a failed sign-in)
	UserName string `json:"user_name"`
	Action   string `json:"action"`
	Subject  string `json:"subject"` // the device, user or username acted on
	Detail   string `json:"detail"`
	Remote   string `json:"remote"`
}

// AuditEvents lists account events, newest first: those done by or to userID
// when it is not "", at most limit (0 means 500).
func (tx *Tx) AuditEvents(userID string, limit int) ([]AuditEvent, error) {
	if limit <= 0 {
		limit = 500
	}
	rows, err := tx.Query(`SELECT e.id, e.at, e.user_id, COALESCE(u.name, ''), e.action, e.subject, e.detail, e.remote
		FROM audit_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE ? = '' OR e.user_id = ? OR e.subject = ?
			OR e.subject IN (SELECT id FROM devices WHERE user_id = ?)
		ORDER BY e.id DESC LIMIT ?`, userID, userID, userID, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("audit events: %w", err)
	}
	defer rows.Close()
	list := []AuditEvent{}
	for rows.Next() {
		var e AuditEvent
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.UserName, &e.Action, &e.Subject, &e.Detail, &e.Remote); err != nil {
			return nil, fmt.Errorf("audit events: %w", err)
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// SetUserDisabled disables or enables a user's account. Disabling revokes
// every token of the user; enabling brings none back.
func (tx *Tx) SetUserDisabled(userID string, disabled bool) error {
	res, err := tx.Exec("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", disabled, tx.NowText(), userID)
	if err != nil {
		return fmt.Errorf("set disabled: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	if disabled {
		return tx.RevokeUserDevices(userID)
	}
	return nil
}

// SetUserName changes the name a user is shown by.
func (tx *Tx) SetUserName(userID, name string) error {
	res, err := tx.Exec("UPDATE users SET name = ?, updated_at = ? WHERE id = ?", name, tx.NowText(), userID)
	if err != nil {
		return fmt.Errorf("set name: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Device returns the device with id (revoked or not), or ErrNotFound.
func (tx *Tx) Device(id string) (*Device, error) {
	var d Device
	err := tx.QueryRow(`SELECT id, user_id, name, created_at, COALESCE(last_seen_at, ''), COALESCE(revoked_at, '')
		FROM devices WHERE id = ?`, id).Scan(&d.ID, &d.UserID, &d.Name, &d.CreatedAt, &d.LastSeenAt, &d.RevokedAt)
	if err != nil {
		if isNoRows(err) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("device %s: %w", id, err)
	}
	return &d, nil
}

// CountActiveAdmins returns how many enabled admin accounts exist.
func (tx *Tx) CountActiveAdmins() (int, error) {
	var n int
	err := tx.QueryRow("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").Scan(&n)
	return n, err
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
