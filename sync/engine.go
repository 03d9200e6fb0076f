package sync

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"inspecta/schema"
	"inspecta/store"
)

// Engine applies pushed operations to the store and answers pulls.
// Observations are validated against the checklist version their visit was
// started with, from the database's catalog (store.Tx.Checklists): a version
// imported or activated while the server runs is seen by the next push.
type Engine struct {
	DB *store.DB

	// opHook, when set (tests only: export_test.go), runs before each
	// operation of a push, with the part (from 1) and the operation's place in
	// it; its error fails the push there, as a server fault would.
	opHook func(tx *store.Tx, part, n int) error
}

// NewEngine returns an engine over db.
func NewEngine(db *store.DB) *Engine {
	return &Engine{DB: db}
}

// Push applies a batch of operations and returns one result per operation, in
// order. A rejected operation is quarantined verbatim and does not stop the
// others. It is PushThen without anything to do after the operations.
func (e *Engine) Push(ctx context.Context, actor Actor, ops []json.RawMessage) (*PushResponse, error) {
	return e.PushThen(ctx, actor, ops, nil)
}

// MinPart is the fewest operations a part of a push applies before it lets a
// waiting small write have the writer (store.DB.WriteParts): a full visit
// pushed while a stream of small pushes arrives is still a few dozen commits,
// not a thousand.
const MinPart = 64

