package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"inspecta/schema"
)

// Backup writes a consistent copy of the database to path while the server
// goes on serving and syncing: SQLite's VACUUM INTO reads one snapshot. The
// copy is complete or absent: it is written beside path and renamed.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name so no backup is overwritten", path)
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	// VACUUM INTO fills an empty file as it finds it: made first, it keeps
	// DataFileMode instead of the umask's default.
	if err := createPrivate(tmp); err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	if _, err := db.read.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	if err := copyBlobs(ctx, tmp, db.blobs, NewBlobs(BlobDir(path))); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	return nil
}

// copyBlobs copies into dst every photo file the database copy at
// copyPath needs (the photo files are not in the database: a backup is the
// database file and the blobs folder beside it, which backups in one
// folder share, since each file is named by its contents).
func copyBlobs(ctx context.Context, copyPath string, src, dst *Blobs) error {
	if src.Dir == dst.Dir {
		return nil
	}
	cp, err := Open(ctx, copyPath)
	if err != nil {
		return fmt.Errorf("open the copy: %w", err)
	}
	defer cp.Close()
	var names []string
	if err := cp.Read(ctx, func(tx *Tx) error {
		names, err = tx.StoredBlobs()
		return err
	}); err != nil {
		return err
	}
	for _, name := range names {
		if err := src.CopyTo(dst, name); err != nil {
			return err
		}
	}
	return nil
}

// Check runs SQLite's integrity and foreign-key checks and the application's
// own, and returns every problem found, one sentence each (none: healthy).
func (db *DB) Check(ctx context.Context) ([]string, error) {
	var problems []string
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.Query("PRAGMA integrity_check")
		if err != nil {
			return err
		}
		for rows.Next() {
			var msg string
			rows.Scan(&msg)
			if msg != "ok" {
				problems = append(problems, "integrity: "+msg)
			}
		}
		rows.Close()
		rows, err = tx.Query("PRAGMA foreign_key_check")
		if err != nil {
			return err
		}
		for rows.Next() {
			var table, parent string
			var rowid, fkid any
			rows.Scan(&table, &rowid, &parent, &fkid)
			problems = append(problems, fmt.Sprintf("foreign key: a row of %s (rowid %v) points at a missing %s", table, rowid, parent))
		}
		rows.Close()
		for _, c := range appChecks {
			var n int
			if err := tx.QueryRow(c.query).Scan(&n); err != nil {
				return fmt.Errorf("check %q: %w", c.problem, err)
			}
			if n > 0 {
				problems = append(problems, fmt.Sprintf("%d %s", n, c.problem))
			}
		}
		versions, err := tx.versionsProblems()
		if err != nil {
			return err
		}
		problems = append(problems, versions...)
		bodies, err := tx.ChecklistBodyProblems()
		if err != nil {
			return err
		}
		problems = append(problems, bodies...)
		names, err := tx.StoredBlobs()
		if err != nil {
			return err
		}
		for _, name := range names {
			if why := db.blobs.Verify(name); why != "" {
				problems = append(problems, fmt.Sprintf("photo file %s is %s", db.blobs.Path(name), why))
			}
		}
		return nil
	})
	if err != nil {
		return nil, errors.Join(errors.New("check could not run"), err)
	}
	return problems, nil
}

