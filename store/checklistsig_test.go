package store

import (
	"context"
	"strings"
	"testing"
)

// TestChecklistsSignatureReadsNoBody: the question every write transaction
// asks ("have the checklists changed?") is answered from an index, never from
// the checklists' rows, whose bodies are about 100 KB each.
func TestChecklistsSignatureReadsNoBody(t *testing.T) {
	db := openTestDB(t)
	err := db.Read(context.Background(), func(tx *Tx) error {
		rows, err := tx.Query("EXPLAIN QUERY PLAN " + checklistsSignature)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return err
			}
			if strings.Contains(detail+" ", " checklists ") && !strings.Contains(detail, "COVERING INDEX") {
				t.Errorf("the signature reads the checklists' rows: %s", detail)
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
