package store

import (
	"fmt"
)

// Short codes a table repeats row after row are stored once each in a small
// table of their own and named by number: the region of a record
// (region_codes, migration 0021). A number never changes and a row is never
// deleted.

// codeTables are the tables of codes, each (no INTEGER PRIMARY KEY, code
// TEXT NOT NULL UNIQUE).
var codeTables = map[string]bool{"region_codes": true, "item_codes": true}

// codeNo returns the number of code in table, adding code when it is new.
// The transaction remembers it: a push names one region thousands of times,
// each item of the checklist once a place.
func (tx *Tx) codeNo(table, code string) (int64, error) {
	if !codeTables[table] {
		return 0, fmt.Errorf("code %q: %s is not a table of codes", code, table)
	}
	key := table + "\x00" + code
	if no, ok := tx.codes[key]; ok {
		return no, nil
	}
	var no int64
	err := tx.QueryRow("SELECT no FROM "+table+" WHERE code = ?", code).Scan(&no)
	if isNoRows(err) {
		err = tx.QueryRow("INSERT INTO "+table+" (code) VALUES (?) RETURNING no", code).Scan(&no)
	}
	if err != nil {
		return 0, fmt.Errorf("code %q of %s: %w", code, table, err)
	}
	if tx.codes == nil {
		tx.codes = map[string]int64{}
	}
	tx.codes[key] = no
	return no, nil
}

// regionNo is the number of a region code in region_codes.
func (tx *Tx) regionNo(region string) (int64, error) { return tx.codeNo("region_codes", region) }
