package sync

import (
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"inspecta/schema"
	"inspecta/store"
)

// ErrOpenItems is returned by SetVisitStatus when a visit cannot be approved yet.
type ErrOpenItems struct{ Items []string }

func (e *ErrOpenItems) Error() string {
	return fmt.Sprintf("the visit has %d open item(s) to resolve before approval", len(e.Items))
}

// SetVisitStatus approves (status "approved") or reopens (status "submitted")
// a visit as its region's coordinator, inside tx: the change gets a sequence
// number like any other, so devices pull it, and is kept in the visit's
// status history with the reason. openItems, when approving, are the items
// still to resolve (worked out by the caller); any makes it fail with *ErrOpenItems.
func (e *Engine) SetVisitStatus(tx *store.Tx, actor Actor, visitID, status, reason string, openItems []string) (*FieldError, error) {
	if actor.Role != schema.RoleCoordinator {
		return forbidden("status", "only the region's coordinator approves or reopens a visit"), nil
	}
	rec, err := tx.LoadRecord(schema.RecordVisit, visitID)
	if err != nil {
		return nil, err
	}
	if !rec.Exists || rec.Deleted {
		return invalid("id", "no visit %s", visitID), nil
	}
	if rec.Region != actor.Region {
		return forbidden("id", "this visit belongs to another region"), nil
	}
	current, _ := rec.Fields["status"].(string)
	switch status {
	case "approved":
		if current == "approved" {
			return invalid("status", "the visit is already approved"), nil
		}
		if len(openItems) > 0 {
			return nil, &ErrOpenItems{Items: openItems}
		}
	case "submitted":
		if current != "approved" {
			return invalid("status", "only an approved visit can be reopened"), nil
		}
		if reason == "" {
			return invalid("reason", "give a reason for reopening the visit"), nil
		}
	default:
		return invalid("status", "status must be approved or submitted"), nil
	}
	seq, err := tx.NextSeq()
	if err != nil {
		return nil, err
	}
	rec.Fields["status"] = status
	rec.Versions["status"] = store.FieldVersion{Seq: seq, HLC: HLC{Wall: tx.Now, Node: "server"}.String(), Device: actor.DeviceID}
	rec.Seq = seq
	// The server wrote this change: it is no device's echo, not even of the
	// device whose submission was the visit's last write (it must learn of it).
	rec.EchoDevice = ""
	if err := tx.SaveRecord(rec); err != nil {
		return nil, err
	}
	// The op log is the audit trail: approvals and reopenings are in it too.
	action := map[string]string{"approved": "approve", "submitted": "reopen"}[status]
	fields, _ := json.Marshal(map[string]string{"status": status, "reason": reason})
	if err := tx.LogOp(store.OpLogRow{OpID: uuid.Must(uuid.NewV7()).String(), Seq: seq, DeviceID: actor.DeviceID, UserID: actor.UserID,
		Type: "visit", RecordID: visitID, Action: action, HLC: rec.Versions["status"].HLC, Fields: string(fields),
		Status: StatusApplied, ReceivedAt: tx.NowText()}); err != nil {
		return nil, fmt.Errorf("log %s: %w", action, err)
	}
	if _, err := tx.Exec(`INSERT INTO visit_status_history (visit_id, status, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)`,
		visitID, status, reason, actor.UserID, tx.NowText()); err != nil {
		return nil, fmt.Errorf("visit history: %w", err)
	}
	return nil, nil
}
