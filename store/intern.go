package store

import (
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
)

// Interned texts (migration 0014): the ids the bookkeeping repeats (records,
// visits, authors, devices) and the record type names are stored once each
// in uuid_rows, and the tables that name them hold the number. A number
// never changes and a row is never deleted.
//
// Since migration 0020 a canonical lower-case UUID is stored as its 16 bytes
// and any other text as itself (IDKey); the view uuids writes the blob back
// as the text. A query that looks an id up compares the stored form (the
// views' *_key columns, uuid_rows.id) with the id converted the same way:
// IDKey for an argument, uuidKeySQL for another table's column. Comparing
// the text written back cannot use an index and reads every row.

// A query compares a view's *_key column with its argument as "= +?" (a
// unary plus), never "= ?": with a bare parameter SQLite propagates it into
// the view's expressions and compiles the statement again at every call
// with new arguments (the whole view: about 130 µs a lookup, against 8 µs;
// TestKeyArgumentsNotPropagated).

// IDKey returns the form in which the id s is stored in uuid_rows, for a
// query's argument: its 16 bytes when s is a canonical lower-case UUID
// (8-4-4-4-12 lower-case hexadecimal digits), else s itself; the same form
// as an op_id's in op_log (OpKey, migration 0019). It converts exactly as
// the migrations' SQL does (uuidKeySQL; TestIDKeyAgreesWithSQL).
func IDKey(s string) any { return OpKey(s) }

// idText is the text of a stored form read from uuid_rows: a blob's
// canonical UUID, or the text itself.
func idText(key any) (string, error) {
	switch k := key.(type) {
	case string:
		return k, nil
	case []byte:
		if len(k) != 16 {
			return "", fmt.Errorf("interned id of %d bytes", len(k))
		}
		h := hex.EncodeToString(k)
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
	}
	return "", fmt.Errorf("interned id of type %T", key)
}

// IDKeySQL is uuidKeySQL for the other packages' queries.
func IDKeySQL(expr string) string { return uuidKeySQL(expr) }

// uuidKeySQL is the SQL expression of the stored form of the text expr (a
// column of a table that keeps ids as text), as IDKey converts an argument:
// a query joining such a column to a view's *_key column looks it up.
func uuidKeySQL(expr string) string { return opKeySQL(expr) }

// intern returns the number of s in uuids, adding s when it is new. The
// transaction remembers what it looked up or added: a push names the same
// visit, author and device thousands of times.
func (tx *Tx) intern(s string) (int64, error) {
	if no, ok := tx.interned[s]; ok && no > 0 {
		return no, nil
	}
	if tx.interned == nil {
		tx.interned = map[string]int64{}
	}
	if _, missing := tx.interned[s]; !missing {
		var no int64
		err := tx.QueryRow("SELECT no FROM uuid_rows WHERE id = ?", IDKey(s)).Scan(&no)
		if err == nil {
			tx.interned[s] = no
			return no, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("intern %q: %w", s, err)
		}
	}
	no, err := tx.nextUUIDNo()
	if err != nil {
		return 0, fmt.Errorf("intern %q: %w", s, err)
	}
	// Known absent (looked up above, or by prefetchInterned with no
	// statement since that could have added it: forgetAbsentIDs), so a
	// plain insert: were it there after all, the insert fails and the
	// transaction with it, rather than give s a second number.
	if err := tx.execLater("INSERT INTO uuid_rows (no, id) VALUES (?, ?)", no, IDKey(s)); err != nil {
		return 0, fmt.Errorf("intern %q: %w", s, err)
	}
	tx.interned[s] = no
	return no, nil
}

// nextUUIDNo is the number the next id added to uuid_rows takes: the
// highest one plus one, as SQLite would give it (an INTEGER PRIMARY KEY,
// rows never deleted). The transaction counts on from the table's highest,
// read once; every write goes through the one writer connection, so no
// other transaction adds one meanwhile.
func (tx *Tx) nextUUIDNo() (int64, error) {
	if tx.uuidMax == 0 {
		if err := tx.QueryRow("SELECT COALESCE(MAX(no), 0) FROM uuid_rows").Scan(&tx.uuidMax); err != nil {
			return 0, err
		}
	}
	tx.uuidMax++
	return tx.uuidMax, nil
}

// insertsThroughView matches a statement inserting into a view whose
// trigger adds to uuid_rows or to a table of codes (migrations 0020-0022):
// tests and tools write through them, the server does not.
var insertsThroughView = regexp.MustCompile(`(?is)\binsert\b.*\binto\s+(observations|record_index|ops|uuids)\b`)

// forgetAbsentIDs drops what the transaction knows of uuid_rows and the
// tables of codes that a statement of another kind (an insert through a
// view, whose trigger interns) may have made untrue: the ids found absent,
// the highest numbers, the codes read.
func (tx *Tx) forgetAbsentIDs() {
	tx.uuidMax = 0
	tx.codes = nil // the views' triggers add codes too
	if !tx.absentIDs {
		return
	}
	tx.absentIDs = false
	for s, no := range tx.interned {
		if no == 0 {
			delete(tx.interned, s)
		}
	}
}

// prefetchInterned reads in one query per 500 texts which of them uuids
// holds already; intern then adds the others without looking them up (a
// push of a new visit names a thousand new record ids).
func (tx *Tx) prefetchInterned(texts []string) error {
	if tx.interned == nil {
		tx.interned = map[string]int64{}
	}
	for len(texts) > 0 {
		chunk := texts[:min(len(texts), prefetchChunk)]
		texts = texts[len(chunk):]
		args := make([]any, len(chunk))
		for i, s := range chunk {
			args[i] = IDKey(s)
		}
		rows, err := tx.Query("SELECT no, id FROM uuid_rows WHERE id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return fmt.Errorf("prefetch interned ids: %w", err)
		}
		for rows.Next() {
			var no int64
			var key any
			if err := rows.Scan(&no, &key); err != nil {
				rows.Close()
				return fmt.Errorf("prefetch interned ids: %w", err)
			}
			id, err := idText(key)
			if err != nil {
				rows.Close()
				return fmt.Errorf("prefetch interned ids: %w", err)
			}
			tx.interned[id] = no
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("prefetch interned ids: %w", err)
		}
		for _, s := range chunk {
			if _, known := tx.interned[s]; !known {
				tx.interned[s] = 0 // not in uuids: intern adds it without a lookup
				tx.absentIDs = true
			}
		}
	}
	return nil
}

// internAll interns each text in turn and returns their numbers.
func (tx *Tx) internAll(texts ...string) ([]int64, error) {
	nos := make([]int64, len(texts))
	for i, s := range texts {
		no, err := tx.intern(s)
		if err != nil {
			return nil, err
		}
		nos[i] = no
	}
	return nos, nil
}
