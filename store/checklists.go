package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"inspecta/schema"
)

// Checklist sources, as stored.
const (
	SourceEmbedded = "embedded"
	SourceJSON     = "json"
	SourceXLSForm  = "xlsform"
)

// ErrChecklistExists is returned when a checklist version is already stored
// with other content: a stored version never changes, a visit may use it.
var ErrChecklistExists = errors.New("this checklist version is already stored with other content; give the new one a higher version")

// ErrChecklistVersionOld is returned when a checklist comes with a version not
// above every stored version of the same checklist.
var ErrChecklistVersionOld = errors.New("a new version of a checklist must be numbered above every stored version")

// IndicatorError is a checklist refused because an indicator is not a
// built-in one reading the checklist's own items.
type IndicatorError struct{ Err error }

func (e *IndicatorError) Error() string { return e.Err.Error() }
func (e *IndicatorError) Unwrap() error { return e.Err }

// checklistCache keeps the parsed templates of the database, by digest, and
// the catalog last built; the catalog is rebuilt when the stored versions or
// the active ones change, also when another process (inspecta checklist
// import) changed them.
type checklistCache struct {
	mu      sync.Mutex
	sig     string
	catalog *schema.Catalog
	parsed  map[string]*schema.Template // by digest
}

// ChecklistInfo describes one stored checklist version.
type ChecklistInfo struct {
	ID          string      `json:"id"`
	Version     int         `json:"version"`
	Ref         string      `json:"ref"`
	Title       schema.Text `json:"title"`
	Source      string      `json:"source"`
	Digest      string      `json:"digest"`
	ImportedBy  string      `json:"imported_by"`
	ImportedAt  string      `json:"imported_at"`
	Active      bool        `json:"active"`
	Default     bool        `json:"default"`
	Visits      int         `json:"visits"` // visits recorded with this version
	Items       int         `json:"items"`
	Indicators  int         `json:"indicators"`
	ActivatedAt string      `json:"activated_at,omitempty"`
}

// TemplateJSON is a template as stored and exported: its canonical JSON.
func TemplateJSON(t *schema.Template) ([]byte, error) {
	body, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode checklist %s: %w", t.Ref(), err)
	}
	return body, nil
}

func digestOf(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// packBody is a template's JSON as stored in checklists.body: gzip, a BLOB
// (the column's TEXT affinity keeps a BLOB as it is). The six embedded
// templates are 83 to 185 KB of JSON each, about 43 B per observation of the
// bench's database as text, a tenth of it packed. The digest stays the SHA-256
// of the JSON text: signatures, caches and the desk's lists do not change.
func packBody(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, fmt.Errorf("compress checklist: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress checklist: %w", err)
	}
	return buf.Bytes(), nil
}

// unpackBody returns the JSON text of a stored body: a BLOB is gzip as
// packBody wrote it (gzip's own CRC checks it), a TEXT is the JSON as written
// before bodies were packed (compressChecklistBodies packs those at open).
func unpackBody(stored []byte, isBlob bool) ([]byte, error) {
	if !isBlob {
		return stored, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(stored))
	if err != nil {
		return nil, fmt.Errorf("uncompress checklist: %w", err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("uncompress checklist: %w", err)
	}
	return body, nil
}

// storedBodyColumns reads checklists.body with what unpackBody needs.
const storedBodyColumns = "typeof(body) = 'blob', body"

// compressChecklistBodies packs every body still stored as JSON text (a
// database written before round seven), once, at open. Each packed body is
// read back and compared with its text before it replaces it.
func (db *DB) compressChecklistBodies(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		type textBody struct {
			id      string
			version int
			body    []byte
		}
		rows, err := tx.Query("SELECT id, version, body FROM checklists WHERE typeof(body) = 'text'")
		if err != nil {
			return fmt.Errorf("compress checklists: %w", err)
		}
		var todo []textBody
		for rows.Next() {
			var b textBody
			if err := rows.Scan(&b.id, &b.version, &b.body); err != nil {
				rows.Close()
				return fmt.Errorf("compress checklists: %w", err)
			}
			todo = append(todo, b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("compress checklists: %w", err)
		}
		for _, b := range todo {
			packed, err := packBody(b.body)
			if err != nil {
				return fmt.Errorf("compress checklist %s@%d: %w", b.id, b.version, err)
			}
			back, err := unpackBody(packed, true)
			if err != nil || !bytes.Equal(back, b.body) {
				return fmt.Errorf("compress checklist %s@%d: the packed body does not read back as its text (%v)", b.id, b.version, err)
			}
			if _, err := tx.Exec("UPDATE checklists SET body = ? WHERE id = ? AND version = ? AND typeof(body) = 'text'",
				packed, b.id, b.version); err != nil {
				return fmt.Errorf("compress checklist %s@%d: %w", b.id, b.version, err)
			}
		}
		return nil
	})
}

