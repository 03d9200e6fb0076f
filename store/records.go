package store

import (
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	gosync "sync"

	"inspecta/schema"
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
	Name    schema.RecordType
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
var RecordTypes = map[schema.RecordType]*RecordType{
	schema.RecordFacility: {Name: schema.RecordFacility, Table: "facilities", Columns: []Column{
		{Name: "name", Kind: KindText}, {Name: "type", Kind: KindText}, {Name: "authority", Kind: KindText},
		{Name: "region", Kind: KindText}, {Name: "address", Kind: KindText}, {Name: "capacity", Kind: KindInt},
		{Name: "built_year", Kind: KindInt}, {Name: "verified", Kind: KindBool, ServerSet: true},
		{Name: "demo", Kind: KindBool, ServerSet: true}, {Name: "created_by", Kind: KindText, ServerSet: true},
		{Name: "name_ru", Kind: KindText}, {Name: "name_kk", Kind: KindText}, {Name: "name_en", Kind: KindText},
		{Name: "authority_ru", Kind: KindText}, {Name: "authority_kk", Kind: KindText}, {Name: "authority_en", Kind: KindText},
		{Name: "address_ru", Kind: KindText}, {Name: "address_kk", Kind: KindText}, {Name: "address_en", Kind: KindText},
	}},
	schema.RecordVisit: {Name: schema.RecordVisit, Table: "visits", Columns: []Column{
		{Name: "facility_id", Kind: KindText}, {Name: "kind", Kind: KindText}, {Name: "announced", Kind: KindBool},
		{Name: "started_at", Kind: KindText}, {Name: "ended_at", Kind: KindText}, {Name: "team", Kind: KindJSON},
		{Name: "ombudsperson_rep_present", Kind: KindBool}, {Name: "access_refused", Kind: KindBool},
		{Name: "status", Kind: KindText}, {Name: "checklist", Kind: KindText},
		{Name: "demo", Kind: KindBool, ServerSet: true}, {Name: "created_by", Kind: KindText, ServerSet: true},
		{Name: "arrived_at", Kind: KindText}, {Name: "admitted_at", Kind: KindText}, {Name: "team_size", Kind: KindInt},
		{Name: "rep_in_interviews", Kind: KindText},
	}},
	schema.RecordLocation: {Name: schema.RecordLocation, Table: "locations", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "label", Kind: KindText}, {Name: "kind", Kind: KindText},
		{Name: "created_by", Kind: KindText, ServerSet: true},
	}},
	schema.RecordObservation: {Name: schema.RecordObservation, Table: "observations", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "location_id", Kind: KindText}, {Name: "item", Kind: KindText},
		{Name: "value", Kind: KindJSON}, {Name: "note", Kind: KindText},
		{Name: "author_id", Kind: KindText, ServerSet: true},
	}},
	schema.RecordConsolidation: {Name: schema.RecordConsolidation, Table: "consolidations", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "location_id", Kind: KindText}, {Name: "item", Kind: KindText},
		{Name: "value", Kind: KindJSON}, {Name: "reason", Kind: KindText}, {Name: "observation_id", Kind: KindText},
		{Name: "decided_by", Kind: KindText, ServerSet: true},
	}},
	schema.RecordRecommendation: {Name: schema.RecordRecommendation, Table: "recommendations", Columns: []Column{
		{Name: "facility_id", Kind: KindText}, {Name: "visit_id", Kind: KindText}, {Name: "text", Kind: KindText},
		{Name: "category", Kind: KindText}, {Name: "addressee", Kind: KindText}, {Name: "status", Kind: KindText},
		{Name: "checked_visit_id", Kind: KindText}, {Name: "created_by", Kind: KindText, ServerSet: true},
	}},
	schema.RecordConfidentialNote: {Name: schema.RecordConfidentialNote, Table: "confidential_notes", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "location_id", Kind: KindText}, {Name: "text", Kind: KindText},
		{Name: "consent_to_publish", Kind: KindBool}, {Name: "author_id", Kind: KindText, ServerSet: true},
	}},
	"obstruction": {Name: "obstruction", Table: "obstructions", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "kind", Kind: KindText}, {Name: "target", Kind: KindText},
		{Name: "minutes", Kind: KindInt}, {Name: "reason_given", Kind: KindText}, {Name: "note", Kind: KindText},
		{Name: "created_by", Kind: KindText, ServerSet: true},
	}},
	"interview": {Name: "interview", Table: "interviews", Columns: []Column{
		{Name: "visit_id", Kind: KindText}, {Name: "private_setting", Kind: KindBool}, {Name: "present", Kind: KindJSON},
		{Name: "consent", Kind: KindBool}, {Name: "fear_of_reprisal", Kind: KindBool}, {Name: "complaints", Kind: KindJSON},
		{Name: "follow_up", Kind: KindBool}, {Name: "author_id", Kind: KindText, ServerSet: true},
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
	Type   schema.RecordType
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

// cacheKey names a record in the transaction's cache.
func cacheKey(typ schema.RecordType, id string) string { return string(typ) + "/" + id }

// PeekRecord is LoadRecord for a caller that only reads the record: it may
// return the transaction's cached copy, which must not be changed.
func (tx *Tx) PeekRecord(typ schema.RecordType, id string) (*Record, error) {
	if cached, ok := tx.records[cacheKey(typ, id)]; ok {
		return cached, nil
	}
	return tx.LoadRecord(typ, id)
}

// LoadRecord returns the stored record of type typ with id; a record that does
// not exist is returned with Exists false and empty fields. The caller may
// change what it gets.
func (tx *Tx) LoadRecord(typ schema.RecordType, id string) (*Record, error) {
	rt, ok := RecordTypes[typ]
	if !ok {
		return nil, fmt.Errorf("unknown record type %q", typ)
	}
	if cached, ok := tx.records[cacheKey(typ, id)]; ok {
		return cached.clone(), nil
	}
	// Sized for every column (and the bookkeeping's own versions): a new
	// record's maps are filled field by field, and growing them took a
	// tenth of a push's allocations.
	n := len(rt.Columns) + 2
	rec := &Record{Type: typ, ID: id, Fields: make(map[string]any, n), Versions: make(map[string]FieldVersion, n)}
	if tx.absent[cacheKey(typ, id)] {
		return rec, nil // known not indexed (PrefetchIndex) and not written since
	}
	defer func() {
		if rec.Exists {
			tx.cache(rec)
		}
	}()
	var versions, node string
	// The ids in their stored form, written as text here (idText): in SQL
	// that costs more than the rest of the lookup (store/intern.go).
	var visit, author, merged, echo, nodeKey any
	err := tx.QueryRow(`SELECT seq, region, visit_key, author_key, deleted, versions, merged_key, echo_key, node_key
		FROM record_index WHERE type = ? AND id_key = +?`, typ, IDKey(id)).
		Scan(&rec.Seq, &rec.Region, &visit, &author, &rec.Deleted, &versions, &merged, &echo, &nodeKey)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", typ, id, err)
	}
	for _, f := range []struct {
		key any
		to  *string
	}{{visit, &rec.VisitID}, {author, &rec.AuthorID}, {merged, &rec.MergedInto}, {echo, &rec.EchoDevice}, {nodeKey, &node}} {
		if *f.to, err = idText(f.key); err != nil {
			return nil, fmt.Errorf("load %s %s: %w", typ, id, err)
		}
	}
	rec.Exists = true
	if err := decodeVersionsAt(versions, node, versionNames[typ], rec.Seq, rec.Versions); err != nil {
		return nil, fmt.Errorf("load %s %s versions: %w", typ, id, err)
	}
	cols := make([]string, len(rt.Columns))
	dest := make([]any, len(rt.Columns))
	keyed := make([]bool, len(rt.Columns)) // read in its stored form, written as text here
	for i, c := range rt.Columns {
		cols[i] = lookupColumn(rt.Table, c.Name)
		keyed[i] = cols[i] != c.Name
		dest[i] = new(any)
	}
	err = tx.QueryRow("SELECT "+strings.Join(cols, ", ")+" FROM "+rt.Table+" WHERE "+lookupColumn(rt.Table, "id")+" = +?",
		lookupArg(rt.Table, "id", id)).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		// Indexed but not stored can only be a merged-away id.
		return rec, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s %s: %w", typ, id, err)
	}
	for i, c := range rt.Columns {
		raw := *(dest[i].(*any))
		if keyed[i] {
			if raw, err = idText(raw); err != nil {
				return nil, fmt.Errorf("load %s %s field %s: %w", typ, id, c.Name, err)
			}
		}
		v, err := decodeColumn(c, raw)
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
	table, conflict := rt.Table, "id"
	if st, ok := storedTables[rt.Table]; ok {
		var err error
		if cols, args, err = tx.storedColumns(st, cols, args, !rec.Exists); err != nil {
			return fmt.Errorf("save %s %s: %w", rec.Type, rec.ID, err)
		}
		table, conflict = st.table, st.interned["id"]
	}
	if err := tx.execLater(upsertSQL(table, conflict, cols), args...); err != nil {
		return fmt.Errorf("save %s %s: %w", rec.Type, rec.ID, err)
	}
	wasNew := !rec.Exists
	if err := tx.saveIndex(rec); err != nil {
		return err
	}
	if wasNew {
		// Columns it did not name took their defaults: read them back when
		// needed (most new records, a visit's answers, are never read again
		// in the transaction, so they are not copied into the cache either).
		delete(tx.records, cacheKey(rec.Type, rec.ID))
		tx.noteKey(rec)
	} else {
		tx.cache(rec)
	}
	return nil
}

// upsertSQLs caches the text of each upsert statement by table, conflict
// target and columns (a push writes the same few shapes thousands of times;
// comparing the columns costs less than building a key of them).
var (
	upsertMu   gosync.Mutex
	upsertSQLs map[string][]upsertShape
)

type upsertShape struct {
	conflict string
	cols     []string
	sql      string
}

func upsertSQL(table, conflict string, cols []string) string {
	upsertMu.Lock()
	defer upsertMu.Unlock()
	for _, u := range upsertSQLs[table] {
		if u.conflict == conflict && slices.Equal(u.cols, cols) {
			return u.sql
		}
	}
	sets := make([]string, 0, len(cols)-1)
	for _, c := range cols[1:] {
		sets = append(sets, c+" = excluded."+c)
	}
	q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) +
		") ON CONFLICT(" + conflict + ") DO UPDATE SET " + strings.Join(sets, ", ")
	if upsertSQLs == nil {
		upsertSQLs = map[string][]upsertShape{}
	}
	upsertSQLs[table] = append(upsertSQLs[table], upsertShape{conflict: conflict, cols: slices.Clone(cols), sql: q})
	return q
}

