package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	gosync "sync"
)

// Column kinds of synced record fields.
const (
	KindText = "text" // string
	KindInt  = "int"  // integer or null
	KindBool = "bool" // boolean
	KindJSON = "json" // any JSON value, stored as JSON text
)

// Column is one field of a synced record type.
type Column struct {
	Name string
	Kind string
	// ServerSet fields are never taken from a client's operation: the server
	// fills them (an observation's author from the token, a facility's verified flag).
	ServerSet bool
}

// RecordType describes a synced record type and the table that holds it.
type RecordType struct {
	Name    string
	Table   string
	Columns []Column
}

// Column returns the named column of the type.
func (rt *RecordType) Column(name string) (Column, bool) {
	for _, c := range rt.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// RecordTypes are the synced record types of SYNC.md, keyed by type name.
var RecordTypes = map[string]*RecordType{
	"facility": {Name: "facility", Table: "facilities", Columns: []Column{
		{Name: "name", Kind: KindText}, {Name: "type", Kind: KindText}, {Name: "authority", Kind: KindText},
		{Name: "region", Kind: KindText}, {Name: "address", Kind: KindText}, {Name: "capacity", Kind: KindInt},
		{Name: "built_year", Kind: KindInt}, {Name: "verified", Kind: KindBool, ServerSet: true},
		{Name: "demo", Kind: KindBool, ServerSet: true}, {Name: "created_by", Kind: KindText, ServerSet: true},
		{Name: "name_ru", Kind: KindText}, {Name: "name_kk", Kind: KindText}, {Name: "name_en", Kind: KindText},
		{Name: "authority_ru", Kind: KindText}, {Name: "authority_kk", Kind: KindText}, {Name: "authority_en", Kind: KindText},
		{Name: "address_ru", Kind: KindText}, {Name: "address_kk", Kind: KindText}, {Name: "address_en", Kind: KindText},
	}},
	"visit": {Name: "visit", Table: "visits", Columns: []Column{
		{Name: "facility_id", Kind: KindText}, {Name: "kind", Kind: KindText}, {Name: "announced", Kind: KindBool},
		{Name: "started_at", Kind: KindText}, {Name: "ended_at", Kind: KindText}, {Name: "team", Kind: KindJSON},
		{Name: "ombudsperson_rep_present", Kind: KindBool}, {Name: "access_refused", Kind: KindBool},
		{Name: "status", Kind: KindText}, {Name: "checklist", Kind: KindText},
		{Name: "demo", Kind: KindBool, ServerSet: true}, {Name: "created_by", Kind: KindText, ServerSet: true},
	}},
	"location": {Name: "location", Table: "locations", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "label", Kind: KindText}, {Name: "kind", Kind: KindText},
		{Name: "created_by", Kind: KindText, ServerSet: true},
	}},
	"observation": {Name: "observation", Table: "observations", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "location_id", Kind: KindText}, {Name: "item", Kind: KindText},
		{Name: "value", Kind: KindJSON}, {Name: "note", Kind: KindText},
		{Name: "author_id", Kind: KindText, ServerSet: true},
	}},
	"consolidation": {Name: "consolidation", Table: "consolidations", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "location_id", Kind: KindText}, {Name: "item", Kind: KindText},
		{Name: "value", Kind: KindJSON}, {Name: "reason", Kind: KindText}, {Name: "observation_id", Kind: KindText},
		{Name: "decided_by", Kind: KindText, ServerSet: true},
	}},
	"recommendation": {Name: "recommendation", Table: "recommendations", Columns: []Column{
		{Name: "facility_id", Kind: KindText}, {Name: "visit_id", Kind: KindText}, {Name: "text", Kind: KindText},
		{Name: "category", Kind: KindText}, {Name: "addressee", Kind: KindText}, {Name: "status", Kind: KindText},
		{Name: "checked_visit_id", Kind: KindText}, {Name: "created_by", Kind: KindText, ServerSet: true},
	}},
	"confidential_note": {Name: "confidential_note", Table: "confidential_notes", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "location_id", Kind: KindText}, {Name: "text", Kind: KindText},
		{Name: "consent_to_publish", Kind: KindBool}, {Name: "author_id", Kind: KindText, ServerSet: true},
	}},
}