// appChecks are the application's invariants, each a count of violations.
var appChecks = []struct{ problem, query string }{
	{"consolidated value(s) point at no member's observation of their item",
		`SELECT count(*) FROM consolidations c WHERE c.deleted = 0 AND NOT EXISTS (SELECT 1 FROM observations o
		 WHERE o.visit_key = ` + uuidKeySQL("c.visit_id") + ` AND o.location_key = ` + uuidKeySQL("c.location_id") + `
		 AND o.item = c.item)`},
	{"consolidated value(s) name an observation that does not exist",
		`SELECT count(*) FROM consolidations c WHERE c.observation_id <> '' AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.id_key = ` + uuidKeySQL("c.observation_id") + `)`},
	{"sequence number(s) used by more than one operation",
		`SELECT count(*) FROM (SELECT seq FROM ops WHERE seq IS NOT NULL GROUP BY seq HAVING count(*) > 1)`},
	{"operation(s) with a sequence number beyond the server's counter",
		`SELECT count(*) FROM ops WHERE seq > (SELECT value FROM sync_seq)`},
	{"record(s) with no sync bookkeeping", `SELECT
		(SELECT count(*) FROM facilities t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'facility' AND r.id_key = ` + uuidKeySQL("t.id") + `)) +
		(SELECT count(*) FROM visits t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'visit' AND r.id_key = ` + uuidKeySQL("t.id") + `)) +
		(SELECT count(*) FROM locations t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'location' AND r.id_key = ` + uuidKeySQL("t.id") + `)) +
		(SELECT count(*) FROM observations t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'observation' AND r.id_key = t.id_key)) +
		(SELECT count(*) FROM consolidations t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'consolidation' AND r.id_key = ` + uuidKeySQL("t.id") + `)) +
		(SELECT count(*) FROM recommendations t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'recommendation' AND r.id_key = ` + uuidKeySQL("t.id") + `)) +
		(SELECT count(*) FROM confidential_notes t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'confidential_note' AND r.id_key = ` + uuidKeySQL("t.id") + `)) +
		(SELECT count(*) FROM obstructions t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'obstruction' AND r.id_key = ` + uuidKeySQL("t.id") + `)) +
		(SELECT count(*) FROM interviews t WHERE NOT EXISTS (SELECT 1 FROM record_index r WHERE r.type = 'interview' AND r.id_key = ` + uuidKeySQL("t.id") + `))`},
	{"sync bookkeeping row(s) with a sequence number beyond the server's counter",
		`SELECT count(*) FROM record_index WHERE seq > (SELECT value FROM sync_seq)`},
	{"sync bookkeeping row(s) naming an interned id that is not stored (migration 0014)",
		`SELECT count(*) FROM record_heads h WHERE EXISTS (SELECT 1 FROM (SELECT h.rec AS no UNION ALL SELECT h.type UNION ALL
		 SELECT h.visit UNION ALL SELECT h.author UNION ALL SELECT h.merged_into UNION ALL SELECT h.echo UNION ALL
		 SELECT h.vnode WHERE h.vnode IS NOT NULL) x
		 WHERE NOT EXISTS (SELECT 1 FROM uuid_rows u WHERE u.no = x.no))`},
	{"sync bookkeeping row(s) naming a region code that is not stored (migration 0021)",
		`SELECT count(*) FROM record_heads h WHERE NOT EXISTS (SELECT 1 FROM region_codes g WHERE g.no = h.region)`},
	{"observation(s) naming an item code that is not stored (migration 0022)",
		`SELECT count(*) FROM observation_rows o WHERE NOT EXISTS (SELECT 1 FROM item_codes g WHERE g.no = o.item)`},
	{"operation(s) of the op log naming an interned id that is not stored (migration 0015)",
		`SELECT count(*) FROM op_log o WHERE EXISTS (SELECT 1 FROM (SELECT o.device AS no UNION ALL SELECT o.actor UNION ALL
		 SELECT o.type UNION ALL SELECT o.record UNION ALL SELECT o.action UNION ALL SELECT o.status UNION ALL
		 SELECT o.visit WHERE o.visit IS NOT NULL) x WHERE NOT EXISTS (SELECT 1 FROM uuid_rows u WHERE u.no = x.no))`},
	{"observation(s) naming an interned id that is not stored (migration 0016)",
		`SELECT count(*) FROM observation_rows o WHERE EXISTS (SELECT 1 FROM (SELECT o.rec AS no UNION ALL SELECT o.visit UNION ALL
		 SELECT o.location UNION ALL SELECT o.author) x WHERE NOT EXISTS (SELECT 1 FROM uuid_rows u WHERE u.no = x.no))`},
	{"operation(s) of the op log whose op_id is stored as bytes but not the 16 of a UUID (migration 0019): it can no longer be looked up",
		`SELECT count(*) FROM op_log WHERE typeof(op_id) = 'blob' AND length(op_id) <> 16`},
	{"operation(s) of the op log whose answer, which holds their item and place, is not stored (migration 0017)",
		`SELECT count(*) FROM op_log o WHERE o.keyed IS NOT NULL AND NOT EXISTS (SELECT 1 FROM observation_rows k WHERE k.rec = o.record)`},
	{"observation(s) whose visit is not a visit",
		`SELECT count(*) FROM observations o WHERE NOT EXISTS (SELECT 1 FROM visits v WHERE v.id = o.visit_id)`},
	{"observation(s) whose author is not a user",
		`SELECT count(*) FROM observations o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.author_id)`},
}

// versionsProblems reads back every record's field versions, as a load of
// the record does (a pull, a push on it): one that does not read fails every
// pull of its region. Names the first few.
func (tx *Tx) versionsProblems() ([]string, error) {
	rows, err := tx.Query(`SELECT t.id, r.id, h.seq, h.versions, COALESCE(n.id, '')
		FROM record_heads h JOIN uuids t ON t.no = h.type JOIN uuids r ON r.no = h.rec LEFT JOIN uuids n ON n.no = h.vnode`)
	if err != nil {
		return nil, fmt.Errorf("check versions: %w", err)
	}
	defer rows.Close()
	var bad []string
	count := 0
	for rows.Next() {
		var typ, id, versions, node string
		var seq int64
		if err := rows.Scan(&typ, &id, &seq, &versions, &node); err != nil {
			return nil, fmt.Errorf("check versions: %w", err)
		}
		if err := decodeVersionsAt(versions, node, versionNames[schema.RecordType(typ)], seq, map[string]FieldVersion{}); err != nil {
			count++
			if len(bad) < 5 {
				bad = append(bad, fmt.Sprintf("%s %s", typ, id))
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("check versions: %w", err)
	}
	if count == 0 {
		return nil, nil
	}
	return []string{fmt.Sprintf("%d record(s) whose field versions do not read (a pull of their region fails): %s", count, strings.Join(bad, ", "))}, nil
}
