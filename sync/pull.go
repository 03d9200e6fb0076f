package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"inspecta/schema"
	"inspecta/store"
)

// Scope is what a pull needs to know of the reader beyond the actor (the
// user's current scope epoch and the one the device last pulled under) and
// how the device asked.
type Scope struct {
	UserEpoch   int64
	DeviceEpoch int64
	// Snapshot: the device is pulling from 0 after a reset and drops what does
	// not come, so nothing is left out, not even its own writes.
	Snapshot bool
	// WorkingSet (1.2, set=work): only the records a monitor needs to work
	// (see workingSet); the device pulls them first, then everything.
	WorkingSet bool
	// Compact (1.2, compact=1): changes in the compact form (see Compact).
	Compact bool
	// InPush: the pull a push asked for (1.2). It is never a snapshot, so
	// even from 0 it does not take a change of scope as seen: it answers
	// Reset, and the device's own pull from 0 (which drops what the user may
	// no longer see) records it.
	InPush bool
}

// workingSet is the SQL condition on record_index (unqualified columns) of
// the records a monitor needs to work on a new phone: every facility, visit
// and recommendation, and everything under a visit that is not approved or
// is the latest approved visit of its facility (what a follow-up visit
// compares with). It only orders a first sync: a device pulls everything
// after it, so a record that joins the set meanwhile is never missed.
var workingSet = `(type IN ('facility', 'visit', 'recommendation') OR visit_key IN (
	SELECT ` + store.IDKeySQL("v.id") + ` FROM visits v WHERE v.status <> 'approved' OR NOT EXISTS (
		SELECT 1 FROM visits w WHERE w.facility_id = v.facility_id AND w.status = 'approved' AND w.deleted = 0
		AND (COALESCE(w.started_at, '') > COALESCE(v.started_at, '') OR (COALESCE(w.started_at, '') = COALESCE(v.started_at, '') AND w.id > v.id)))))`

// pullQuery selects the keys of the records after a sequence number (?1),
// not echoed to a device (?2), that cond admits, in sequence order, up to a
// limit (the last ?). A reader of one region finds them through the index
// by region and sequence (TestPullPlansUseIndex).
func pullQuery(cond string) string {
	return `SELECT type, id, seq FROM record_index WHERE seq > ? AND echo_key <> +? AND ` + cond + ` ORDER BY seq LIMIT ?`
}

