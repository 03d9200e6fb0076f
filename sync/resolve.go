package sync

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/google/uuid"

	"inspecta/schema"
	"inspecta/store"
)

// ErrNoOpenConflict is returned by ResolveConflict for a conflict that is not
// open on the visit (never raised there, or already decided).
var ErrNoOpenConflict = errors.New("no open conflict with that id in this visit")

// Keep names the value a decision keeps of a conflict.
type Keep string

// The values a decision may keep instead of giving one.
const (
	KeepWinner Keep = "winner" // the value the record holds
	KeepLoser  Keep = "loser"  // the value set aside
)

// ConflictDecision is the coordinator's decision on one open conflict.
type ConflictDecision struct {
	Keep  Keep            // KeepWinner, KeepLoser, or "" with Value
	Value json.RawMessage // another value, when Keep is ""
	// Reason says why; it is the consolidation's reason when the conflict is
	// settled by consolidating an item (a default sentence if empty).
	Reason string
	// Version is the version the screen showed (VisitConflict.Version): the
	// decision is made from it, so a colleague's write since then is kept as
	// a new conflict beside the open one, never silently overwritten.
	Version int64
}

// ResolveConflict settles open conflict conflictID of visit visitID with one
// operation that names it (docs/protocol.md, "Conflicts"), applied as actor.
// A conflict between a member's own devices over an observation is settled by
// consolidating the item: the coordinator never writes a member's
// observation. It returns ErrNoOpenConflict when the conflict is not open on
// the visit, and the operation's result otherwise (rejected, with its
// FieldError, when the engine refuses it).
func (e *Engine) ResolveConflict(tx *store.Tx, actor Actor, visitID, conflictID string, d ConflictDecision) (Result, error) {
	open, err := tx.OpenVisitConflicts(visitID)
	if err != nil {
		return Result{}, err
	}
	i := slices.IndexFunc(open, func(c store.VisitConflict) bool { return c.ID == conflictID })
	if i < 0 {
		return Result{}, ErrNoOpenConflict
	}
	op, err := resolutionOp(tx, visitID, open[i], d)
	if err != nil {
		return Result{}, err
	}
	return e.ApplyServerOp(tx, actor, op)
}

// resolutionOp builds the operation that settles conflict c with decision d.
func resolutionOp(tx *store.Tx, visitID string, c store.VisitConflict, d ConflictDecision) (Op, error) {
	value := d.Value
	switch d.Keep {
	case KeepWinner:
		value = c.WinnerValue
	case KeepLoser:
		value = c.LoserValue
	}
	switch {
	case c.RecordType == schema.RecordObservation:
		reason := d.Reason
		if reason == "" {
			reason = "sync conflict between a member's devices resolved"
		}
		return ConsolidationOp(tx, visitID, c.LocationID, c.Item, value, reason, c.RecordID, d.Version)
	case c.Field == deletedField:
		op := Op{OpID: uuid.Must(uuid.NewV7()).String(), Type: c.RecordType, ID: c.RecordID, Action: ActionUpsert,
			Base: map[string]int64{deletedField: d.Version}, Resolves: []string{c.ID}}
		if string(value) == "true" {
			op.Action = ActionDelete
		}
		return op, nil
	default:
		return Op{OpID: uuid.Must(uuid.NewV7()).String(), Type: c.RecordType, ID: c.RecordID, Action: ActionUpsert,
			Fields: map[string]json.RawMessage{c.Field: value}, Base: map[string]int64{c.Field: d.Version}, Resolves: []string{c.ID}}, nil
	}
}

// ConsolidationOp builds the consolidation operation for one item of a visit:
// a write to the item's existing consolidation, made from the version the
// coordinator's screen showed (a colleague's decision since then makes it a
// conflict, never a silent overwrite), or a new one.
func ConsolidationOp(tx *store.Tx, visitID, locationID, item string, value json.RawMessage, reason, observationID string, version int64) (Op, error) {
	op := Op{OpID: uuid.Must(uuid.NewV7()).String(), Type: schema.RecordConsolidation, Action: ActionUpsert,
		Fields: map[string]json.RawMessage{}}
	for name, v := range map[string]any{"visit_id": visitID, "location_id": locationID, "item": item,
		"reason": reason, "observation_id": observationID} {
		b, _ := json.Marshal(v)
		op.Fields[name] = b
	}
	op.Fields["value"] = value
	id, err := tx.FindByKey(schema.RecordConsolidation, map[string]any{"visit_id": visitID, "location_id": locationID, "item": item})
	if err != nil {
		return op, err
	}
	if id == "" {
		op.ID = uuid.Must(uuid.NewV7()).String()
		return op, nil
	}
	op.ID = id
	op.Base = map[string]int64{}
	for name := range op.Fields {
		op.Base[name] = version
	}
	return op, nil
}
