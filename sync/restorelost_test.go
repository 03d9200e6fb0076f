package sync_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"inspecta/store"
	isync "inspecta/sync"
)

// TestRestoreNamesWhatItLeavesOut: after a backup a member records more and
// submits the visit, and the coordinator writes a recommendation on the desk;
// the server is then restored from the backup. The restore names what the
// replaced database held after the backup (by user and kind of record, and
// the visit's status change) so the administrator knows what to redo: the
// desk's work is sent again by no one. Before, it said nothing of it.
func TestRestoreNamesWhatItLeavesOut(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "inspecta.db")
	env := startEnvAt(t, path)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	env.addUser("m0", "member", "KZ-KAR")
	fac := env.facility(coord, "IVS demo")
	phone := env.login("m0", nil)
	visit, cell := newID(), newID()
	phone.Upsert("visit", visit, map[string]any{"facility_id": fac, "kind": "regular"})
	phone.Upsert("location", cell, map[string]any{"visit_id": visit, "label": "Cell 1", "kind": "cell"})
	phone.Upsert("observation", newID(), map[string]any{"visit_id": visit, "location_id": cell, "item": "cell_area_m2", "value": 12.5})
	if err := phone.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := env.db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}

	phone.Upsert("observation", newID(), map[string]any{"visit_id": visit, "location_id": cell, "item": "persons_present", "value": 4})
	phone.Upsert("observation", newID(), map[string]any{"visit_id": visit, "location_id": cell, "item": "sleeping_places", "value": 2})
	phone.Upsert("visit", visit, map[string]any{"status": "submitted"})
	if err := phone.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	env.serverOp(coord, isync.Op{OpID: newID(), Type: "recommendation", ID: newID(), Action: "upsert", HLC: "2026-11-26T09:00:00.000Z/0000/test",
		Fields: fields(map[string]any{"facility_id": fac, "visit_id": visit, "text": "Provide bedding (demo)"})})

	env.http.Close()
	env.db.Close()
	r, err := store.Restore(ctx, path, backup)
	if err != nil {
		t.Fatal(err)
	}
	l := r.Lost
	got := map[string]map[string]int{}
	for _, u := range l.ByUser {
		got[u.Username] = u.ByType
	}
	if !l.Read || l.Changes != 4 || got["m0"]["observation"] != 2 || got["m0"]["visit"] != 1 || got["coord"]["recommendation"] != 1 {
		t.Errorf("restore named as left out %+v; want 4 changes: m0's 2 observations and the visit, coord's recommendation", l)
	}
	if len(l.Statuses) != 1 || l.Statuses[0].Status != "submitted" || l.Statuses[0].VisitID != visit || l.Statuses[0].Facility != "IVS demo" {
		t.Errorf("visit status changes left out %+v; want the visit's submission", l.Statuses)
	}
	if l.BackupOlderThanResend(time.Now()) || !l.BackupOlderThanResend(time.Now().Add(31*24*time.Hour)) {
		t.Errorf("backup of %s: older than what phones send again now = %v, in 31 days = %v; want false, true",
			l.BackupLast, l.BackupOlderThanResend(time.Now()), l.BackupOlderThanResend(time.Now().Add(31*24*time.Hour)))
	}
}
