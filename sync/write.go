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

// write merges the validated op into the record (docs/protocol.md, "Merging
// one field" and "Deletes"), writes it with a new sequence number and keeps
// every value set aside as a conflict.
func (c *change) write() (*applied, string, *FieldError, error) {
	tx, rec, op := c.tx, c.rec, c.op
	seq, err := tx.NextSeq()
	if err != nil {
		return nil, "", nil, err
	}
	isNew := !rec.Exists
	wasEcho := rec.EchoDevice == c.actor.DeviceID && c.actor.DeviceID != ""
	before := map[string]any{}
	for k, v := range rec.Fields {
		before[k] = v
	}
	c.changed = isNew || c.mergedFrom != ""
	c.plain = map[string]bool{}
	c.stamp = store.FieldVersion{Seq: seq, HLC: op.HLC, Device: c.actor.DeviceID}

	if op.Action == ActionDelete {
		err = c.writeDelete()
	} else {
		err = c.writeFields()
		if err == nil && rec.Deleted {
			err = c.writeOverDelete()
		}
	}
	if err != nil {
		return nil, "", nil, err
	}
	if isNew {
		c.setServerFields()
	}
	if err := c.closeDecided(); err != nil {
		return nil, "", nil, err
	}
	if c.op.Type == schema.RecordConsolidation {
		if c.allPlain() {
			if err := c.closeDevicesConflicts(); err != nil {
				return nil, "", nil, err
			}
		}
		if c.changed {
			rec.Fields["decided_by"] = c.actor.UserID
		}
	}
	if c.op.Type == schema.RecordFacility && (c.actor.Role == schema.RoleCoordinator || c.actor.Role == schema.RoleAdmin) {
		if rec.Fields["verified"] != true {
			rec.Fields["verified"] = true
			c.changed = true
		}
	}
	if c.op.Type == schema.RecordFacility && !isNew && c.region != rec.Region {
		if err := tx.MoveFacilityRecords(rec.ID, rec.Region, c.region); err != nil {
			return nil, "", nil, err
		}
	}
	rec.Region, rec.VisitID = c.region, c.visitID
	if c.authorID != "" {
		rec.AuthorID = c.authorID
	}
	if c.changed {
		rec.Seq = seq
		rec.EchoDevice = ""
		if c.firstConflict == "" && c.closed == 0 && c.mergedFrom == "" && (isNew || wasEcho) && c.storedAsSent() {
			rec.EchoDevice = c.actor.DeviceID
		}
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
		if c.changed {
			// The survivor took this sequence number; the alias gets its own.
			if alias.Seq, err = tx.NextSeq(); err != nil {
				return nil, "", nil, err
			}
		}
		if err := tx.SaveRecordIndex(alias); err != nil {
			return nil, "", nil, err
		}
	}
	return &applied{Record: rec, opSeq: seq}, c.firstConflict, nil, nil
}

// baseOf is the version of field the operation was made from.
func (c *change) baseOf(field string) int64 {
	if c.mergedFrom != "" {
		// The op was made against another record id: it never saw this
		// one, except that a deleted record's old values are over.
		if c.rec.Deleted {
			return c.rec.Versions[deletedField].Seq
		}
		return 0
	}
	return c.op.Base[field]
}

// saw reports whether an operation made from base had seen version cur: the
// base is at or after it, or cur is the same device's earlier write (a device
// has always seen its own writes, even before it learnt their sequence).
func (c *change) saw(base int64, cur store.FieldVersion) bool {
	if base >= cur.Seq {
		return true
	}
	return cur.Device == c.actor.DeviceID && c.mergedFrom == "" && Wins(c.op.HLC, c.actor.DeviceID, cur.HLC, cur.Device)
}