// ChecklistBodyProblems reads every stored checklist body back and returns,
// one sentence each, those that do not read or whose JSON is not the text
// their digest names (inspecta check).
func (tx *Tx) ChecklistBodyProblems() ([]string, error) {
	rows, err := tx.Query("SELECT id, version, digest, " + storedBodyColumns + " FROM checklists ORDER BY id, version")
	if err != nil {
		return nil, fmt.Errorf("check checklists: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var id, digest string
		var version int
		var isBlob bool
		var stored []byte
		if err := rows.Scan(&id, &version, &digest, &isBlob, &stored); err != nil {
			return nil, fmt.Errorf("check checklists: %w", err)
		}
		body, err := unpackBody(stored, isBlob)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("checklist %s@%d: its stored body does not read: %v", id, version, err))
		case digestOf(body) != digest:
			problems = append(problems, fmt.Sprintf("checklist %s@%d: its stored body is not the one its digest names", id, version))
		}
	}
	return problems, rows.Err()
}

// seedChecklists stores the embedded checklists a database starts with and
// activates each whose checklist has no active version, or whose active
// version is an older embedded one. An embedded version already stored with
// other content is updated only while no visit uses it; a version an
// administrator imported under the same id and version is left as it is.
func (db *DB) seedChecklists(ctx context.Context) error {
	ts, err := schema.DefaultTemplates()
	if err != nil {
		return fmt.Errorf("embedded checklists: %w", err)
	}
	return db.Write(ctx, func(tx *Tx) error {
		for _, t := range ts {
			if err := tx.seedChecklist(t); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *Tx) seedChecklist(t *schema.Template) error {
	body, err := TemplateJSON(t)
	if err != nil {
		return err
	}
	digest := digestOf(body)
	packed, err := packBody(body)
	if err != nil {
		return fmt.Errorf("seed checklist %s: %w", t.Ref(), err)
	}
	var oldDigest, source string
	err = tx.QueryRow("SELECT digest, source FROM checklists WHERE id = ? AND version = ?", t.ID, t.Version).Scan(&oldDigest, &source)
	switch {
	case isNoRows(err):
		tx.catalog = nil
		if _, err := tx.Exec(`INSERT INTO checklists (id, version, body, digest, source, imported_at) VALUES (?, ?, ?, ?, ?, ?)`,
			t.ID, t.Version, packed, digest, SourceEmbedded, tx.NowText()); err != nil {
			return fmt.Errorf("seed checklist %s: %w", t.Ref(), err)
		}
	case err != nil:
		return fmt.Errorf("seed checklist %s: %w", t.Ref(), err)
	case oldDigest != digest:
		used, err := tx.checklistVisits(t.Ref())
		if err != nil {
			return err
		}
		if source != SourceEmbedded {
			// An administrator imported a checklist under the same id and
			// version before this one was built in: theirs stays as it is.
			return nil
		}
		if used > 0 {
			return fmt.Errorf("seed checklist %s: the embedded checklist differs from the stored one, which %d visit(s) use; give the embedded checklist a new version", t.Ref(), used)
		}
		tx.catalog = nil
		if _, err := tx.Exec("UPDATE checklists SET body = ?, digest = ? WHERE id = ? AND version = ?",
			packed, digest, t.ID, t.Version); err != nil {
			return fmt.Errorf("seed checklist %s: %w", t.Ref(), err)
		}
	}
	var activeVersion int
	var activeSource string
	err = tx.QueryRow(`SELECT a.version, c.source FROM checklist_active a JOIN checklists c ON c.id = a.id AND c.version = a.version
		WHERE a.id = ?`, t.ID).Scan(&activeVersion, &activeSource)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("seed checklist %s: %w", t.Ref(), err)
	}
	if isNoRows(err) || (activeSource == SourceEmbedded && activeVersion < t.Version) {
		return tx.setActive(t.ID, t.Version, "")
	}
	return nil
}

func (tx *Tx) setActive(id string, version int, by string) error {
	tx.catalog = nil
	_, err := tx.Exec(`INSERT INTO checklist_active (id, version, activated_by, activated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, activated_by = excluded.activated_by, activated_at = excluded.activated_at`,
		id, version, by, tx.NowText())
	if err != nil {
		return fmt.Errorf("activate checklist %s@%d: %w", id, version, err)
	}
	return nil
}

func (tx *Tx) checklistVisits(ref string) (int, error) {
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM visits WHERE checklist = ?", ref).Scan(&n); err != nil {
		return 0, fmt.Errorf("visits of checklist %s: %w", ref, err)
	}
	return n, nil
}

// ImportChecklist stores t, a validated template, as a new version from
// source (SourceJSON or SourceXLSForm) on behalf of userID ("" for the
// command line). Its indicators must be built-in ones (schema.
// CheckBuiltinIndicators). Importing a version already stored with the same
// content changes nothing and returns created false; with other content it
// returns ErrChecklistExists, and a version not above the stored ones
// ErrChecklistVersionOld. With activate, t becomes the version new visits get.
func (tx *Tx) ImportChecklist(t *schema.Template, source, userID string, activate bool) (created bool, err error) {
	if errs := schema.CheckBuiltinIndicators(t); len(errs) > 0 {
		return false, &IndicatorError{Err: errors.Join(errs...)}
	}
	body, err := TemplateJSON(t)
	if err != nil {
		return false, err
	}
	digest := digestOf(body)
	var oldDigest string
	err = tx.QueryRow("SELECT digest FROM checklists WHERE id = ? AND version = ?", t.ID, t.Version).Scan(&oldDigest)
	switch {
	case err == nil && oldDigest != digest:
		return false, fmt.Errorf("%s: %w", t.Ref(), ErrChecklistExists)
	case err == nil:
	case !isNoRows(err):
		return false, fmt.Errorf("import checklist %s: %w", t.Ref(), err)
	default:
		var top int
		if err := tx.QueryRow("SELECT COALESCE(MAX(version), 0) FROM checklists WHERE id = ?", t.ID).Scan(&top); err != nil {
			return false, fmt.Errorf("import checklist %s: %w", t.Ref(), err)
		}
		if t.Version <= top {
			return false, fmt.Errorf("%s: %w (version %d is stored)", t.Ref(), ErrChecklistVersionOld, top)
		}
		packed, err := packBody(body)
		if err != nil {
			return false, fmt.Errorf("import checklist %s: %w", t.Ref(), err)
		}
		tx.catalog = nil
		if _, err := tx.Exec(`INSERT INTO checklists (id, version, body, digest, source, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.Version, packed, digest, source, userID, tx.NowText()); err != nil {
			return false, fmt.Errorf("import checklist %s: %w", t.Ref(), err)
		}
		created = true
		if err := tx.AddAuditEvent(userID, "checklist_import", t.Ref(), source+" "+digest[:12], ""); err != nil {
			return false, err
		}
	}
	if activate {
		if err := tx.ActivateChecklist(t.Ref(), userID); err != nil {
			return false, err
		}
	}
	return created, nil
}

// ActivateChecklist makes the stored version ref ("id@version") the one new
// visits get. Visits already started keep theirs. It returns ErrNotFound for a
// version not stored.
func (tx *Tx) ActivateChecklist(ref, userID string) error {
	id, version, err := schema.ParseRef(ref)
	if err != nil {
		return err
	}
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM checklists WHERE id = ? AND version = ?", id, version).Scan(&n); err != nil {
		return fmt.Errorf("activate checklist %s: %w", ref, err)
	}
	if n == 0 || version == 0 {
		return ErrNotFound
	}
	if err := tx.setActive(id, version, userID); err != nil {
		return err
	}
	return tx.AddAuditEvent(userID, "checklist_activate", ref, "", "")
}

// ChecklistInfos lists every stored version, by id then version.
func (tx *Tx) ChecklistInfos() ([]ChecklistInfo, error) {
	cat, err := tx.Checklists()
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(`SELECT c.id, c.version, c.source, c.digest, c.imported_by, c.imported_at,
		COALESCE(a.activated_at, ''), (SELECT count(*) FROM visits v WHERE v.checklist = c.id || '@' || c.version)
		FROM checklists c LEFT JOIN checklist_active a ON a.id = c.id AND a.version = c.version
		ORDER BY c.id, c.version`)
	if err != nil {
		return nil, fmt.Errorf("list checklists: %w", err)
	}
	defer rows.Close()
	var out []ChecklistInfo
	for rows.Next() {
		var ci ChecklistInfo
		if err := rows.Scan(&ci.ID, &ci.Version, &ci.Source, &ci.Digest, &ci.ImportedBy, &ci.ImportedAt, &ci.ActivatedAt, &ci.Visits); err != nil {
			return nil, fmt.Errorf("list checklists: %w", err)
		}
		ci.Ref = fmt.Sprintf("%s@%d", ci.ID, ci.Version)
		if t := cat.Template(ci.Ref); t != nil {
			ci.Title, ci.Items, ci.Indicators = t.Title, len(t.Items), len(t.Indicators)
			ci.Active = cat.IsActive(t)
			ci.Default = ci.Active && cat.Default() == t
		}
		out = append(out, ci)
	}
	return out, rows.Err()
}

// Checklists returns the catalog of stored checklist versions as this
// transaction sees them. Parsed templates are kept between calls (a stored
// version never changes), so the usual cost is one small query.
// checklistsSignature changes whenever a checklist is added or activated. It
// is read once a write transaction, from an index only (migration 0010): the
// digests stand after the bodies, whose pages it would read otherwise.
const checklistsSignature = `SELECT (SELECT count(*) || ':' || COALESCE(group_concat(substr(digest, 1, 12), ''), '') FROM checklists) || '|' ||
	COALESCE((SELECT group_concat(id || '@' || version, ',') FROM (SELECT id, version FROM checklist_active ORDER BY id)), '')`

func (tx *Tx) Checklists() (*schema.Catalog, error) {
	if tx.catalog != nil {
		return tx.catalog, nil // one snapshot per transaction: a push asks for every operation
	}
	var sig string
	if err := tx.QueryRow(checklistsSignature).Scan(&sig); err != nil {
		return nil, fmt.Errorf("checklists: %w", err)
	}
	c := &tx.db.checklists
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.catalog == nil || c.sig != sig {
		cat, err := tx.loadCatalog(c)
		if err != nil {
			return nil, err
		}
		c.sig, c.catalog = sig, cat
	}
	tx.catalog = c.catalog
	return tx.catalog, nil
}

func (tx *Tx) loadCatalog(c *checklistCache) (*schema.Catalog, error) {
	if c.parsed == nil {
		c.parsed = map[string]*schema.Template{}
	}
	rows, err := tx.Query("SELECT id, version, digest, " + storedBodyColumns + " FROM checklists ORDER BY id, version")
	if err != nil {
		return nil, fmt.Errorf("load checklists: %w", err)
	}
	defer rows.Close()
	var all []*schema.Template
	for rows.Next() {
		var id, digest string
		var version int
		var isBlob bool
		var stored []byte
		if err := rows.Scan(&id, &version, &digest, &isBlob, &stored); err != nil {
			return nil, fmt.Errorf("load checklists: %w", err)
		}
		t := c.parsed[digest]
		if t == nil {
			body, err := unpackBody(stored, isBlob)
			if err != nil {
				return nil, fmt.Errorf("stored checklist %s@%d: %w", id, version, err)
			}
			if t, err = schema.ParseTemplate(fmt.Sprintf("stored checklist %s@%d", id, version), body); err != nil {
				return nil, err
			}
			c.parsed[digest] = t
		}
		all = append(all, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load checklists: %w", err)
	}
	active := map[string]int{}
	arows, err := tx.Query("SELECT id, version FROM checklist_active")
	if err != nil {
		return nil, fmt.Errorf("load active checklists: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id string
		var v int
		if err := arows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("load active checklists: %w", err)
		}
		active[id] = v
	}
	if err := arows.Err(); err != nil {
		return nil, err
	}
	defaultID := ""
	if ts, err := schema.DefaultTemplates(); err == nil && len(ts) > 0 {
		defaultID = ts[0].ID
	}
	return schema.NewCatalog(all, active, defaultID), nil
}

// Checklists returns the current catalog of stored checklist versions.
func (db *DB) Checklists(ctx context.Context) (*schema.Catalog, error) {
	var cat *schema.Catalog
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		cat, err = tx.Checklists()
		return err
	})
	return cat, err
}

// UsedChecklists returns the checklist versions at least one visit was
// recorded with.
func (tx *Tx) UsedChecklists() (map[string]bool, error) {
	rows, err := tx.Query("SELECT DISTINCT checklist FROM visits WHERE checklist != ''")
	if err != nil {
		return nil, fmt.Errorf("used checklists: %w", err)
	}
	defer rows.Close()
	used := map[string]bool{}
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, fmt.Errorf("used checklists: %w", err)
		}
		used[ref] = true
	}
	return used, rows.Err()
}

// RegionChecklistNeeds returns what a phone of region needs of the checklist
// list first: the types of the region's facilities and the checklist
// versions its visits were recorded with.
func (tx *Tx) RegionChecklistNeeds(region string) (types []string, used map[string]bool, err error) {
	rows, err := tx.Query("SELECT DISTINCT type FROM facilities WHERE region = ? AND deleted = 0 ORDER BY type", region)
	if err != nil {
		return nil, nil, fmt.Errorf("region facility types: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ string
		if err := rows.Scan(&typ); err != nil {
			return nil, nil, fmt.Errorf("region facility types: %w", err)
		}
		types = append(types, typ)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	vrows, err := tx.Query(`SELECT DISTINCT v.checklist FROM visits v JOIN facilities f ON f.id = v.facility_id
		WHERE f.region = ? AND v.checklist != ''`, region)
	if err != nil {
		return nil, nil, fmt.Errorf("region checklists: %w", err)
	}
	defer vrows.Close()
	used = map[string]bool{}
	for vrows.Next() {
		var ref string
		if err := vrows.Scan(&ref); err != nil {
			return nil, nil, fmt.Errorf("region checklists: %w", err)
		}
		used[ref] = true
	}
	return types, used, vrows.Err()
}