// storedTable is a record table kept with numbers for its ids (migration
// 0016): the table written, and its columns that hold interned ids, by
// their names in the view the readers read. The view gives each such
// column's stored form as <name>_key (migration 0020); a lookup by the
// column compares that (lookupColumn, lookupArg).
type storedTable struct {
	table    string
	interned map[string]string
	// coded are its columns that hold a number of a table of codes
	// (codes.go), by name (the same in the view and the stored table).
	coded map[string]string
}

// lookupColumn is the column of the record table (or view) table to compare
// with an argument to find rows by col: the stored form of an interned id
// column, else col itself.
func lookupColumn(table, col string) string {
	if st, ok := storedTables[table]; ok {
		if name, ok := st.interned[col]; ok {
			return keyColumn(name)
		}
	}
	return col
}

// keyColumn names the view's column of the stored form of the interned id
// kept as stored column name (rec: id_key, visit: visit_key, …).
func keyColumn(stored string) string {
	if stored == "rec" {
		return "id_key"
	}
	return stored + "_key"
}

// lookupArg is the argument v converted for a comparison with
// lookupColumn(table, col).
func lookupArg(table, col string, v any) any {
	if lookupColumn(table, col) == col {
		return v
	}
	if s, ok := v.(string); ok {
		return IDKey(s)
	}
	return v
}

