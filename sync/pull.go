package sync

import (
	"context"
	"encoding/json"
	"fmt"

	"inspecta/schema"
	"inspecta/store"
)

// Scope is what a pull needs to know of the reader beyond the actor: the
// user's current scope epoch and the one the device last pulled under.
type Scope struct {
	UserEpoch   int64
	DeviceEpoch int64
}

// scopeFilter returns the SQL condition on record_index that limits a pull to
// what the actor may see (SYNC.md, "Scope"), and its arguments.
func scopeFilter(actor Actor) (string, []any) {
	switch actor.Role {
	case schema.RoleCoordinator:
		return "region = ?", []any{actor.Region}
	case schema.RoleMember:
		return `region = ? AND (type IN ('facility', 'recommendation')
			OR (visit_id IN (SELECT visit_id FROM visit_team WHERE user_id = ?)
			    AND (type <> 'confidential_note' OR author_id = ?)))`,
			[]any{actor.Region, actor.UserID, actor.UserID}
	default: // staff and admin read every region, never a confidential note
		return "type <> 'confidential_note'", nil
	}
}

// Pull returns the records changed after since that the actor may see, each
// in its latest full state, at most limit of them. When what the user may see
// changed since the device last pulled, it answers Reset (unless since is 0).
func (e *Engine) Pull(ctx context.Context, actor Actor, scope Scope, since int64, limit int) (*PullResponse, error) {
	if limit <= 0 {
		limit = DefaultPullSize
	}
	limit = min(limit, MaxPullSize)
	if scope.UserEpoch != scope.DeviceEpoch {
		err := e.DB.Write(ctx, func(tx *store.Tx) error { return tx.SetDeviceScopeSeen(actor.DeviceID, scope.UserEpoch) })
		if err != nil {
			return nil, err
		}
		if since > 0 {
			return &PullResponse{Reset: true, Changes: []Change{}}, nil
		}
	}
	resp := &PullResponse{Changes: []Change{}, Next: since}
	err := e.DB.Read(ctx, func(tx *store.Tx) error {
		cond, args := scopeFilter(actor)
		rows, err := tx.Query(`SELECT type, id, seq FROM record_index WHERE seq > ? AND `+cond+` ORDER BY seq LIMIT ?`,
			append(append([]any{since}, args...), limit+1)...)
		if err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		type key struct {
			typ, id string
			seq     int64
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
			resp.Changes = append(resp.Changes, changeOf(rec))
			resp.Next = k.seq
		}
		if !resp.More && len(keys) == 0 {
			// Nothing visible after since: let the device skip ahead.
			seq, err := tx.CurrentSeq()
			if err != nil {
				return err
			}
			resp.Next = max(since, seq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// changeOf turns a stored record into its pull form.
func changeOf(rec *store.Record) Change {
	ch := Change{Seq: rec.Seq, Type: rec.Type, ID: rec.ID, Deleted: rec.Deleted, Fields: rec.Fields,
		Versions: make(map[string]int64, len(rec.Versions)), MergedInto: rec.MergedInto}
	for f, v := range rec.Versions {
		if f != deletedField {
			ch.Versions[f] = v.Seq
		}
	}
	if ch.Fields == nil {
		ch.Fields = map[string]any{}
	}
	return ch
}

// ConflictView is an open or resolved sync conflict, as listed for a coordinator.
type ConflictView struct {
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	RecordID    string          `json:"record_id"`
	Field       string          `json:"field"`
	VisitID     string          `json:"visit_id"`
	WinnerValue json.RawMessage `json:"winner_value"`
	LoserValue  json.RawMessage `json:"loser_value"`
	LoserUser   string          `json:"loser_user,omitempty"`
	LoserDevice string          `json:"loser_device"`
	CreatedAt   string          `json:"created_at"`
	ResolvedAt  string          `json:"resolved_at,omitempty"`
	ResolvedBy  string          `json:"resolved_by,omitempty"`
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
		for rows.Next() {
			var c ConflictView
			var w, l string
			if err := rows.Scan(&c.ID, &c.Type, &c.RecordID, &c.Field, &c.VisitID, &w, &l, &c.LoserUser, &c.LoserDevice,
				&c.CreatedAt, &c.ResolvedAt, &c.ResolvedBy); err != nil {
				return err
			}
			c.WinnerValue, c.LoserValue = json.RawMessage(w), json.RawMessage(l)
			list = append(list, c)
		}
		return rows.Err()
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
}

// Quarantine lists quarantined operations, newest first: the coordinator's
// region only, every region for an admin.
func (e *Engine) Quarantine(ctx context.Context, actor Actor, limit int) ([]QuarantinedOp, error) {
	list := []QuarantinedOp{}
	err := e.DB.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT id, op_id, device_id, user_id, raw, field, message, received_at FROM quarantine
			WHERE ? = '' OR region = ? ORDER BY id DESC LIMIT ?`, regionLimit(actor), regionLimit(actor), limit)
		if err != nil {
			return fmt.Errorf("list quarantine: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var q QuarantinedOp
			var raw string
			if err := rows.Scan(&q.ID, &q.OpID, &q.DeviceID, &q.UserID, &raw, &q.Field, &q.Message, &q.ReceivedAt); err != nil {
				return err
			}
			if json.Valid([]byte(raw)) {
				q.Raw = json.RawMessage(raw)
			} else {
				q.Raw, _ = json.Marshal(raw) // not JSON: shown as a string, verbatim
			}
			list = append(list, q)
		}
		return rows.Err()
	})
	return list, err
}

// regionLimit is the region a listing is limited to: the coordinator's own;
// none for staff and admins.
func regionLimit(actor Actor) string {
	if actor.Role == schema.RoleCoordinator || actor.Role == schema.RoleMember {
		return actor.Region
	}
	return ""
}