// PushThen applies a batch of operations in one or more transactions, its
// parts (store.DB.WriteParts): a part ends early when a small write waits, so
// a monitor's few answers are not held up by a full visit being applied. The
// operations are applied in order, each exactly once: an error means the
// operations of the parts committed before it are applied and the others are
// not, and the device's retry of the whole batch is answered, for the first
// ones, from the op log (the same results). then, if not nil, runs in the
// last part's transaction, after the operations (the device's token renewal:
// no write transaction of its own).
func (e *Engine) PushThen(ctx context.Context, actor Actor, ops []json.RawMessage, then func(*store.Tx) error) (*PushResponse, error) {
	decoded := make([]pushed, len(ops)) // outside the transaction: it holds the writer
	for i, raw := range ops {
		decoded[i] = decodeOp(raw)
	}
	var before []time.Time // per operation, the earliest stamp of a later one (stamper.laterStamps)
	resp := &PushResponse{Results: make([]Result, 0, len(ops))}
	done, part := 0, 0 // operations applied by the parts committed so far; parts begun
	err := e.DB.WriteParts(ctx, len(ops), func(tx *store.Tx) (bool, error) {
		resp.Results = resp.Results[:done]
		part++
		dc, err := tx.DeviceClock(actor.DeviceID)
		if err != nil {
			return false, err
		}
		st := newStamper(tx.Now, actor, dc)
		if before == nil {
			before = st.laterStamps(decoded)
		}
		b, err := e.prefetch(tx, actor, decoded[done:])
		if err != nil {
			return false, err
		}
		n := 0
		for ; n < len(b.ops); n++ {
			if e.opHook != nil {
				if err := e.opHook(tx, part, n); err != nil {
					return false, err
				}
			}
			if n >= MinPart && tx.SmallWaiting() {
				break
			}
			st.before = before[done+n]
			res, err := e.pushOne(tx, actor, st, &b.ops[n], b)
			if err != nil {
				return false, err
			}
			resp.Results = append(resp.Results, res)
		}
		if st.moved {
			if err := tx.SetDeviceLastHLC(actor.DeviceID, st.last.String()); err != nil {
				return false, err
			}
		}
		if done+n < len(ops) {
			done += n // this part commits when fn returns; an error after it ends the push
			return false, nil
		}
		if then != nil {
			if err := then(tx); err != nil {
				return false, err
			}
		}
		if resp.Generation, err = tx.Generation(); err != nil {
			return false, err
		}
		resp.ServerTime = FormatTime(tx.Now)
		resp.ServerSeq, err = tx.CurrentSeq()
		return true, err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// FormatTime writes a time as the protocol does: RFC 3339 UTC with milliseconds.
func FormatTime(t time.Time) string { return t.UTC().Format(hlcTimeLayout) }

// ApplyServerOp applies one operation made by the server itself on behalf of
// actor (a facility created through the REST API, a visit approved), inside tx.
// It is stamped with the server's clock.
func (e *Engine) ApplyServerOp(tx *store.Tx, actor Actor, op Op) (Result, error) {
	if op.OpID == "" {
		op.OpID = uuid.Must(uuid.NewV7()).String()
	}
	if op.HLC == "" {
		op.HLC = HLC{Wall: tx.Now, Node: "server"}.String()
	}
	raw, err := json.Marshal(op)
	if err != nil {
		return Result{}, err
	}
	actor.DeviceTime = time.Time{}
	p := decodeOp(raw)
	return e.pushOne(tx, actor, newStamper(tx.Now, actor, store.DeviceClock{}), &p, nil)
}

// pushed is one operation of a push, decoded once.
type pushed struct {
	raw json.RawMessage
	op  Op
	err error // not JSON of the protocol's form
	// flat: read by decodeOpFast, which refuses a name repeated in the
	// operation, its fields or its base, and no field's value holds an
	// object: no name can be repeated anywhere (duplicateKey).
	flat bool
}

func decodeOp(raw json.RawMessage) pushed {
	p := pushed{raw: raw}
	if decodeOpFast(raw, &p.op) {
		p.flat = true
		for _, v := range p.op.Fields {
			if bytes.IndexByte(v, '{') >= 0 {
				p.flat = false
				break
			}
		}
		return p
	}
	p.op = Op{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	p.err = dec.Decode(&p.op)
	return p
}

func (e *Engine) pushOne(tx *store.Tx, actor Actor, st *stamper, p *pushed, b *batch) (Result, error) {
	op, raw := p.op, p.raw
	if p.err != nil {
		// Salvage the op_id if there is one, so the device can match the answer.
		var partial struct {
			OpID string `json:"op_id"`
		}
		json.Unmarshal(raw, &partial)
		b.see(partial.OpID)
		fe := invalid("op", "the operation is not valid JSON of the protocol's form: %s", DescribeJSONError(p.err))
		return e.reject(tx, actor, partial.OpID, op, raw, fe)
	}
	first := b.see(op.OpID)
	// One form only: the same op_id in capitals, braces or without dashes
	// would not be found as sent before and would be applied a second time.
	if u, err := uuid.Parse(op.OpID); err != nil || u.String() != op.OpID {
		return e.reject(tx, actor, "", op, raw, invalid("op_id", "op_id must be a UUID in its lower-case form of 36 characters, such as 0193b7d2-5f1e-7c3a-9a4e-2b6f0c8d1e3f"))
	}
	key := "" // a name sent twice
	if !p.flat {
		key = duplicateKey(raw)
	}
	if key != "" {
		return e.reject(tx, actor, op.OpID, op, raw, invalid(key, "%s appears twice in the operation; send each field once", key))
	}
	var res Result
	var found bool
	var err error
	if first {
		res, found = b.previousResult(actor, op.OpID)
	} else {
		res, found, err = e.previousResult(tx, actor, op.OpID)
	}
	if err != nil {
		return Result{}, err
	}
	if found {
		if res.Status == StatusRejected { // another user's op_id
			return e.reject(tx, actor, op.OpID, op, raw, res.Error)
		}
		return res, nil
	}
	rec, conflictID, fe, err := e.apply(tx, actor, st, &op)
	if err != nil {
		return Result{}, err
	}
	if fe != nil {
		return e.reject(tx, actor, op.OpID, op, raw, fe)
	}
	status := StatusApplied
	if conflictID != "" {
		status = StatusConflict
	}
	applied := fieldsText(op.Fields)
	logged := store.OpLogRow{OpID: op.OpID, Seq: rec.opSeq, DeviceID: actor.DeviceID, UserID: actor.UserID,
		Type: string(op.Type), RecordID: rec.ID, Action: string(op.Action), HLC: op.HLC, Fields: applied, Status: status,
		ConflictID: conflictID, ReceivedAt: tx.NowText()}
	if op.Type == schema.RecordObservation {
		item, _ := rec.Fields["item"].(string)
		location, _ := rec.Fields["location_id"].(string)
		logged.Answer = &store.NaturalKey{Item: item, LocationID: location}
	}
	if err := tx.LogOp(logged); err != nil {
		return Result{}, err
	}
	return Result{OpID: op.OpID, Status: status, Seq: rec.opSeq, ConflictID: conflictID}, nil
}

// previousResult answers a repeated op_id with the result of its first push.
// An op_id is the user's own: one another user already sent is answered with
// a rejection (status rejected, code op_id_taken), never with their result.
func (e *Engine) previousResult(tx *store.Tx, actor Actor, opID string) (Result, bool, error) {
	var l loggedOp
	err := tx.QueryRow("SELECT "+loggedOpColumns+" FROM ops WHERE "+store.OpsByOpID(1), store.OpKey(opID)).Scan(l.scanTargets()...)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Result{}, false, nil
		}
		return Result{}, false, fmt.Errorf("find op: %w", err)
	}
	return l.result(actor, opID), true, nil
}

// loggedOp is what the op log holds of an operation received before.
type loggedOp struct {
	seq                                          *int64
	status, conflictID, field, code, msg, userID string
}

// loggedOpColumns are the op log's columns loggedOp holds, in the order of
// its scanTargets: the one list both readers of the log use.
const loggedOpColumns = "seq, status, conflict_id, error_field, error_code, error_msg, user_id"

func (l *loggedOp) scanTargets() []any {
	return []any{&l.seq, &l.status, &l.conflictID, &l.field, &l.code, &l.msg, &l.userID}
}

// result is the answer to the operation sent again by actor.
func (l loggedOp) result(actor Actor, opID string) Result {
	if l.userID != actor.UserID {
		return Result{OpID: opID, Status: StatusRejected, Error: &FieldError{Field: "op_id", Code: CodeOpIDTaken,
			Message: "another user already sent an operation with this op_id; make a new one"}}
	}
	res := Result{OpID: opID, Status: StatusDuplicate, ConflictID: l.conflictID, FirstStatus: l.status}
	if l.seq != nil {
		res.Seq = *l.seq
	}
	if l.status == StatusRejected {
		res.Error = &FieldError{Field: l.field, Code: ErrorCode(l.code), Message: l.msg}
	}
	return res
}

// reject records a rejected operation in the op log (when it has an id) and
// its raw text in quarantine.
func (e *Engine) reject(tx *store.Tx, actor Actor, opID string, op Op, raw json.RawMessage, fe *FieldError) (Result, error) {
	if opID != "" && fe.Code != CodeMissingParent {
		if err := tx.LogOp(store.OpLogRow{OpID: opID, DeviceID: actor.DeviceID, UserID: actor.UserID, Type: string(op.Type),
			RecordID: op.ID, Action: string(op.Action), HLC: op.HLC, Status: StatusRejected, ErrorField: fe.Field,
			ErrorCode: string(fe.Code), ErrorMsg: fe.Message, ReceivedAt: tx.NowText(), IfNew: true}); err != nil {
			return Result{}, fmt.Errorf("log rejected op: %w", err)
		}
	}
	if fe.Code == CodeMissingParent && opID != "" {
		// Sent again until its parent arrives: quarantined once.
		var n int
		if err := tx.QueryRow("SELECT count(*) FROM quarantine WHERE op_id = ?", opID).Scan(&n); err != nil {
			return Result{}, fmt.Errorf("find quarantined op: %w", err)
		}
		if n > 0 {
			return Result{OpID: opID, Status: StatusRejected, Error: fe}, nil
		}
	}
	if _, err := tx.Exec(`INSERT INTO quarantine (op_id, device_id, user_id, region, raw, field, message, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, opID, actor.DeviceID, actor.UserID, actor.Region, string(raw), fe.Field, fe.Message, tx.NowText()); err != nil {
		return Result{}, fmt.Errorf("quarantine op: %w", err)
	}
	return Result{OpID: opID, Status: StatusRejected, Error: fe}, nil
}

// applied is the outcome of a successful apply.
type applied struct {
	*store.Record
	opSeq int64
}

// apply validates op against the template and the actor's scope and writes it.
// It returns a *FieldError (and changes nothing) when the op must be rejected.
func (e *Engine) apply(tx *store.Tx, actor Actor, st *stamper, opp *Op) (*applied, string, *FieldError, error) {
	op := *opp
	rt, ok := store.RecordTypes[op.Type]
	if !ok {
		return nil, "", invalid("type", "unknown record type %q", op.Type), nil
	}
	if _, err := uuid.Parse(op.ID); err != nil {
		return nil, "", invalid("id", "id must be a UUID"), nil
	}
	if op.Action != ActionUpsert && op.Action != ActionDelete {
		return nil, "", invalid("action", "action must be upsert or delete"), nil
	}
	if len(op.HLC) > MaxHLCLen {
		return nil, "", invalid("hlc", "hlc is %d characters long; the limit is %d", len(op.HLC), MaxHLCLen), nil
	}
	stamp, err := ParseHLC(op.HLC)
	if err != nil {
		return nil, "", invalid("hlc", "%s", err.Error()), nil
	}
	if actor.Role == schema.RoleStaff || (actor.Role == schema.RoleAdmin && op.Type != schema.RecordFacility) {
		return nil, "", forbidden("type", "a %s account cannot change records through sync", actor.Role), nil
	}
	rec, err := tx.LoadRecord(op.Type, op.ID)
	if err != nil {
		return nil, "", nil, err
	}
	if rec.MergedInto != "" {
		if rec, err = tx.LoadRecord(op.Type, rec.MergedInto); err != nil {
			return nil, "", nil, err
		}
	}
	// Decode the fields the client sent.
	fields := map[string]any{}
	for name, raw := range op.Fields {
		col, ok := rt.Column(name)
		if !ok || col.ServerSet {
			if ok {
				return nil, "", invalid("fields."+name, "%s is set by the server, not by a device", name), nil
			}
			return nil, "", invalid("fields."+name, "unknown field %q for a %s", name, op.Type), nil
		}
		if col.Kind == store.KindJSON {
			fields[name] = raw // parsed against the checklist below
			continue
		}
		v, fe := decodeScalar(name, col.Kind, raw)
		if fe != nil {
			return nil, "", fe, nil
		}
		fields[name] = v
	}
	if fe, err := checkBases(tx, op); fe != nil || err != nil {
		return nil, "", fe, err
	}
	c := &change{e: e, tx: tx, actor: actor, op: op, rec: rec, fields: fields}
	if fe, err := c.validate(); fe != nil || err != nil {
		return nil, "", fe, err
	}
	if fe, err := c.checkResolves(); fe != nil || err != nil {
		return nil, "", fe, err
	}
	// Bounded last, once the operation is known to be stored: the device's
	// next stamp is made later than this one.
	c.op.HLC = st.bound(stamp).String()
	opp.HLC = c.op.HLC
	return c.write()
}

// checkBases refuses a base the server never issued (larger than its
// sequence: the device's copy does not come from this server) and a base that
// names a field the operation does not change. "_deleted" is the base of a
// delete or of a restore.
func checkBases(tx *store.Tx, op Op) (*FieldError, error) {
	if len(op.Base) == 0 {
		return nil, nil
	}
	current, err := tx.CurrentSeq()
	if err != nil {
		return nil, err
	}
	for name, b := range op.Base {
		if _, ok := op.Fields[name]; !ok && name != deletedField {
			return invalid("base."+name, "base names %s, which the operation does not change", name), nil
		}
		if b < 0 {
			return invalid("base."+name, "a base is a server sequence number, 0 or more"), nil
		}
		if b > current {
			return &FieldError{Field: "base." + name, Code: CodeBadBase, Message: fmt.Sprintf(
				"base %d was never issued by this server (its latest sequence is %d): pull from 0 and make the change again", b, current)}, nil
		}
	}
	return nil, nil
}

// decodeScalar decodes a text, integer or boolean field.
func decodeScalar(name, kind string, raw json.RawMessage) (any, *FieldError) {
	trimmed := bytes.TrimSpace(raw)
	if bytes.Equal(trimmed, []byte("null")) {
		switch kind {
		case store.KindInt:
			return nil, nil
		case store.KindText:
			return "", nil
		}
		return nil, invalid("fields."+name, "%s must be true or false, not null", name)
	}
	switch kind {
	case store.KindText:
		var s string
		if err := decodeString(trimmed, &s); err != nil {
			return nil, invalid("fields."+name, "%s must be a string", name)
		}
		if n := len([]rune(s)); n > maxTextLen(name) {
			return nil, invalid("fields."+name, "%s is %d characters long; the limit is %d", name, n, maxTextLen(name))
		}
		if fault := schema.TextFault(s); fault != "" {
			return nil, invalid("fields."+name, "%s %s", name, fault)
		}
		return s, nil
	case store.KindInt:
		if i, ok := plainInt(trimmed); ok && i >= 0 && i <= 1_000_000 {
			return i, nil
		}
		var n json.Number
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		if err := dec.Decode(&n); err != nil {
			return nil, invalid("fields."+name, "%s must be a whole number", name)
		}
		i, err := n.Int64()
		if err != nil {
			return nil, invalid("fields."+name, "%s must be a whole number", name)
		}
		if i < 0 || i > 1_000_000 {
			return nil, invalid("fields."+name, "%s must be between 0 and 1000000", name)
		}
		return i, nil
	case store.KindBool:
		var b bool
		if err := json.Unmarshal(trimmed, &b); err != nil {
			return nil, invalid("fields."+name, "%s must be true or false", name)
		}
		return b, nil
	}
	return nil, invalid("fields."+name, "unsupported field %s", name)
}

// visibleText reports whether s holds at least one letter, digit,
// punctuation mark or symbol: a name of spaces, no-break spaces, zero-width
// characters or soft hyphens alone shows as nothing.
func visibleText(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S)
	}) >= 0
}

// maxTextLen is the longest text a field may hold, in characters.
func maxTextLen(field string) int {
	switch field {
	case "text", "note", "reason":
		return 10000
	case "address", "address_ru", "address_kk", "address_en":
		return 500
	}
	return 300
}

// sameValue reports whether two decoded field values are equal.
func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	// The common shapes compared without encoding (the answer is the same as
	// comparing their JSON text; a float's zero is left to the text: -0 ≠ 0).
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return x == y
		}
	case bool:
		if y, ok := b.(bool); ok {
			return x == y
		}
	case int64:
		if y, ok := b.(int64); ok {
			return x == y
		}
	case float64:
		if y, ok := b.(float64); ok && x != 0 && y != 0 {
			return x == y
		}
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return reflect.DeepEqual(a, b)
	}
	return bytes.Equal(ja, jb)
}

// fieldsText writes an operation's fields as a JSON object with sorted keys,
// as the op log keeps them. The keys are known field names and the values
// were checked as JSON when the push was decoded, so no re-encoding is needed.
func fieldsText(fields map[string]json.RawMessage) string {
	names := make([]string, 0, len(fields))
	size := 2
	for name, v := range fields {
		names = append(names, name)
		size += len(name) + len(v) + 4
	}
	sort.Strings(names)
	var b strings.Builder
	b.Grow(size)
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(name))
		b.WriteByte(':')
		b.Write(bytes.TrimSpace(fields[name]))
	}
	b.WriteByte('}')
	return b.String()
}