// storedTables are the record tables whose rows are written as numbers,
// keyed by the view that reads them with the old names.
var storedTables = map[string]storedTable{
	"observations": {table: "observation_rows",
		interned: map[string]string{"id": "rec", "visit_id": "visit", "location_id": "location", "author_id": "author"},
		coded:    map[string]string{"item": "item_codes"}},
}

// storedColumns turns the columns and values of a record's row into those
// of its stored table: an id column into its number, named as stored. An id
// column a new record (isNew) does not hold (its place, not sent) is
// written as the number of "", the old column's default; an existing
// record's stays as stored.
func (tx *Tx) storedColumns(st storedTable, cols []string, args []any, isNew bool) ([]string, []any, error) {
	outCols := make([]string, 0, len(cols)+len(st.interned))
	outArgs := make([]any, 0, len(cols)+len(st.interned))
	seen := 0
	for i, c := range cols {
		if table, ok := st.coded[c]; ok {
			s, _ := args[i].(string)
			no, err := tx.codeNo(table, s)
			if err != nil {
				return nil, nil, err
			}
			outCols, outArgs = append(outCols, c), append(outArgs, no)
			continue
		}
		name, ok := st.interned[c]
		if !ok {
			outCols, outArgs = append(outCols, c), append(outArgs, args[i])
			continue
		}
		s, _ := args[i].(string)
		no, err := tx.intern(s)
		if err != nil {
			return nil, nil, err
		}
		outCols, outArgs = append(outCols, name), append(outArgs, no)
		seen++
	}
	if isNew && seen < len(st.interned) {
		for _, c := range slices.Sorted(maps.Keys(st.interned)) {
			if slices.Contains(cols, c) {
				continue
			}
			no, err := tx.intern("")
			if err != nil {
				return nil, nil, err
			}
			outCols, outArgs = append(outCols, st.interned[c]), append(outArgs, no)
		}
	}
	return outCols, outArgs, nil
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
	tx.records[cacheKey(rec.Type, rec.ID)] = rec.clone()
}

