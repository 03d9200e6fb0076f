// Package sync implements Inspecta's sync protocol, version 1 (SYNC.md): the
// push and pull payloads, applying operations with field-level merge and
// conflict rules, who may see and change what, and a Go client of the protocol.
// Its API carries no HTTP and no SQL driver: the server wires it to HTTP and
// the store holds the rows.
package sync

import (
	"encoding/json"
	"fmt"
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

// Op is one change to one record, as a device sends it.
type Op struct {
	OpID   string                     `json:"op_id"`
	Type   string                     `json:"type"`
	ID     string                     `json:"id"`
	Action string                     `json:"action"`
	HLC    string                     `json:"hlc"`
	Base   map[string]int64           `json:"base,omitempty"`
	Fields map[string]json.RawMessage `json:"fields,omitempty"`
}

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
}

// FieldError names the field an operation was rejected for, with a plain message.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Code is "forbidden" for a record outside the user's scope, "locked" for a
	// change to an approved visit, "invalid" otherwise.
	Code string `json:"code,omitempty"`
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Message) }

func invalid(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...), Code: "invalid"}
}

func forbidden(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...), Code: "forbidden"}
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
}

// Change is a record's latest full state in a pull, with the sequence of every field.
type Change struct {
	Seq        int64            `json:"seq"`
	Type       string           `json:"type"`
	ID         string           `json:"id"`
	Deleted    bool             `json:"deleted"`
	Fields     map[string]any   `json:"fields"`
	Versions   map[string]int64 `json:"versions"`
	MergedInto string           `json:"merged_into,omitempty"`
	// Redacted names the fields withheld from this reader by the visibility
	// rule (schema/visibility.go): they are absent from Fields and Versions.
	Redacted []string `json:"redacted,omitempty"`
}

// PullResponse answers GET /api/v1/sync/pull.
type PullResponse struct {
	Changes []Change `json:"changes"`
	Next    int64    `json:"next"`
	More    bool     `json:"more"`
	Reset   bool     `json:"reset,omitempty"`
}

// Actor is who sends an operation: the user and device behind a token.
type Actor struct {
	UserID   string
	Role     string
	Region   string
	DeviceID string
}