// writeFields merges each field of an upsert.
func (c *change) writeFields() error {
	rec := c.rec
	names := make([]string, 0, len(c.fields))
	for name := range c.fields {
		names = append(names, name)
	}
	sort.Strings(names) // deterministic conflict order
	for _, name := range names {
		value := c.fields[name]
		cur, hasVersion := rec.Versions[name]
		if !hasVersion || c.saw(c.baseOf(name), cur) {
			// Plain update: the device saw the latest version.
			c.plain[name] = true
			if hasVersion && sameValue(rec.Fields[name], value) {
				continue
			}
			c.set(name, value, c.stamp)
			c.changed = true
			continue
		}
		// Concurrent: neither writer saw the other's value.
		if sameValue(rec.Fields[name], value) {
			continue
		}
		if err := c.concurrent(name, value, rec.Fields[name], cur); err != nil {
			return err
		}
	}
	return nil
}

// concurrent decides between the op's value and the stored one (version cur)
// by their stamps and keeps the other as an open conflict.
func (c *change) concurrent(name string, value, current any, cur store.FieldVersion) error {
	conflict := conflictRow{field: name}
	if Wins(c.op.HLC, c.actor.DeviceID, cur.HLC, cur.Device) {
		conflict.winner, conflict.winnerStamp = value, c.stamp
		conflict.loser, conflict.loserStamp = current, cur
		var err error
		if conflict.loserUser, err = c.tx.DeviceUser(cur.Device); err != nil {
			return err
		}
		c.set(name, value, c.stamp)
	} else {
		conflict.winner, conflict.winnerStamp = current, cur
		conflict.loser, conflict.loserStamp = value, c.stamp
		conflict.loserUser = c.actor.UserID
	}
	id, err := c.insertConflict(conflict)
	if err != nil {
		return err
	}
	// Even when the op lost, the record gets this sequence so that every
	// device pulls the result and the value set aside.
	c.changed = true
	if c.firstConflict == "" {
		c.firstConflict = id
	}
	return nil
}

// writeDelete applies a delete. Its base is the highest version the device
// held of the record: a write of another device after it races the delete.
func (c *change) writeDelete() error {
	rec := c.rec
	if rec.Deleted {
		c.plain[deletedField] = true
		return nil
	}
	base := c.baseOf(deletedField)
	var latest *store.FieldVersion
	for _, v := range rec.Versions {
		if c.saw(base, v) {
			continue
		}
		if latest == nil || Wins(v.HLC, v.Device, latest.HLC, latest.Device) {
			v := v
			latest = &v
		}
	}
	if latest == nil {
		c.plain[deletedField] = true
		c.set(deletedField, true, c.stamp)
		c.changed = true
		return nil
	}
	return c.concurrent(deletedField, true, false, *latest)
}

// writeOverDelete settles an upsert to a deleted record: a restore when the
// device saw the deletion, else an edit racing the delete, kept as a conflict.
// The fields were written already (a tombstone keeps them).
func (c *change) writeOverDelete() error {
	rec, op := c.rec, c.op
	del := rec.Versions[deletedField]
	if c.mergedFrom != "" || c.saw(maxBase(op.Base), del) {
		// A write made after seeing the deletion (or a new record for the
		// same key, such as a coordinator's new decision) brings it back.
		c.plain[deletedField] = true
		c.set(deletedField, false, c.stamp)
		c.changed = true
		return nil
	}
	return c.concurrent(deletedField, false, true, del)
}

// allPlain reports whether every field the op wrote was a plain update.
func (c *change) allPlain() bool {
	for name := range c.fields {
		if !c.plain[name] {
			return false
		}
	}
	return true
}

// storedAsSent reports whether the stored record is exactly what the sending
// device already holds: every field as the op sent it, or, not sent, empty or
// the sender's own user id in a field the server fills (docs/protocol.md, "No echo").
func (c *change) storedAsSent() bool {
	rt := store.RecordTypes[c.op.Type]
	for _, col := range rt.Columns {
		v := c.rec.Fields[col.Name]
		if sent, ok := c.op.Fields[col.Name]; ok {
			if !sameValue(v, normalizeJSON(sent)) {
				return false
			}
			continue
		}
		if _, written := c.fields[col.Name]; written {
			return false // filled in by the server (a visit's team, its checklist)
		}
		if !c.isNew() {
			continue // the device holds what it had
		}
		switch {
		case isEmpty(v):
		case (col.Name == "author_id" || col.Name == "created_by" || col.Name == "decided_by") && v == c.actor.UserID:
		default:
			return false
		}
	}
	return true
}