// SaveRecordIndex writes only the record's bookkeeping row.
func (tx *Tx) SaveRecordIndex(rec *Record) error {
	if err := tx.saveIndex(rec); err != nil {
		return err
	}
	if rec.MergedInto == "" {
		tx.cache(rec)
	} else {
		delete(tx.records, cacheKey(rec.Type, rec.ID)) // an alias: loaded from the index, with no fields
	}
	return nil
}

// saveIndex writes the record's bookkeeping row and leaves the cache of
// loaded records to its caller.
func (tx *Tx) saveIndex(rec *Record) error {
	list := versionNames[rec.Type]
	node := versionsNode(rec.Versions)
	var versions any
	if packed, ok := packVersions(rec.Versions, node, list, rec.Seq); ok {
		versions = packed
	} else {
		versions, _ = encodeVersionsAt(rec.Versions, node, list)
	}
	nos, err := tx.internAll(rec.ID, string(rec.Type), rec.VisitID, rec.AuthorID, rec.MergedInto, rec.EchoDevice)
	if err != nil {
		return fmt.Errorf("index %s %s: %w", rec.Type, rec.ID, err)
	}
	var vnode any
	if node != "" {
		if vnode, err = tx.intern(node); err != nil {
			return fmt.Errorf("index %s %s: %w", rec.Type, rec.ID, err)
		}
	}
	region, err := tx.regionNo(rec.Region)
	if err != nil {
		return fmt.Errorf("index %s %s: %w", rec.Type, rec.ID, err)
	}
	err = tx.execLater(`INSERT INTO record_heads (rec, type, seq, region, visit, author, deleted, versions, merged_into, echo, vnode)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(rec, type) DO UPDATE SET seq = excluded.seq, region = excluded.region, visit = excluded.visit,
		author = excluded.author, deleted = excluded.deleted, versions = excluded.versions, merged_into = excluded.merged_into,
		echo = excluded.echo, vnode = excluded.vnode`,
		nos[0], nos[1], rec.Seq, region, nos[2], nos[3], rec.Deleted, versions, nos[4], nos[5], vnode)
	if err != nil {
		return fmt.Errorf("index %s %s: %w", rec.Type, rec.ID, err)
	}
	rec.Exists = true
	key := cacheKey(rec.Type, rec.ID)
	delete(tx.absent, key)
	if tx.heads == nil {
		tx.heads = map[string]RecordHead{}
	}
	tx.heads[key] = RecordHead{Exists: true, VisitID: rec.VisitID, Deleted: rec.Deleted}
	return nil
}

// RecordHead is what the bookkeeping says of a record: whether it exists,
// its visit, whether it is deleted.
type RecordHead struct {
	Exists  bool
	VisitID string
	Deleted bool
}

