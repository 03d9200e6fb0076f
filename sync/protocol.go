// Package sync implements Inspecta's sync protocol, version 1 (SYNC.md): the
// push and pull payloads, applying operations with field-level merge and
// conflict rules, who may see and change what, and a Go client of the protocol.
// Its API carries no HTTP and no SQL driver: the server wires it to HTTP and
// the store holds the rows.
package sync

import (
	"encoding/json"
	"fmt"
	"time"

	"inspecta/schema"
)

// Limits of one push (SYNC.md).
const (
	MaxOpsPerPush   = 1000
	MaxPushBytes    = 4 << 20
	DefaultPullSize = 500
	MaxPullSize     = 5000
)

// Operation statuses in a push answer.
const (
	StatusApplied   = "applied"
	StatusDuplicate = "duplicate"
	StatusConflict  = "conflict"
	StatusRejected  = "rejected"
)

// Action is what an operation does to its record.
type Action string

// The actions of an operation. A device's Restore sends an upsert (its
// "restore" never travels).
const (
	ActionUpsert Action = "upsert"
	ActionDelete Action = "delete"
)

// ErrorCode says why an operation was rejected (FieldError.Code).
type ErrorCode string

// The codes of a rejected operation.
const (
	// CodeInvalid: the operation breaks a rule of the protocol or the checklist.
	CodeInvalid ErrorCode = "invalid"
	// CodeForbidden: the record is outside the user's scope or role.
	CodeForbidden ErrorCode = "forbidden"
	// CodeLocked: a change to an approved visit.
	CodeLocked ErrorCode = "locked"
	// CodeBadBase: a base the server never issued.
	CodeBadBase ErrorCode = "bad_base"
	// CodeOpIDTaken: another user's op_id.
	CodeOpIDTaken ErrorCode = "op_id_taken"
	// CodeMissingParent: the record's parent is not on the server (yet).
	CodeMissingParent ErrorCode = "missing_parent"
	// CodeParentDeleted: the record's visit or place (or a visit's
	// facility) was deleted on the server; sending the operation again
	// cannot help.
	CodeParentDeleted ErrorCode = "parent_deleted"
)

// Op is one change to one record, as a device sends it.
type Op struct {
	OpID   string                     `json:"op_id"`
	Type   schema.RecordType          `json:"type"`
	ID     string                     `json:"id"`
	Action Action                     `json:"action"`
	HLC    string                     `json:"hlc"`
	Base   map[string]int64           `json:"base,omitempty"`
	Fields map[string]json.RawMessage `json:"fields,omitempty"`
	// Resolves names the open conflicts of the record this operation decides
	// (protocol 1.1, "Conflicts").
	Resolves []string `json:"resolves,omitempty"`
}

// MaxHLCLen is the longest clock stamp the server accepts.
const MaxHLCLen = 100

// PushRequest is the body of POST /api/v1/sync/push. Ops are kept raw so that
// one malformed operation is quarantined verbatim without failing the batch.
type PushRequest struct {
	DeviceID string            `json:"device_id"`
	Ops      []json.RawMessage `json:"ops"`
	// CompactResults (an extension of SYNC.md version 1, off unless asked
	// for) leaves op_id out of the results: they are one per operation, in
	// order, so a client can match them by position. Each result's op_id is
	// about a quarter of the answer's size on the wire.
	CompactResults bool `json:"compact_results,omitempty"`
	// DeviceTime (protocol 1.1) is the reading, at sending, of the clock the
	// device stamps its operations with; the server corrects the stamps by
	// how far it is from the server's time.
	DeviceTime string `json:"device_time,omitempty"`
	// Pull (protocol 1.2) asks for a pull after the push is applied, in the
	// same answer (PushResponse.Pull): the round trip of the pull that
	// follows a device's last push is saved.
	Pull *PullAsk `json:"pull,omitempty"`
}

// PullAsk is a pull asked for inside a push: the changes after Since, at most
// Limit of them (DefaultPullSize if 0), in the compact form.
type PullAsk struct {
	Since int64 `json:"since"`
	Limit int   `json:"limit,omitempty"`
}

// FieldError names the field an operation was rejected for, with a plain message.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Code is one of the Code* constants.
	Code ErrorCode `json:"code,omitempty"`
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Message) }

func invalid(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...), Code: CodeInvalid}
}

// missingParent rejects an operation on a record whose parent (facility,
// visit, location) is not on the server: after a restore, another device may
// not have sent it again yet. Such a rejection is not remembered under the
// op_id, so the same operation applies once the parent arrives.
func missingParent(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...), Code: CodeMissingParent}
}

func parentDeleted(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...), Code: CodeParentDeleted}
}

func forbidden(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...), Code: CodeForbidden}
}

// Result is the server's answer to one operation.
type Result struct {
	OpID       string      `json:"op_id,omitempty"`
	Status     string      `json:"status"`
	Seq        int64       `json:"seq,omitempty"`
	ConflictID string      `json:"conflict_id,omitempty"`
	Error      *FieldError `json:"error,omitempty"`
	// FirstStatus, on a duplicate, is what the first push of the operation got.
	FirstStatus string `json:"first_status,omitempty"`
}