// FieldVersion is the version of one field of a record: the server sequence
// of the change that wrote it, and the HLC and device of that change.
type FieldVersion struct {
	Seq    int64  `json:"seq"`
	HLC    string `json:"hlc,omitempty"`
	Device string `json:"device,omitempty"`
}

// Record is the stored state of one synced record.
type Record struct {
	Type   string
	ID     string
	Exists bool
	Fields map[string]any // column values, decoded: string, int64 or nil, bool, or decoded JSON
	// Bookkeeping from record_index.
	Seq        int64
	Region     string
	VisitID    string
	AuthorID   string
	Deleted    bool
	Versions   map[string]FieldVersion
	MergedInto string
	// EchoDevice is the device whose own operation, stored exactly as sent,
	// is the record's latest change: its pulls leave the record out.
	EchoDevice string
}

// PeekRecord is LoadRecord for a caller that only reads the record: it may
// return the transaction's cached copy, which must not be changed.
func (tx *Tx) PeekRecord(typ, id string) (*Record, error) {
	if cached, ok := tx.records[typ+"/"+id]; ok {
		return cached, nil
	}
	return tx.LoadRecord(typ, id)
}

// LoadRecord returns the stored record of type typ with id; a record that does
// not exist is returned with Exists false and empty fields. The caller may
// change what it gets.
func (tx *Tx) LoadRecord(typ, id string) (*Record, error) {
	rt, ok := RecordTypes[typ]
	if !ok {
		return nil, fmt.Errorf("unknown record type %q", typ)
	}
	if cached, ok := tx.records[typ+"/"+id]; ok {
		return cached.clone(), nil
	}
	rec := &Record{Type: typ, ID: id, Fields: map[string]any{}, Versions: map[string]FieldVersion{}}
	defer func() {
		if rec.Exists {
			tx.cache(rec)
		}
	}()
	var versions string
	err := tx.QueryRow(`SELECT seq, region, visit_id, author_id, deleted, versions, merged_into, echo_device
		FROM record_index WHERE type = ? AND id = ?`, typ, id).
		Scan(&rec.Seq, &rec.Region, &rec.VisitID, &rec.AuthorID, &rec.Deleted, &versions, &rec.MergedInto, &rec.EchoDevice)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", typ, id, err)
	}
	rec.Exists = true
	if err := json.Unmarshal([]byte(versions), &rec.Versions); err != nil {
		return nil, fmt.Errorf("load %s %s versions: %w", typ, id, err)
	}
	cols := make([]string, len(rt.Columns))
	dest := make([]any, len(rt.Columns))
	for i, c := range rt.Columns {
		cols[i] = c.Name
		dest[i] = new(any)
	}
	err = tx.QueryRow("SELECT "+strings.Join(cols, ", ")+" FROM "+rt.Table+" WHERE id = ?", id).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		// Indexed but not stored can only be a merged-away id.
		return rec, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", typ, id, err)
	}
	for i, c := range rt.Columns {
		v, err := decodeColumn(c, *(dest[i].(*any)))
		if err != nil {
			return nil, fmt.Errorf("load %s %s field %s: %w", typ, id, c.Name, err)
		}
		rec.Fields[c.Name] = v
	}
	return rec, nil
}