// Head returns what the bookkeeping says of a record. A record this
// transaction wrote is answered from what it wrote, without a read: a push
// makes a place and then answers in it, and reading the place back would
// wait for the statements run behind (writebehind.go).
func (tx *Tx) Head(typ schema.RecordType, id string) (RecordHead, error) {
	key := cacheKey(typ, id)
	if h, ok := tx.heads[key]; ok {
		return h, nil
	}
	rec, err := tx.PeekRecord(typ, id)
	if err != nil {
		return RecordHead{}, err
	}
	return RecordHead{Exists: rec.Exists, VisitID: rec.VisitID, Deleted: rec.Deleted}, nil
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
func (tx *Tx) FindByKey(typ schema.RecordType, key map[string]any) (string, error) {
	cached := len(key) == len(naturalKeyCols[typ])
	k := naturalKeyOf(typ, func(name string) string {
		s, ok := key[name].(string)
		cached = cached && ok
		return s
	})
	if id, ok := tx.keys[k]; ok && cached {
		return id, nil
	}
	q, args := findByKeySQL(typ, key)
	var id string
	err := tx.QueryRow(q, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// findByKeySQL is FindByKey's query and its arguments: an index lookup
// (keyplan_test.go).
func findByKeySQL(typ schema.RecordType, key map[string]any) (string, []any) {
	rt := RecordTypes[typ]
	var conds []string
	var args []any
	for _, name := range []string{"visit_id", "location_id", "item", "author_id"} {
		if v, ok := key[name]; ok {
			conds = append(conds, lookupColumn(rt.Table, name)+" = +?")
			args = append(args, lookupArg(rt.Table, name, v))
		}
	}
	return "SELECT id FROM " + rt.Table + " WHERE " + strings.Join(conds, " AND "), args
}

// naturalKeyCols are the columns of the unique natural key of the record
// types that have one (observations_key, consolidations_key).
var naturalKeyCols = map[schema.RecordType][]string{
	schema.RecordObservation:   {"visit_id", "location_id", "item", "author_id"},
	schema.RecordConsolidation: {"visit_id", "location_id", "item"},
}

// NaturalKey is the value of a record's natural key columns; AuthorID is
// left out of a consolidation's.
type NaturalKey struct{ VisitID, LocationID, Item, AuthorID string }

func (k NaturalKey) get(name string) string {
	switch name {
	case "visit_id":
		return k.VisitID
	case "location_id":
		return k.LocationID
	case "item":
		return k.Item
	}
	return k.AuthorID
}

// naturalKeyOf writes the natural key of a record of typ as one string, ""
// for a type without one.
func naturalKeyOf(typ schema.RecordType, get func(name string) string) string {
	cols := naturalKeyCols[typ]
	if cols == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(string(typ))
	for _, c := range cols {
		b.WriteByte(0)
		b.WriteString(get(c))
	}
	return b.String()
}

// noteKey records the natural key of a record just inserted, for FindByKey.
func (tx *Tx) noteKey(rec *Record) {
	if tx.keys == nil {
		return
	}
	k := naturalKeyOf(rec.Type, func(name string) string { s, _ := rec.Fields[name].(string); return s })
	if k != "" && tx.keys[k] == "" {
		tx.keys[k] = rec.ID
	}
}

// prefetchChunk bounds the values bound in one prefetch query.
const prefetchChunk = 500

// PrefetchIndex reads in one query per 500 ids which records of type typ are
// indexed. LoadRecord then answers the others ("no such record") without a
// query until the transaction writes them: a push of a new visit looks up a
// thousand records that never exist.
func (tx *Tx) PrefetchIndex(typ schema.RecordType, ids []string) error {
	if tx.absent == nil {
		tx.absent = map[string]bool{}
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), prefetchChunk)]
		ids = ids[len(chunk):]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, IDKey(string(typ)))
		for _, id := range chunk {
			args = append(args, IDKey(id))
		}
		// The ids' numbers in uuid_rows come with the answer: a new record's
		// id is then interned without a lookup.
		rows, err := tx.Query(`SELECT u.id, u.no, h.rec IS NOT NULL FROM uuid_rows u
			LEFT JOIN record_heads h ON h.rec = u.no AND h.type = (SELECT no FROM uuid_rows WHERE id = ?)
			WHERE u.id IN (`+placeholders(len(chunk))+")", args...)
		if err != nil {
			return fmt.Errorf("prefetch %s index: %w", typ, err)
		}
		found := map[string]bool{}
		if tx.interned == nil {
			tx.interned = map[string]int64{}
		}
		for rows.Next() {
			var key any
			var no int64
			var indexed bool
			if err := rows.Scan(&key, &no, &indexed); err != nil {
				rows.Close()
				return fmt.Errorf("prefetch %s index: %w", typ, err)
			}
			id, err := idText(key)
			if err != nil {
				rows.Close()
				return fmt.Errorf("prefetch %s index: %w", typ, err)
			}
			tx.interned[id] = no
			found[id] = indexed
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("prefetch %s index: %w", typ, err)
		}
		for _, id := range chunk {
			if _, cached := tx.records[cacheKey(typ, id)]; !found[id] && !cached {
				tx.absent[cacheKey(typ, id)] = true
			}
			if _, known := tx.interned[id]; !known {
				tx.interned[id] = 0 // not in uuids: intern adds it without a lookup
			}
		}
	}
	return nil
}