// PushResponse answers a push: one result per operation, in order.
type PushResponse struct {
	Results   []Result `json:"results"`
	ServerSeq int64    `json:"server_seq"`
	// ServerTime and Generation (protocol 1.1) are in every answer.
	ServerTime string `json:"server_time,omitempty"`
	Generation string `json:"generation,omitempty"`
	// Pull (1.2) is the pull the push asked for (PushRequest.Pull), made
	// after the push was applied.
	Pull *PullResponse `json:"pull,omitempty"`
}

// Change is a record's latest full state in a pull, with the sequence of every field.
type Change struct {
	Seq     int64             `json:"seq"`
	Type    schema.RecordType `json:"type"`
	ID      string            `json:"id"`
	Deleted bool              `json:"deleted"`
	Fields  map[string]any    `json:"fields"`
	// Versions is the sequence of each field's latest write. In a compact
	// answer (protocol 1.2) it lists only the fields whose version is not
	// Seq (0 for a field never written); see PullResponse.Expand.
	Versions map[string]int64 `json:"versions,omitempty"`
	// Stamps is the bounded clock stamp of each field's latest write.
	Stamps     map[string]string `json:"stamps,omitempty"`
	MergedInto string            `json:"merged_into,omitempty"`
	// Redacted names the fields withheld from this reader by the visibility
	// rule (schema/visibility.go): they are absent from Fields, Versions and Stamps.
	Redacted []string `json:"redacted,omitempty"`
	// Conflicts are the record's open conflicts: the values set aside (none
	// of a redacted field).
	Conflicts []OpenConflict `json:"conflicts,omitempty"`
}

// OpenConflict is a value set aside on a record, as pull carries it.
type OpenConflict struct {
	ID        string          `json:"id"`
	Field     string          `json:"field"`
	Value     json.RawMessage `json:"value"`
	User      string          `json:"user"`
	Device    string          `json:"device"`
	HLC       string          `json:"hlc"`
	CreatedAt string          `json:"created_at"`
}

// PullResponse answers GET /api/v1/sync/pull.
type PullResponse struct {
	Changes []Change `json:"changes"`
	Next    int64    `json:"next"`
	More    bool     `json:"more"`
	Reset   bool     `json:"reset,omitempty"`
	// ServerTime and Generation (protocol 1.1) are in every answer.
	ServerTime string `json:"server_time,omitempty"`
	Generation string `json:"generation,omitempty"`
	// Set (1.2) is "work" when the answer holds only the working set (pull
	// with set=work); a server that does not know the parameter leaves it
	// out, and its answer holds every change.
	Set string `json:"set,omitempty"`
	// Compact (1.2) is true when the changes are in the compact form (pull
	// with compact=1): Versions only where they differ from Seq, no Stamps;
	// Stamp is then the latest stamp of the page.
	IsCompact bool   `json:"compact,omitempty"`
	Stamp     string `json:"stamp,omitempty"`
}

// Actor is who sends an operation: the user and device behind a token.
type Actor struct {
	UserID   string
	Role     string
	Region   string
	DeviceID string
	// DeviceTime is the device's clock at sending (zero: not given).
	DeviceTime time.Time
	// ReceivedAt is the server's time when the push arrived, before its body
	// was read (zero: the time of the transaction that applies it). The
	// device's clock error is device_time less it: the time the body took to
	// come (a slow link), or waited for the writer, is not the device's error.
	ReceivedAt time.Time
}

// Compact turns an answer into the compact form (protocol 1.2, "Compact
// pull"): each change keeps in Versions only the fields whose version is not
// its Seq (0 for a field in Fields that was never written) and drops its
// Stamps; the answer's Stamp is the latest of them all. Expand undoes it.
func (r *PullResponse) Compact() {
	var latest HLC
	for i := range r.Changes {
		ch := &r.Changes[i]
		for _, s := range ch.Stamps {
			if h, err := ParseHLC(s); err == nil && h.Compare(latest) > 0 {
				latest, r.Stamp = h, s
			}
		}
		var other map[string]int64
		note := func(f string, v int64) {
			if other == nil {
				other = map[string]int64{}
			}
			other[f] = v
		}
		for f := range ch.Fields {
			if v := ch.Versions[f]; v != ch.Seq {
				note(f, v)
			}
		}
		for f, v := range ch.Versions {
			if _, ok := ch.Fields[f]; !ok {
				note(f, v)
			}
		}
		ch.Versions, ch.Stamps = other, nil
	}
	r.IsCompact = true
}

// Expand turns a compact answer back into the full form: a field of Fields
// absent from Versions has version Seq, a version 0 is no version. Stamps
// stay unknown (the device observes Stamp). A full answer is left as it is.
func (r *PullResponse) Expand() {
	if !r.IsCompact {
		return
	}
	for i := range r.Changes {
		ch := &r.Changes[i]
		full := make(map[string]int64, len(ch.Fields))
		for f := range ch.Fields {
			full[f] = ch.Seq
		}
		for f, v := range ch.Versions {
			if v > 0 {
				full[f] = v
			} else {
				delete(full, f)
			}
		}
		ch.Versions = full
	}
	r.IsCompact = false
}