// Pull returns the records changed after since that the actor may see, each
// in its latest full state, at most limit of them (docs/protocol.md, "Pull").
// When what the user may see changed since the device last pulled from 0, or
// since is a cursor the current history never issued, it answers Reset: again
// on every pull until the device pulls from 0, which records the change as
// seen (a pull inside a push, scope.InPush, never does: it answers Reset).
// The device's own writes stored exactly as sent are left out (no echo).
func (e *Engine) Pull(ctx context.Context, actor Actor, scope Scope, since int64, limit int) (*PullResponse, error) {
	if limit <= 0 {
		limit = DefaultPullSize
	}
	limit = min(limit, MaxPullSize)
	if scope.UserEpoch != scope.DeviceEpoch && since == 0 && !scope.InPush {
		err := e.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetDeviceScopeSeen(actor.DeviceID, scope.UserEpoch) })
		if err != nil {
			return nil, err
		}
	}
	resp := &PullResponse{Changes: []Change{}, Next: since}
	err := e.DB.Read(ctx, func(tx *store.Tx) error {
		reader, err := e.Reader(tx, actor)
		if err != nil {
			return err
		}
		if resp.Generation, err = tx.Generation(); err != nil {
			return err
		}
		resp.ServerTime = FormatTime(tx.Now)
		if since > 0 || scope.InPush {
			reset := scope.UserEpoch != scope.DeviceEpoch
			if !reset && since > 0 {
				if reset, err = cursorLost(tx, since); err != nil {
					return err
				}
			}
			if reset {
				resp.Reset, resp.Next = true, 0
				return nil
			}
		}
		cond, args := store.VisibleRecords(actor.Viewer())
		if scope.WorkingSet {
			cond, resp.Set = "("+cond+") AND "+workingSet, "work"
		}
		echo := actor.DeviceID
		if scope.Snapshot || echo == "" {
			echo = "-" // no record has this echo device
		}
		rows, err := tx.Query(pullQuery(cond), append(append([]any{since, store.IDKey(echo)}, args...), limit+1)...)
		if err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		type key struct {
			typ schema.RecordType
			id  string
			seq int64
		}
		var keys []key
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.typ, &k.id, &k.seq); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(keys) > limit {
			keys, resp.More = keys[:limit], true
		}
		for _, k := range keys {
			rec, err := tx.LoadRecord(k.typ, k.id)
			if err != nil {
				return err
			}
			ch := visibleChange(reader, rec)
			if ch.Conflicts, err = openConflicts(tx, rec, ch.Redacted); err != nil {
				return err
			}
			resp.Changes = append(resp.Changes, ch)
			resp.Next = k.seq
		}
		if !resp.More {
			// Nothing more visible after the last change: let the device skip ahead.
			seq, err := tx.CurrentSeq()
			if err != nil {
				return err
			}
			resp.Next = max(resp.Next, seq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if scope.Compact {
		resp.Compact()
	}
	return resp, nil
}

// visibleChange turns a stored record into its pull form, with the fields
// the reader may not see left out and named in Redacted.
func visibleChange(r *store.Reader, rec *store.Record) Change {
	ch := changeOf(rec)
	s := r.SubjectOf(rec)
	ch.Fields, ch.Redacted = r.Redact(s, ch.Fields)
	for _, f := range ch.Redacted {
		delete(ch.Versions, f)
		delete(ch.Stamps, f)
	}
	return ch
}

// cursorLost reports whether a device's cursor is not of the current history:
// beyond the highest sequence issued, or issued only in a history a restore lost.
func cursorLost(tx *store.Tx, since int64) (bool, error) {
	seq, err := tx.CurrentSeq()
	if err != nil {
		return false, err
	}
	if since > seq {
		return true, nil
	}
	return tx.InLostHistory(since)
}

// openConflicts lists the values set aside on a record, as pull carries them:
// none of a field withheld from the reader.
func openConflicts(tx *store.Tx, rec *store.Record, redacted []string) ([]OpenConflict, error) {
	rows, err := tx.Query(`SELECT id, field, COALESCE(loser_value, 'null'), loser_user, loser_device, loser_hlc, created_at
		FROM conflicts WHERE type = ? AND record_id = ? AND resolved_at IS NULL ORDER BY created_at, id`, rec.Type, rec.ID)
	if err != nil {
		return nil, fmt.Errorf("pull conflicts: %w", err)
	}
	defer rows.Close()
	var list []OpenConflict
	for rows.Next() {
		var oc OpenConflict
		var v string
		if err := rows.Scan(&oc.ID, &oc.Field, &v, &oc.User, &oc.Device, &oc.HLC, &oc.CreatedAt); err != nil {
			return nil, err
		}
		if slices.Contains(redacted, oc.Field) {
			continue
		}
		oc.Value = json.RawMessage(v)
		list = append(list, oc)
	}
	return list, rows.Err()
}

// changeOf turns a stored record into its pull form.
func changeOf(rec *store.Record) Change {
	ch := Change{Seq: rec.Seq, Type: rec.Type, ID: rec.ID, Deleted: rec.Deleted, Fields: rec.Fields,
		Versions: make(map[string]int64, len(rec.Versions)), Stamps: make(map[string]string, len(rec.Versions)),
		MergedInto: rec.MergedInto}
	for f, v := range rec.Versions {
		ch.Versions[f] = v.Seq
		if v.HLC != "" {
			ch.Stamps[f] = v.HLC
		}
	}
	if ch.Fields == nil {
		ch.Fields = map[string]any{}
	}
	return ch
}

// ConflictView is an open or resolved sync conflict, as listed for a coordinator.
type ConflictView struct {
	ID          string            `json:"id"`
	Type        schema.RecordType `json:"type"`
	RecordID    string            `json:"record_id"`
	Field       string            `json:"field"`
	VisitID     string            `json:"visit_id"`
	WinnerValue json.RawMessage   `json:"winner_value"`
	LoserValue  json.RawMessage   `json:"loser_value"`
	LoserUser   string            `json:"loser_user,omitempty"`
	LoserDevice string            `json:"loser_device"`
	CreatedAt   string            `json:"created_at"`
	ResolvedAt  string            `json:"resolved_at,omitempty"`
	ResolvedBy  string            `json:"resolved_by,omitempty"`
	// Redacted: the values are withheld from this reader (visibility rule).
	Redacted bool `json:"redacted,omitempty"`
}

// Conflicts lists the conflicts of a visit (all visits when visitID is ""),
// limited to the region for a coordinator; open ones first.
func (e *Engine) Conflicts(ctx context.Context, actor Actor, visitID string) ([]ConflictView, error) {
	list := []ConflictView{}
	err := e.DB.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT id, type, record_id, field, visit_id, COALESCE(winner_value, 'null'), COALESCE(loser_value, 'null'),
			loser_user, loser_device, created_at, COALESCE(resolved_at, ''), COALESCE(resolved_by, '')
			FROM conflicts WHERE (? = '' OR visit_id = ?) AND (? = '' OR region = ?)
			ORDER BY resolved_at IS NOT NULL, created_at`, visitID, visitID, regionLimit(actor), regionLimit(actor))
		if err != nil {
			return fmt.Errorf("list conflicts: %w", err)
		}
		defer rows.Close()
		var all []ConflictView
		for rows.Next() {
			var c ConflictView
			var w, l string
			if err := rows.Scan(&c.ID, &c.Type, &c.RecordID, &c.Field, &c.VisitID, &w, &l, &c.LoserUser, &c.LoserDevice,
				&c.CreatedAt, &c.ResolvedAt, &c.ResolvedBy); err != nil {
				return err
			}
			c.WinnerValue, c.LoserValue = json.RawMessage(w), json.RawMessage(l)
			all = append(all, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		reader, err := e.Reader(tx, actor)
		if err != nil {
			return err
		}
		for _, c := range all {
			s, err := tx.SubjectByID(reader, c.Type, c.RecordID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if reader.Access(s) == schema.Absent {
				continue
			}
			var hidW, hidL bool
			c.WinnerValue, hidW = redactRaw(reader, s, c.Field, c.WinnerValue)
			c.LoserValue, hidL = redactRaw(reader, s, c.Field, c.LoserValue)
			c.Redacted = hidW || hidL
			list = append(list, c)
		}
		return nil
	})
	return list, err
}

// QuarantinedOp is an operation that failed validation, kept verbatim.
type QuarantinedOp struct {
	ID         int64           `json:"id"`
	OpID       string          `json:"op_id"`
	DeviceID   string          `json:"device_id"`
	UserID     string          `json:"user_id"`
	Raw        json.RawMessage `json:"raw"`
	Field      string          `json:"field"`
	Message    string          `json:"message"`
	ReceivedAt string          `json:"received_at"`
	// Redacted names the parts of Raw withheld from this reader by the
	// visibility rule: field names, or "*" for the whole operation.
	Redacted []string `json:"redacted,omitempty"`
}

// Quarantine lists quarantined operations, newest first: the coordinator's
// region only, every region for an admin.
func (e *Engine) Quarantine(ctx context.Context, actor Actor, limit int) ([]QuarantinedOp, error) {
	list := []QuarantinedOp{}
	err := e.DB.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT id, op_id, device_id, user_id, raw, field, message, received_at, region FROM quarantine
			WHERE ? = '' OR region = ? ORDER BY id DESC LIMIT ?`, regionLimit(actor), regionLimit(actor), limit)
		if err != nil {
			return fmt.Errorf("list quarantine: %w", err)
		}
		defer rows.Close()
		var all []QuarantinedOp
		var raws, regions []string
		for rows.Next() {
			var q QuarantinedOp
			var raw, region string
			if err := rows.Scan(&q.ID, &q.OpID, &q.DeviceID, &q.UserID, &raw, &q.Field, &q.Message, &q.ReceivedAt, &region); err != nil {
				return err
			}
			all, raws, regions = append(all, q), append(raws, raw), append(regions, region)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		reader, err := e.Reader(tx, actor)
		if err != nil {
			return err
		}
		for i, q := range all {
			q.Raw, q.Redacted = visibleQuarantined(reader, q.UserID, regions[i], raws[i])
			list = append(list, q)
		}
		return nil
	})
	return list, err
}

