package sync

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/google/uuid"

	"inspecta/schema"
	"inspecta/store"
)

// deletedField is the pseudo-field whose version records a tombstone.
const deletedField = "_deleted"

// write merges the validated op into the record (SYNC.md principle 4), writes
// it with a new sequence number and keeps every losing value as a conflict.
func (c *change) write() (*applied, string, *FieldError, error) {
	tx, rec, op := c.tx, c.rec, c.op
	seq, err := tx.NextSeq()
	if err != nil {
		return nil, "", nil, err
	}
	isNew := !rec.Exists
	before := map[string]any{}
	for k, v := range rec.Fields {
		before[k] = v
	}
	var firstConflict string
	changed := isNew || c.mergedFrom != ""
	stamp := store.FieldVersion{Seq: seq, HLC: op.HLC, Device: c.actor.DeviceID}

	names := make([]string, 0, len(c.fields))
	for name := range c.fields {
		names = append(names, name)
	}
	sort.Strings(names) // deterministic conflict order
	if op.Action == "delete" {
		names = []string{deletedField}
	}
	for _, name := range names {
		var value any = true
		if name != deletedField {
			value = c.fields[name]
		}
		cur, hasVersion := rec.Versions[name]
		base := op.Base[name]
		if c.mergedFrom != "" {
			// The op was made against another record id: it never saw this
			// one, except that a deleted record's old values are over.
			base = 0
			if rec.Deleted {
				base = rec.Versions[deletedField].Seq
			}
		}
		// A device has always seen its own earlier writes, even before it
		// learnt their sequence numbers.
		ownLater := hasVersion && cur.Device == c.actor.DeviceID && c.mergedFrom == "" &&
			Wins(op.HLC, c.actor.DeviceID, cur.HLC, cur.Device)
		if !hasVersion || base >= cur.Seq || ownLater {
			// Plain update: the device saw the latest version, so this write
			// is also the decision on any open conflict of the field.
			if hasVersion {
				if err := c.resolveConflicts(name, op.OpID); err != nil {
					return nil, "", nil, err
				}
			}
			if name != deletedField && hasVersion && sameValue(rec.Fields[name], value) {
				continue
			}
			c.set(name, value, stamp)
			changed = true
			continue
		}
		// Concurrent: neither writer saw the other's value.
		current := rec.Fields[name]
		if name == deletedField {
			current = rec.Deleted
		}
		if sameValue(current, value) {
			continue
		}
		conflict := conflictRow{field: name}
		if Wins(op.HLC, c.actor.DeviceID, cur.HLC, cur.Device) {
			conflict.winner, conflict.winnerStamp = value, stamp
			conflict.loser, conflict.loserStamp = current, cur
			if conflict.loserUser, err = tx.DeviceUser(cur.Device); err != nil {
				return nil, "", nil, err
			}
			c.set(name, value, stamp)
			changed = true
		} else {
			conflict.winner, conflict.winnerStamp = current, cur
			conflict.loser, conflict.loserStamp = value, stamp
			conflict.loserUser = c.actor.UserID
		}
		id, err := c.insertConflict(conflict)
		if err != nil {
			return nil, "", nil, err
		}
		// Even when the op lost, the record gets this sequence so that the
		// device that sent it pulls the winning value.
		changed = true
		if firstConflict == "" {
			firstConflict = id
		}
	}

	if isNew {
		c.setServerFields()
	}
	if op.Action == "upsert" && rec.Deleted && (c.mergedFrom != "" || maxBase(op.Base) >= rec.Versions[deletedField].Seq) {
		// A write made after seeing the deletion (or a new record for the same
		// key, such as a coordinator's new decision) brings the record back.
		c.set(deletedField, false, stamp)
		changed = true
	}
	if c.op.Type == "consolidation" && changed {
		rec.Fields["decided_by"] = c.actor.UserID
		// The coordinator's decision on an item also settles the conflicts
		// between one member's two devices over that item.
		if _, err := tx.Exec(`UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolved_op_id = ?
			WHERE type = 'observation' AND field = 'value' AND resolved_at IS NULL AND record_id IN
			(SELECT id FROM observations WHERE visit_id = ? AND location_id = ? AND item = ?)`,
			tx.NowText(), c.actor.UserID, op.OpID, c.visitID, str(rec.Fields["location_id"]), str(rec.Fields["item"])); err != nil {
			return nil, "", nil, fmt.Errorf("resolve observation conflicts: %w", err)
		}
	}
	if c.op.Type == "facility" && (c.actor.Role == schema.RoleCoordinator || c.actor.Role == schema.RoleAdmin) {
		if rec.Fields["verified"] != true {
			rec.Fields["verified"] = true
			changed = true
		}
	}
	rec.Region, rec.VisitID = c.region, c.visitID
	if c.authorID != "" {
		rec.AuthorID = c.authorID
	}
	if changed {
		rec.Seq = seq
		if err := tx.SaveRecord(rec); err != nil {
			return nil, "", nil, err
		}
		if err := c.afterWrite(before, isNew); err != nil {
			return nil, "", nil, err
		}
	}
	if c.mergedFrom != "" {
		alias := &store.Record{Type: op.Type, ID: c.mergedFrom, Seq: seq, Region: c.region, VisitID: c.visitID,
			AuthorID: rec.AuthorID, Deleted: true, Versions: map[string]store.FieldVersion{}, MergedInto: rec.ID}
		if changed {
			// The survivor took this sequence number; the alias gets its own.
			if alias.Seq, err = tx.NextSeq(); err != nil {
				return nil, "", nil, err
			}
		}
		if err := tx.SaveRecordIndex(alias); err != nil {
			return nil, "", nil, err
		}
	}
	return &applied{Record: rec, opSeq: seq}, firstConflict, nil, nil
}

