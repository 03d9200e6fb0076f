package sync_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// TestPullPlansUseIndex: the record index keeps a record's region as a
// number (migration 0021) that the view record_index writes back as its
// code. A pull by a reader of one region compares the code; it must still
// find the records through the index by region and sequence, in sequence
// order (the region's number looked up by its code first), and a reader of
// every region through the index by sequence: never a scan of the record
// index, never a sort of it.
func TestPullPlansUseIndex(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		role  string
		index string
	}{
		{schema.RoleMember, "USING INDEX record_heads_region_seq (region=? AND seq>?)"},
		{schema.RoleCoordinator, "USING INDEX record_heads_region_seq (region=? AND seq>?)"},
		{schema.RoleStaff, "USING INDEX record_heads_seq (seq>?)"},
		{schema.RoleAdmin, "USING INDEX record_heads_seq (seq>?)"},
	} {
		v := schema.Viewer{UserID: newID(), Role: c.role, Region: "KZ-KAR"}
		for _, workingSet := range []bool{false, true} {
			cond, args := store.VisibleRecords(v)
			if workingSet {
				cond = "(" + cond + ") AND " + isync.WorkingSet()
			}
			var plan []string
			err := db.Read(ctx, func(tx *store.Tx) (err error) {
				plan, err = tx.QueryPlan(isync.PullQuery(cond), append(append([]any{0, "-"}, args...), 500)...)
				return err
			})
			if err != nil {
				t.Fatalf("%s: %v", c.role, err)
			}
			text := strings.Join(plan, "\n")
			if !strings.Contains(text, "SEARCH h "+c.index) {
				t.Errorf("pull of a %s (working set %v) does not plan %q:\n%s", c.role, workingSet, c.index, text)
			}
			for _, bad := range []string{"SCAN h", "TEMP B-TREE FOR ORDER BY", "MATERIALIZE record_index"} {
				if strings.Contains(text, bad) {
					t.Errorf("pull of a %s (working set %v) plans %q:\n%s", c.role, workingSet, bad, text)
				}
			}
		}
	}
}
