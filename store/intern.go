package store

import (
	"database/sql"
	"errors"
	"fmt"
)

// Interned texts (migration 0014): the ids the bookkeeping repeats (records,
// visits, authors, devices) and the record type names are stored once each
// in uuids, and the tables that name them hold the number. A number never
// changes and a row is never deleted.

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
		err := tx.QueryRow("SELECT no FROM uuids WHERE id = ?", s).Scan(&no)
		if err == nil {
			tx.interned[s] = no
			return no, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("intern %q: %w", s, err)
		}
	}
	res, err := tx.Exec("INSERT INTO uuids (id) VALUES (?) ON CONFLICT (id) DO NOTHING", s)
	if err != nil {
		return 0, fmt.Errorf("intern %q: %w", s, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Added meanwhile by another path (the record_index view's trigger).
		delete(tx.interned, s)
		return tx.intern(s)
	}
	no, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("intern %q: %w", s, err)
	}
	tx.interned[s] = no
	return no, nil
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
			args[i] = s
		}
		rows, err := tx.Query("SELECT no, id FROM uuids WHERE id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return fmt.Errorf("prefetch interned ids: %w", err)
		}
		for rows.Next() {
			var no int64
			var id string
			if err := rows.Scan(&no, &id); err != nil {
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