// prefetchKeysSQL is PrefetchKeys' query of the records of table holding
// the natural keys (columns cols) of chunk, and its arguments: an index
// lookup per key (keyplan_test.go).
func prefetchKeysSQL(table string, cols []string, chunk []NaturalKey) (string, []any) {
	var on []string
	for i, c := range cols {
		on = append(on, fmt.Sprintf("t.%s = k.column%d", lookupColumn(table, c), i+1))
	}
	row := "(" + placeholders(len(cols)) + ")"
	values := make([]string, len(chunk))
	args := make([]any, 0, len(chunk)*len(cols))
	for i, k := range chunk {
		values[i] = row
		for _, c := range cols {
			args = append(args, lookupArg(table, c, k.get(c)))
		}
	}
	return "SELECT t.id, t." + strings.Join(cols, ", t.") + " FROM (VALUES " + strings.Join(values, ", ") + ") AS k JOIN " +
		table + " t ON " + strings.Join(on, " AND "), args
}

// PrefetchKeys reads in one query per 500 keys which natural keys of typ are
// taken, and by which record. FindByKey then answers them without a query.
func (tx *Tx) PrefetchKeys(typ schema.RecordType, keys []NaturalKey) error {
	rt, cols := RecordTypes[typ], naturalKeyCols[typ]
	if cols == nil {
		return fmt.Errorf("prefetch keys: %s has no natural key", typ)
	}
	if tx.keys == nil {
		tx.keys = map[string]string{}
	}
	for len(keys) > 0 {
		chunk := keys[:min(len(keys), prefetchChunk)]
		keys = keys[len(chunk):]
		q, args := prefetchKeysSQL(rt.Table, cols, chunk)
		rows, err := tx.Query(q, args...)
		if err != nil {
			return fmt.Errorf("prefetch %s keys: %w", typ, err)
		}
		found := map[string]string{}
		for rows.Next() {
			var id string
			vals := make([]string, len(cols))
			dest := []any{&id}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return fmt.Errorf("prefetch %s keys: %w", typ, err)
			}
			found[naturalKeyOf(typ, func(name string) string { return vals[slices.Index(cols, name)] })] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("prefetch %s keys: %w", typ, err)
		}
		for _, k := range chunk {
			ks := naturalKeyOf(typ, k.get)
			if _, known := tx.keys[ks]; !known {
				tx.keys[ks] = found[ks]
			}
		}
	}
	return nil
}

// encodeVersions writes a record's field versions compactly (migration
// 0006): the fields that share one version are grouped under it, and the
// device is left out when it is the clock stamp's node, as it is for every
// device's own write. [[seq,"hlc",["field",…]],[seq,"hlc","device",[…]],…],
// groups in order of (seq, hlc, device), fields sorted. A new observation's
// three fields take about 110 bytes instead of the 430 of a JSON object
// repeating the stamp for each field.
func encodeVersions(versions map[string]FieldVersion) string {
	text, _ := encodeVersionsAt(versions, "", nil)
	return text
}

// versionsNode is the device whose own stamps encodeVersionsNode writes as
// numbers: of the stamps a device made and that clockNumber takes, the one
// of the latest sequence ("" when none).
func versionsNode(versions map[string]FieldVersion) string {
	var best FieldVersion
	found := false
	for _, v := range versions {
		if v.Device == "" || v.Device != hlcNode(v.HLC) {
			continue
		}
		if _, ok := clockNumber(v.HLC, v.Device); !ok {
			continue
		}
		if !found || v.Seq > best.Seq || (v.Seq == best.Seq && v.Device > best.Device) {
			best, found = v, true
		}
	}
	return best.Device
}

// encodeVersionsNode writes versions as encodeVersions does, except that a
// group stamped by the returned node (versionsNode), with a stamp
// clockNumber takes, has the number in place of the stamp:
// [seq,number,["field",…]] (migration 0018). The node is stored beside the
// text (record_heads.vnode); a new observation's versions take about 40
// bytes instead of 120.
func encodeVersionsNode(versions map[string]FieldVersion, names []string) (text, node string) {
	node = versionsNode(versions)
	return encodeVersionsAt(versions, node, names)
}