func decodeColumn(c Column, raw any) (any, error) {
	switch c.Kind {
	case KindText:
		switch v := raw.(type) {
		case nil:
			return "", nil
		case string:
			return v, nil
		case []byte:
			return string(v), nil
		}
	case KindInt:
		switch v := raw.(type) {
		case nil:
			return nil, nil
		case int64:
			return v, nil
		}
	case KindBool:
		switch v := raw.(type) {
		case nil:
			return false, nil
		case int64:
			return v != 0, nil
		case bool:
			return v, nil
		}
	case KindJSON:
		var s string
		switch v := raw.(type) {
		case nil:
			return nil, nil
		case string:
			s = v
		case []byte:
			s = string(v)
		default:
			return nil, fmt.Errorf("unexpected %T", raw)
		}
		var out any
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected %T for a %s column", raw, c.Kind)
}

func encodeColumn(c Column, v any) (any, error) {
	switch c.Kind {
	case KindJSON:
		if v == nil {
			return nil, nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	case KindText:
		if v == nil {
			return "", nil
		}
	case KindBool:
		if v == nil {
			return false, nil
		}
	}
	return v, nil
}

// SaveRecord writes the record's fields to its table (insert or update) and its
// bookkeeping to record_index.
func (tx *Tx) SaveRecord(rec *Record) error {
	rt, ok := RecordTypes[rec.Type]
	if !ok {
		return fmt.Errorf("unknown record type %q", rec.Type)
	}
	cols := []string{"id", "deleted", "seq"}
	args := []any{rec.ID, rec.Deleted, rec.Seq}
	for _, c := range rt.Columns {
		v, ok := rec.Fields[c.Name]
		if !ok {
			continue
		}
		ev, err := encodeColumn(c, v)
		if err != nil {
			return fmt.Errorf("save %s %s field %s: %w", rec.Type, rec.ID, c.Name, err)
		}
		cols = append(cols, c.Name)
		args = append(args, ev)
	}
	if _, err := tx.Exec(upsertSQL(rt.Table, cols), args...); err != nil {
		return fmt.Errorf("save %s %s: %w", rec.Type, rec.ID, err)
	}
	wasNew := !rec.Exists
	if err := tx.SaveRecordIndex(rec); err != nil {
		return err
	}
	if wasNew {
		// Columns it did not name took their defaults: read them back when needed.
		delete(tx.records, rec.Type+"/"+rec.ID)
	}
	return nil
}

// upsertSQLs caches the text of each upsert statement by table and columns:
// a push writes the same few shapes thousands of times.
var upsertSQLs gosync.Map

func upsertSQL(table string, cols []string) string {
	key := table + ":" + strings.Join(cols, ",")
	if q, ok := upsertSQLs.Load(key); ok {
		return q.(string)
	}
	sets := make([]string, 0, len(cols)-1)
	for _, c := range cols[1:] {
		sets = append(sets, c+" = excluded."+c)
	}
	q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) +
		") ON CONFLICT(id) DO UPDATE SET " + strings.Join(sets, ", ")
	upsertSQLs.Store(key, q)
	return q
}

// clone copies the record deeply enough that changing the copy's fields and
// versions leaves the original alone.
func (r *Record) clone() *Record {
	c := *r
	c.Fields = make(map[string]any, len(r.Fields))
	for k, v := range r.Fields {
		c.Fields[k] = v
	}
	c.Versions = make(map[string]FieldVersion, len(r.Versions))
	for k, v := range r.Versions {
		c.Versions[k] = v
	}
	return &c
}

func (tx *Tx) cache(rec *Record) {
	if tx.records == nil {
		tx.records = map[string]*Record{}
	}
	tx.records[rec.Type+"/"+rec.ID] = rec.clone()
}

// SaveRecordIndex writes only the record's bookkeeping row.
func (tx *Tx) SaveRecordIndex(rec *Record) error {
	versions := encodeVersions(rec.Versions)
	_, err := tx.Exec(`INSERT INTO record_index (type, id, seq, region, visit_id, author_id, deleted, versions, merged_into, echo_device)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(type, id) DO UPDATE SET seq = excluded.seq, region = excluded.region, visit_id = excluded.visit_id,
		author_id = excluded.author_id, deleted = excluded.deleted, versions = excluded.versions, merged_into = excluded.merged_into,
		echo_device = excluded.echo_device`,
		rec.Type, rec.ID, rec.Seq, rec.Region, rec.VisitID, rec.AuthorID, rec.Deleted, versions, rec.MergedInto, rec.EchoDevice)
	if err != nil {
		return fmt.Errorf("index %s %s: %w", rec.Type, rec.ID, err)
	}
	rec.Exists = true
	if rec.MergedInto == "" {
		tx.cache(rec)
	} else {
		delete(tx.records, rec.Type+"/"+rec.ID) // an alias: loaded from the index, with no fields
	}
	return nil
}

// NextSeq takes the next number of the single server sequence.
func (tx *Tx) NextSeq() (int64, error) {
	if _, err := tx.CurrentSeq(); err != nil {
		return 0, fmt.Errorf("next sequence: %w", err)
	}
	tx.seq++
	return tx.seq, nil
}

// CurrentSeq returns the last number of the server sequence.
func (tx *Tx) CurrentSeq() (int64, error) {
	if tx.seq > 0 {
		return tx.seq, nil
	}
	err := tx.QueryRow("SELECT value FROM sync_seq WHERE id = 1").Scan(&tx.seq)
	tx.seqStored = tx.seq
	return tx.seq, err
}

// FindByKey returns the id of the live record of typ whose natural key columns
// equal the given values (an observation's visit, location, item and author),
// or "" when there is none.
func (tx *Tx) FindByKey(typ string, key map[string]any) (string, error) {
	rt := RecordTypes[typ]
	var conds []string
	var args []any
	for _, name := range []string{"visit_id", "location_id", "item", "author_id"} {
		if v, ok := key[name]; ok {
			conds = append(conds, name+" = ?")
			args = append(args, v)
		}
	}
	var id string
	err := tx.QueryRow("SELECT id FROM "+rt.Table+" WHERE "+strings.Join(conds, " AND "), args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// encodeVersions writes a record's field versions as the JSON object
// json.Marshal would (sorted keys), without reflection: every pushed
// operation writes one.
func encodeVersions(versions map[string]FieldVersion) string {
	names := make([]string, 0, len(versions))
	for name := range versions {
		names = append(names, name)
	}
	sort.Strings(names)
	b := make([]byte, 0, 16+len(versions)*96)
	b = append(b, '{')
	for i, name := range names {
		v := versions[name]
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, name)
		b = append(b, `:{"seq":`...)
		b = strconv.AppendInt(b, v.Seq, 10)
		if v.HLC != "" {
			b = append(b, `,"hlc":`...)
			b = appendJSONString(b, v.HLC)
		}
		if v.Device != "" {
			b = append(b, `,"device":`...)
			b = appendJSONString(b, v.Device)
		}
		b = append(b, '}')
	}
	return string(append(b, '}'))
}

// appendJSONString appends s as a JSON string: plain ASCII as it is, anything
// else through encoding/json, which escapes what JSON needs escaped.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// MoveFacilityRecords gives every record under a facility (its visits, what
// they hold, its recommendations) and their conflicts the facility's new
// region, and resets the users of both regions: the new region's devices
// receive them, the old region's devices drop them.
func (tx *Tx) MoveFacilityRecords(facilityID, from, to string) error {
	const visits = "SELECT id FROM visits WHERE facility_id = ?"
	if _, err := tx.Exec(`UPDATE record_index SET region = ? WHERE visit_id IN (`+visits+`)
		OR (type = 'recommendation' AND id IN (SELECT id FROM recommendations WHERE facility_id = ?))`,
		to, facilityID, facilityID); err != nil {
		return fmt.Errorf("move facility records: %w", err)
	}
	if _, err := tx.Exec(`UPDATE conflicts SET region = ? WHERE visit_id IN (`+visits+`)
		OR (type = 'recommendation' AND record_id IN (SELECT id FROM recommendations WHERE facility_id = ?))`,
		to, facilityID, facilityID); err != nil {
		return fmt.Errorf("move facility conflicts: %w", err)
	}
	if _, err := tx.Exec("UPDATE users SET scope_epoch = scope_epoch + 1 WHERE region IN (?, ?)", from, to); err != nil {
		return fmt.Errorf("move facility: reset users: %w", err)
	}
	tx.records = nil // cached records carry the old region
	return nil
}
