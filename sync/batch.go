package sync

import (
	"fmt"

	"inspecta/schema"
	"inspecta/store"
)

// batch is a push's operations, decoded once, and what was looked up for all
// of them in one query each instead of one per operation: which op_ids the op
// log holds already, which records exist (store.Tx.PrefetchIndex) and which
// natural keys are taken (store.Tx.PrefetchKeys). A push of a new visit looks
// up a thousand op_ids, records and keys that never exist.
type batch struct {
	ops    []pushed
	logged map[string]loggedOp // op_ids of this push the op log held when it began
	seen   map[string]bool     // op_ids met so far in this push
}

// prefetch does the batch's lookups for the push's operations (decoded).
func (e *Engine) prefetch(tx *store.Tx, actor Actor, ops []pushed) (*batch, error) {
	b := &batch{ops: ops, logged: map[string]loggedOp{}, seen: map[string]bool{}}
	opIDs := make([]string, 0, len(ops))
	ids := map[schema.RecordType][]string{}
	keys := map[schema.RecordType][]store.NaturalKey{}
	for i := range b.ops {
		p := &b.ops[i]
		if p.err != nil {
			continue
		}
		opIDs = append(opIDs, p.op.OpID)
		if _, ok := store.RecordTypes[p.op.Type]; ok && p.op.ID != "" {
			ids[p.op.Type] = append(ids[p.op.Type], p.op.ID)
		}
		if k, ok := naturalKey(actor, p.op); ok {
			keys[p.op.Type] = append(keys[p.op.Type], k)
		}
	}
	if err := b.readLog(tx, opIDs); err != nil {
		return nil, err
	}
	for typ, list := range ids {
		if err := tx.PrefetchIndex(typ, list); err != nil {
			return nil, err
		}
	}
	for typ, list := range keys {
		if err := tx.PrefetchKeys(typ, list); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// naturalKey is the natural key a new observation or consolidation made by op
// would take, when its fields name one.
func naturalKey(actor Actor, op Op) (store.NaturalKey, bool) {
	if (op.Type != schema.RecordObservation && op.Type != schema.RecordConsolidation) || op.Action != ActionUpsert {
		return store.NaturalKey{}, false
	}
	var k store.NaturalKey
	for name, dest := range map[string]*string{"visit_id": &k.VisitID, "location_id": &k.LocationID, "item": &k.Item} {
		raw, ok := op.Fields[name]
		if !ok && name == "location_id" {
			continue
		}
		if !ok || decodeString(raw, dest) != nil {
			return store.NaturalKey{}, false
		}
	}
	if op.Type == schema.RecordObservation {
		k.AuthorID = actor.UserID
	}
	return k, true
}

// readLog reads what the op log holds of the given op_ids, 500 at a time.
func (b *batch) readLog(tx *store.Tx, opIDs []string) error {
	for len(opIDs) > 0 {
		chunk := opIDs[:min(len(opIDs), 500)]
		opIDs = opIDs[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = store.OpKey(id)
		}
		rows, err := tx.Query(`SELECT op_id, `+loggedOpColumns+` FROM ops WHERE `+store.OpsByOpID(len(chunk)), args...)
		if err != nil {
			return fmt.Errorf("find ops: %w", err)
		}
		for rows.Next() {
			var id string
			var l loggedOp
			if err := rows.Scan(append([]any{&id}, l.scanTargets()...)...); err != nil {
				rows.Close()
				return fmt.Errorf("find ops: %w", err)
			}
			b.logged[id] = l
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find ops: %w", err)
		}
	}
	return nil
}

// see notes that the push met opID and reports whether it is the first time:
// an op_id sent twice in one push is looked up again the second time, since
// the first may have been logged meanwhile. A nil batch (an operation of the
// server's own) has looked nothing up.
func (b *batch) see(opID string) bool {
	if b == nil {
		return false
	}
	first := !b.seen[opID]
	b.seen[opID] = true
	return first
}

// previousResult is Engine.previousResult answered from the batch's lookup.
func (b *batch) previousResult(actor Actor, opID string) (Result, bool) {
	l, ok := b.logged[opID]
	if !ok {
		return Result{}, false
	}
	return l.result(actor, opID), true
}