func encodeVersionsAt(versions map[string]FieldVersion, node string, list []string) (string, string) {
	groups := make(map[FieldVersion][]string, 2)
	for name, v := range versions {
		groups[v] = append(groups[v], name)
	}
	keys := make([]FieldVersion, 0, len(groups))
	for v := range groups {
		keys = append(keys, v)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Seq != b.Seq {
			return a.Seq < b.Seq
		}
		if a.HLC != b.HLC {
			return a.HLC < b.HLC
		}
		return a.Device < b.Device
	})
	b := make([]byte, 0, 8+len(keys)*80+len(versions)*12)
	b = append(b, '[')
	for i, v := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, v.Seq, 10)
		b = append(b, ',')
		if n, ok := clockNumber(v.HLC, node); ok && node != "" && v.Device == node {
			b = strconv.AppendInt(b, n, 10)
		} else {
			b = appendJSONString(b, v.HLC)
			if v.Device != hlcNode(v.HLC) {
				b = append(b, ',')
				b = appendJSONString(b, v.Device)
			}
		}
		names := groups[v]
		if mask, ok := namesMask(list, names); ok && node != "" {
			b = append(b, ',')
			b = strconv.AppendInt(b, mask, 10)
			b = append(b, ']')
			continue
		}
		b = append(b, ",["...)
		sort.Strings(names)
		for k, name := range names {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, name)
		}
		b = append(b, "]]"...)
	}
	return string(append(b, ']')), node
}

// hlcNode is the node of a clock stamp "TIME/COUNTER/NODE": what follows its
// second slash. It is computed the same way by migration 0006 in SQL, a
// missing slash counting as one before the start.
func hlcNode(hlc string) string {
	rest := hlc[strings.IndexByte(hlc, '/')+1:]
	return rest[strings.IndexByte(rest, '/')+1:]
}

// packedVersionsTag begins the binary form of a record's field versions
// (packVersions); the text forms begin with '[' or '{'.
const packedVersionsTag = 0x01

// packVersions writes versions in a binary form of about 11 bytes a group
// where the text of encodeVersionsNode takes about 28 (issue 15, disk per
// observation): the tag, then for each group, in the text's order, three
// unsigned varints: the record's sequence seq less the group's, the group's
// stamp as clockNumber of node, and its fields as a mask over list. It
// applies only when every group can be written so: stamps of node that
// clockNumber takes, fields all in list, sequences not above seq; ok is
// false otherwise and the text is stored.
func packVersions(versions map[string]FieldVersion, node string, list []string, seq int64) (packed []byte, ok bool) {
	if node == "" || len(versions) == 0 {
		return nil, false
	}
	groups := make(map[FieldVersion][]string, 2)
	for name, v := range versions {
		groups[v] = append(groups[v], name)
	}
	keys := make([]FieldVersion, 0, len(groups))
	for v := range groups {
		if v.Device != node || v.Seq < 0 || v.Seq > seq {
			return nil, false
		}
		keys = append(keys, v)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Seq != keys[j].Seq {
			return keys[i].Seq < keys[j].Seq
		}
		return keys[i].HLC < keys[j].HLC
	})
	b := make([]byte, 1, 1+len(keys)*12)
	b[0] = packedVersionsTag
	for _, v := range keys {
		n, ok := clockNumber(v.HLC, node)
		if !ok {
			return nil, false
		}
		mask, ok := namesMask(list, groups[v])
		if !ok {
			return nil, false
		}
		b = binary.AppendUvarint(b, uint64(seq-v.Seq))
		b = binary.AppendUvarint(b, uint64(n))
		b = binary.AppendUvarint(b, uint64(mask))
	}
	return b, true
}

// unpackVersions reads what packVersions wrote.
func unpackVersions(text, node string, list []string, seq int64, into map[string]FieldVersion) error {
	fail := func() error { return fmt.Errorf("versions: %d bytes of the binary form do not read", len(text)) }
	if node == "" || len(list) == 0 || len(list) > 62 {
		return fail()
	}
	b := []byte(text[1:])
	for len(b) > 0 {
		var nums [3]uint64
		for i := range nums {
			x, k := binary.Uvarint(b)
			if k <= 0 {
				return fail()
			}
			nums[i], b = x, b[k:]
		}
		below, n, mask := nums[0], nums[1], nums[2]
		if below > uint64(seq) || n/10000 > maxOpMillis || mask == 0 || mask>>len(list) != 0 {
			return fail()
		}
		v := FieldVersion{Seq: seq - int64(below), HLC: clockText(int64(n), node), Device: node}
		for i, name := range list {
			if mask&(1<<i) != 0 {
				into[name] = v
			}
		}
	}
	return nil
}

// EncodeVersions is the text the server stores for a record's field versions
// (the bench's plain-insert baseline writes the same).
func EncodeVersions(versions map[string]FieldVersion) string { return encodeVersions(versions) }

// decodeVersions reads what encodeVersions wrote.
func decodeVersions(text string, into map[string]FieldVersion) error {
	return decodeVersionsAt(text, "", nil, 0, into)
}

