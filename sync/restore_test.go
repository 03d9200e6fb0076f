package sync_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

// startEnvAt starts a server on the database file at path.
func startEnvAt(t *testing.T, path string) *testEnv {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.PasswordCost = store.MinPasswordCost
	srv := server.New(db, nil)
	hs := httptest.NewServer(srv)
	e := &testEnv{t: t, db: db, srv: srv, http: hs, engine: srv.Engine}
	t.Cleanup(func() { hs.Close(); db.Close() })
	return e
}

// TestRestoreLosesNothingAcknowledged: a backup, then 200 operations from 3
// devices acknowledged, then the server is restored from the backup. The
// devices see the new generation, pull from 0 and send their kept operations
// again: every acknowledged operation is present exactly once, every device
// equals the server, no device's cursor is past the new history, and the
// database passes its check.
func TestRestoreLosesNothingAcknowledged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "inspecta.db")
	env := startEnvAt(t, path)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, env.addUser(fmt.Sprintf("m%d", i), "member", "KZ-KAR").ID)
	}
	var devices []*isync.Client
	for i := 0; i < 3; i++ {
		devices = append(devices, env.login(fmt.Sprintf("m%d", i), nil))
	}
	facility := env.facility(coord, "IVS demo")
	visit, cell := newID(), newID()
	devices[0].Upsert("visit", visit, map[string]any{"facility_id": facility, "kind": "regular", "team": ids})
	devices[0].Upsert("location", cell, map[string]any{"visit_id": visit, "label": "Cell 1", "kind": "cell"})
	// syncAll syncs every device until none has anything left to send, then
	// once more so that each pulls what the others sent last.
	syncAll := func(t *testing.T) {
		t.Helper()
		for round := 0; round < 10; round++ {
			waiting := 0
			for _, d := range devices {
				if err := d.Sync(ctx); err != nil {
					t.Fatal(err)
				}
				waiting += len(d.State.Outbox) + len(d.State.Deferred)
			}
			if waiting == 0 {
				break
			}
		}
		for _, d := range devices {
			if err := d.Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	syncAll(t)
	backup := filepath.Join(dir, "backup.db")
	if err := env.db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// 200 more operations, acknowledged: new records, edits of the same
	// fields by several devices, a deletion.
	items := []string{"cell_area_m2", "persons_present", "air_temperature_c"}
	locations := []string{cell}
	for n := 0; n < 200; n++ {
		d := devices[n%3]
		switch {
		case n%20 == 0:
			loc := newID()
			d.Upsert("location", loc, map[string]any{"visit_id": visit, "label": fmt.Sprintf("Cell %d", n), "kind": "cell"})
			locations = append(locations, loc)
		case n%7 == 0:
			d.Upsert("location", locations[n%len(locations)], map[string]any{"label": fmt.Sprintf("Cell renamed %d", n)})
		default:
			loc := locations[n%len(locations)]
			item := items[n%len(items)]
			value := any(float64(n%30) + 0.5)
			if item == "persons_present" {
				value = n % 9
			}
			var id string
			for _, r := range d.Records("observation") {
				if r.Fields["location_id"] == loc && r.Fields["item"] == item && r.Fields["author_id"] == d.State.UserID {
					id = r.ID
				}
			}
			if id == "" {
				id = newID()
				d.Upsert("observation", id, map[string]any{"visit_id": visit, "location_id": loc, "item": item, "value": value})
			} else {
				d.Upsert("observation", id, map[string]any{"value": value})
			}
		}
		if n%10 == 9 {
			if err := d.Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	syncAll(t)
	var acked []string
	for _, d := range devices {
		if len(d.State.Outbox) != 0 || len(d.State.Rejected) != 0 {
			t.Fatalf("before the restore: outbox %d, rejected %+v", len(d.State.Outbox), d.State.Rejected)
		}
		for _, s := range d.State.Sent {
			acked = append(acked, s.Op.OpID)
		}
	}
	if len(acked) < 200 {
		t.Fatalf("%d operations acknowledged; want at least 200", len(acked))
	}

	// The server stops; the backup is restored; the server starts again.
	env.http.Close()
	env.db.Close()
	if _, err := store.Restore(ctx, path, backup); err != nil {
		t.Fatal(err)
	}
	env = startEnvAt(t, path)
	for _, d := range devices {
		d.State.BaseURL = env.http.URL
	}
	syncAll(t)

	for _, id := range acked {
		if n := env.count("SELECT count(*) FROM ops WHERE op_id = ? AND status IN ('applied', 'conflict')", id); n != 1 {
			t.Errorf("acknowledged operation %s stored %d times; want exactly once", id, n)
		}
	}
	var seq int64
	env.db.Read(ctx, func(tx *store.Tx) error { var err error; seq, err = tx.CurrentSeq(); return err })
	for i, d := range devices {
		if d.State.Since > seq {
			t.Errorf("device %d cursor %d is past the server's history (%d)", i, d.State.Since, seq)
		}
		if len(d.State.Outbox) != 0 || len(d.State.Rejected) != 0 {
			t.Errorf("device %d: outbox %d, rejected %+v", i, len(d.State.Outbox), d.State.Rejected)
		}
		for _, typ := range []schema.RecordType{"visit", "location", "observation"} {
			recs := d.Records(typ)
			if n := env.count("SELECT count(*) FROM record_index WHERE type = ? AND deleted = 0 AND merged_into = ''", typ); n != len(recs) {
				t.Errorf("device %d holds %d %s; server %d", i, len(recs), typ, n)
			}
			for _, r := range recs {
				if srv := env.record(typ, r.ID); !sameJSON(srv.Fields, r.Fields) {
					t.Errorf("device %d %s %s = %v; server %v", i, typ, r.ID, r.Fields, srv.Fields)
				}
			}
		}
	}
	problems, err := env.db.Check(ctx)
	if err != nil || len(problems) > 0 {
		t.Errorf("check after the restore: %v %v", problems, err)
	}
	_ = time.Second
}
