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
// The transaction reads the whole table the first time it needs it (a few
// hundred short rows: the items of the checklists, the regions) and counts
// on from its highest number for the codes it adds, with inserts run behind
// (writebehind.go): a push names each item of the checklist once a place,
// and a lookup of each would make the transaction wait for the statements
// run behind, as often as once in six operations.
func (tx *Tx) codeNo(table, code string) (int64, error) {
	if !codeTables[table] {
		return 0, fmt.Errorf("code %q: %s is not a table of codes", code, table)
	}
	t := tx.codes[table]
	if t == nil {
		var err error
		if t, err = tx.readCodes(table); err != nil {
			return 0, fmt.Errorf("code %q of %s: %w", code, table, err)
		}
	}
	if no, ok := t.nos[code]; ok {
		return no, nil
	}
	t.max++
	if err := tx.execLater("INSERT INTO "+table+" (no, code) VALUES (?, ?)", t.max, code); err != nil {
		return 0, fmt.Errorf("code %q of %s: %w", code, table, err)
	}
	t.nos[code] = t.max
	return t.max, nil
}

// codeTable is a table of codes as the transaction read it, with the codes
// it added since.
type codeTable struct {
	nos map[string]int64
	max int64
}

func (tx *Tx) readCodes(table string) (*codeTable, error) {
	t := &codeTable{nos: map[string]int64{}}
	rows, err := tx.Query("SELECT no, code FROM " + table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var no int64
		var code string
		if err := rows.Scan(&no, &code); err != nil {
			return nil, err
		}
		t.nos[code] = no
		t.max = max(t.max, no)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if tx.codes == nil {
		tx.codes = map[string]*codeTable{}
	}
	tx.codes[table] = t
	return t, nil
}

func (tx *Tx) regionNo(region string) (int64, error) { return tx.codeNo("region_codes", region) }