// decodeVersionsAt reads what encodeVersionsNode or packVersions wrote, node
// the one they were given (stored beside it): a number in place of a stamp
// is a stamp of node. seq is the record's own sequence (packVersions writes
// the groups' sequences as distances below it).
func decodeVersionsAt(text, node string, list []string, seq int64, into map[string]FieldVersion) error {
	if text == "{}" {
		return nil // the column's default: no field written
	}
	if len(text) > 0 && text[0] == packedVersionsTag {
		return unpackVersions(text, node, list, seq, into)
	}
	d := versionsDecoder{s: text}
	if !d.byte('[') {
		return d.fail()
	}
	if d.byte(']') {
		return d.end()
	}
	for {
		var v FieldVersion
		if !d.byte('[') || !d.int(&v.Seq) || !d.byte(',') {
			return d.fail()
		}
		if c := d.peek(); c >= '0' && c <= '9' {
			var n int64
			if node == "" || !d.int(&n) || !d.byte(',') || n < 0 || n/10000 > maxOpMillis {
				return d.fail()
			}
			v.HLC, v.Device = clockText(n, node), node
		} else if !d.str(&v.HLC) || !d.byte(',') {
			return d.fail()
		} else if v.Device = hlcNode(v.HLC); d.peek() == '"' {
			if !d.str(&v.Device) || !d.byte(',') {
				return d.fail()
			}
		}
		if c := d.peek(); c >= '0' && c <= '9' {
			// The fields as a number over the type's list (versionNames).
			var mask int64
			if !d.int(&mask) || mask <= 0 || len(list) == 0 || len(list) > 62 || mask>>len(list) != 0 {
				return d.fail()
			}
			for i, name := range list {
				if mask&(1<<i) != 0 {
					into[name] = v
				}
			}
		} else {
			if !d.byte('[') {
				return d.fail()
			}
			for {
				var name string
				if !d.str(&name) {
					return d.fail()
				}
				into[name] = v
				if d.byte(']') {
					break
				}
				if !d.byte(',') {
					return d.fail()
				}
			}
		}
		if !d.byte(']') {
			return d.fail()
		}
		if d.byte(']') {
			return d.end()
		}
		if !d.byte(',') {
			return d.fail()
		}
	}
}

// versionsDecoder scans the compact versions text.
type versionsDecoder struct {
	s string
	i int
}

func (d *versionsDecoder) peek() byte {
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

func (d *versionsDecoder) byte(c byte) bool {
	if d.peek() != c {
		return false
	}
	d.i++
	return true
}

func (d *versionsDecoder) int(n *int64) bool {
	start := d.i
	if d.peek() == '-' {
		d.i++
	}
	for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
		d.i++
	}
	v, err := strconv.ParseInt(d.s[start:d.i], 10, 64)
	*n = v
	return err == nil
}

// str reads a JSON string: as it is when it has no escapes, else through
// encoding/json.
func (d *versionsDecoder) str(s *string) bool {
	if !d.byte('"') {
		return false
	}
	start, escaped := d.i, false
	for ; d.i < len(d.s) && d.s[d.i] != '"'; d.i++ {
		if d.s[d.i] == '\\' {
			escaped = true
			d.i++
		}
	}
	if d.i >= len(d.s) {
		return false
	}
	d.i++
	if !escaped {
		*s = d.s[start : d.i-1]
		return true
	}
	return json.Unmarshal([]byte(d.s[start-1:d.i]), s) == nil
}

func (d *versionsDecoder) end() error {
	if d.i != len(d.s) {
		return d.fail()
	}
	return nil
}

func (d *versionsDecoder) fail() error {
	return fmt.Errorf("field versions are not in the stored form at byte %d", d.i)
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
	toNo, err := tx.regionNo(to)
	if err != nil {
		return fmt.Errorf("move facility records: %w", err)
	}
	if _, err := tx.Exec(`UPDATE record_heads SET region = ? WHERE visit IN (SELECT u.no FROM visits v JOIN uuid_rows u ON u.id = `+uuidKeySQL("v.id")+` WHERE v.facility_id = ?)
		OR (type = (SELECT no FROM uuid_rows WHERE id = 'recommendation')
			AND rec IN (SELECT u.no FROM recommendations r JOIN uuid_rows u ON u.id = `+uuidKeySQL("r.id")+` WHERE r.facility_id = ?))`,
		toNo, facilityID, facilityID); err != nil {
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