func normalizeJSON(raw json.RawMessage) any {
	v, err := decodeAny(raw)
	if err != nil {
		return nil
	}
	return v
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	}
	return false
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
	case schema.RecordObservation, schema.RecordConfidentialNote, schema.RecordInterview:
		f["author_id"] = c.actor.UserID
	case schema.RecordFacility:
		f["verified"] = c.actor.Role == schema.RoleCoordinator || c.actor.Role == schema.RoleAdmin
		f["created_by"] = c.actor.UserID
	case schema.RecordVisit, schema.RecordLocation, schema.RecordRecommendation, schema.RecordObstruction:
		f["created_by"] = c.actor.UserID
	}
	if c.op.Type == schema.RecordVisit && (f["status"] == nil || f["status"] == "") {
		f["status"] = "draft"
	}
	if c.op.Type == schema.RecordRecommendation && (f["status"] == nil || f["status"] == "") {
		f["status"] = "open"
	}
}

// afterWrite keeps the tables that follow a record in step: a visit's team and
// status history, a recommendation's status history.
func (c *change) afterWrite(before map[string]any, isNew bool) error {
	tx, rec := c.tx, c.rec
	switch c.op.Type {
	case schema.RecordVisit:
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
	case schema.RecordRecommendation:
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

// closeDecided closes the conflicts the op names in resolves, when the op
// wrote their field as a plain update (its maker saw the latest value); a
// decision made on a stale screen leaves them open beside its own conflict.
func (c *change) closeDecided() error {
	for _, cf := range c.decides {
		if !c.plain[cf.field] {
			continue
		}
		if _, err := c.tx.Exec(`UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolved_op_id = ?
			WHERE id = ? AND resolved_at IS NULL`, c.tx.NowText(), c.actor.UserID, c.op.OpID, cf.id); err != nil {
			return fmt.Errorf("close conflict: %w", err)
		}
		c.closed++
		c.changed = true // every device learns the conflict is closed
	}
	return nil
}

// closeDevicesConflicts: the coordinator's decision on an item also settles
// the conflicts between one member's two devices over that item. Each
// observation whose conflict it closes gets a new sequence (and is no one's
// echo), as closeDecided's record does: every device pulls it again and
// learns its conflict is closed.
func (c *change) closeDevicesConflicts() error {
	rows, err := c.tx.Query(`SELECT DISTINCT record_id FROM conflicts
		WHERE type = 'observation' AND field = 'value' AND resolved_at IS NULL AND record_id IN
		(SELECT id FROM observations WHERE visit_key = +? AND location_key = +? AND item = ?) ORDER BY record_id`,
		store.IDKey(c.visitID), store.IDKey(str(c.rec.Fields["location_id"])), str(c.rec.Fields["item"]))
	if err != nil {
		return fmt.Errorf("find observation conflicts: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("find observation conflicts: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find observation conflicts: %w", err)
	}
	for _, id := range ids {
		if _, err := c.tx.Exec(`UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolved_op_id = ?
			WHERE type = 'observation' AND field = 'value' AND resolved_at IS NULL AND record_id = ?`,
			c.tx.NowText(), c.actor.UserID, c.op.OpID, id); err != nil {
			return fmt.Errorf("resolve observation conflicts: %w", err)
		}
		if err := c.republish(schema.RecordObservation, id); err != nil {
			return err
		}
		c.changed = true
	}
	return nil
}

// republish gives another record than the operation's a new sequence and
// clears its echo device, so that every device pulls it again (with what
// changed around it, such as its conflicts).
func (c *change) republish(typ schema.RecordType, id string) error {
	rec, err := c.tx.LoadRecord(typ, id)
	if err != nil {
		return err
	}
	if !rec.Exists {
		return nil
	}
	if rec.Seq, err = c.tx.NextSeq(); err != nil {
		return err
	}
	rec.EchoDevice = ""
	return c.tx.SaveRecord(rec)
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