// set writes one field of the record with its version.
func (c *change) set(name string, value any, stamp store.FieldVersion) {
	if name == deletedField {
		c.rec.Deleted = value == true
	} else {
		c.rec.Fields[name] = value
	}
	c.rec.Versions[name] = stamp
}

// setServerFields fills the fields a device never sets, on a new record.
func (c *change) setServerFields() {
	f := c.rec.Fields
	switch c.op.Type {
	case "observation", "confidential_note":
		f["author_id"] = c.actor.UserID
	case "facility":
		f["verified"] = c.actor.Role == schema.RoleCoordinator || c.actor.Role == schema.RoleAdmin
		f["created_by"] = c.actor.UserID
	case "visit", "location", "recommendation":
		f["created_by"] = c.actor.UserID
	}
	if c.op.Type == "visit" && (f["status"] == nil || f["status"] == "") {
		f["status"] = "draft"
	}
	if c.op.Type == "recommendation" && (f["status"] == nil || f["status"] == "") {
		f["status"] = "open"
	}
}

// afterWrite keeps the tables that follow a record in step: a visit's team and
// status history, a recommendation's status history.
func (c *change) afterWrite(before map[string]any, isNew bool) error {
	tx, rec := c.tx, c.rec
	switch c.op.Type {
	case "visit":
		if isNew || !sameValue(before["team"], rec.Fields["team"]) {
			if err := syncTeam(tx, rec.ID, before["team"], rec.Fields["team"], !isNew); err != nil {
				return err
			}
		}
		if isNew || before["status"] != rec.Fields["status"] {
			if _, err := tx.Exec(`INSERT INTO visit_status_history (visit_id, status, changed_by, changed_at) VALUES (?, ?, ?, ?)`,
				rec.ID, str(rec.Fields["status"]), c.actor.UserID, tx.NowText()); err != nil {
				return fmt.Errorf("visit history: %w", err)
			}
		}
	case "recommendation":
		if isNew || before["status"] != rec.Fields["status"] || before["checked_visit_id"] != rec.Fields["checked_visit_id"] {
			if _, err := tx.Exec(`INSERT INTO recommendation_status_history (recommendation_id, status, visit_id, changed_by, changed_at)
				VALUES (?, ?, ?, ?, ?)`, rec.ID, str(rec.Fields["status"]), str(rec.Fields["checked_visit_id"]), c.actor.UserID, tx.NowText()); err != nil {
				return fmt.Errorf("recommendation history: %w", err)
			}
		}
	}
	return nil
}

// syncTeam rewrites visit_team from the team list and, for a visit that
// already existed, tells the devices of everyone who joined or left that what
// they may see changed (their next pull starts again from 0). A new visit
// needs no such reset: all of it is newer than anything a device has pulled.
func syncTeam(tx *store.Tx, visitID string, before, after any, existed bool) error {
	old, now := idSet(before), idSet(after)
	var moved []string
	for id := range old {
		if !now[id] {
			moved = append(moved, id)
		}
	}
	for id := range now {
		if !old[id] {
			moved = append(moved, id)
		}
	}
	if _, err := tx.Exec("DELETE FROM visit_team WHERE visit_id = ?", visitID); err != nil {
		return fmt.Errorf("visit team: %w", err)
	}
	for id := range now {
		if _, err := tx.Exec("INSERT INTO visit_team (visit_id, user_id) VALUES (?, ?)", visitID, id); err != nil {
			return fmt.Errorf("visit team: %w", err)
		}
	}
	if !existed {
		return nil
	}
	return tx.BumpScope(moved...)
}

func idSet(v any) map[string]bool {
	set := map[string]bool{}
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			set[s] = true
		}
	}
	return set
}

type conflictRow struct {
	field                   string
	winner, loser           any
	winnerStamp, loserStamp store.FieldVersion
	loserUser               string
}

func (c *change) insertConflict(cr conflictRow) (string, error) {
	id := uuid.Must(uuid.NewV7()).String()
	winner, _ := json.Marshal(cr.winner)
	loser, _ := json.Marshal(cr.loser)
	_, err := c.tx.Exec(`INSERT INTO conflicts (id, type, record_id, field, visit_id, region, winner_value, winner_hlc, winner_device,
		loser_value, loser_hlc, loser_device, loser_user, op_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, c.op.Type, c.rec.ID, cr.field, c.visitID, c.region, string(winner), cr.winnerStamp.HLC, cr.winnerStamp.Device,
		string(loser), cr.loserStamp.HLC, cr.loserStamp.Device, cr.loserUser, c.op.OpID, c.tx.NowText())
	if err != nil {
		return "", fmt.Errorf("record conflict: %w", err)
	}
	return id, nil
}

// resolveConflicts closes the open conflicts of a field: a write made from the
// latest version is a decision on them (SYNC.md: resolving is an ordinary operation).
func (c *change) resolveConflicts(field, opID string) error {
	_, err := c.tx.Exec(`UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolved_op_id = ?
		WHERE type = ? AND record_id = ? AND field = ? AND resolved_at IS NULL`,
		c.tx.NowText(), c.actor.UserID, opID, c.op.Type, c.rec.ID, field)
	if err != nil {
		return fmt.Errorf("resolve conflicts: %w", err)
	}
	return nil
}

// str is a text field's value, "" when absent.
func str(v any) string {
	s, _ := v.(string)
	return s
}

func maxBase(base map[string]int64) int64 {
	var m int64
	for _, b := range base {
		m = max(m, b)
	}
	return m
}