// quarantinedParts are the parts of an operation outside its fields that
// carry no record contents.
var quarantinedParts = []string{"op_id", "type", "id", "action", "hlc", "base"}

// visibleQuarantined applies the visibility rule to a quarantined operation
// sent by senderID from region: its fields as for a record of its type
// written by the sender; anything that is not an operation's known part, or
// not JSON at all, as confidential.
func visibleQuarantined(r *store.Reader, senderID, region, raw string) (json.RawMessage, []string) {
	var parts map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &parts); err != nil {
		s := schema.Subject{Type: "", Region: region, AuthorID: senderID}
		if r.Access(s) != schema.Absent && r.Field(s, "*") == schema.Visible {
			b, _ := json.Marshal(raw) // not JSON: shown as a string, verbatim
			if json.Valid([]byte(raw)) {
				b = json.RawMessage(raw)
			}
			return b, nil
		}
		return json.RawMessage("null"), []string{"*"}
	}
	var head struct {
		Type   schema.RecordType `json:"type"`
		Fields struct {
			VisitID string `json:"visit_id"`
			Item    string `json:"item"`
		} `json:"fields"`
	}
	json.Unmarshal([]byte(raw), &head)
	s := r.Subject(head.Type, region, head.Fields.VisitID, senderID, head.Fields.Item)
	out := map[string]json.RawMessage{}
	var redacted []string
	for name, v := range parts {
		switch {
		case name == "fields":
			fields, red := store.RedactFieldsJSON(r, s, v)
			out[name] = fields
			for _, f := range red {
				redacted = append(redacted, "fields."+f)
			}
		case slices.Contains(quarantinedParts, name) && (name != "type" || r.Access(s) != schema.Absent):
			out[name] = v
		case r.Field(s, "*") == schema.Visible:
			out[name] = v
		default:
			redacted = append(redacted, name)
		}
	}
	slices.Sort(redacted)
	b, _ := json.Marshal(out)
	return b, redacted
}

// regionLimit is the region a listing is limited to: the coordinator's own;
// none for staff and admins.
func regionLimit(actor Actor) string {
	if actor.Role == schema.RoleCoordinator || actor.Role == schema.RoleMember {
		return actor.Region
	}
	return ""
}
