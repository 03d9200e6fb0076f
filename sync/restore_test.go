package sync_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
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

// TestRestoreKeepsAccessChangesMadeAfterTheBackup: a phone is seized and
// revoked after the nightly backup, a member's password is reset, another
// phone signs in; the server is restored from the backup. The seized phone's
// token stays revoked (it is told to wipe), the old password no longer signs
// in, and the phone signed in after the backup goes on syncing.
func TestRestoreKeepsAccessChangesMadeAfterTheBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "inspecta.db")
	env := startEnvAt(t, path)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	member := env.addUser("m0", "member", "KZ-KAR")
	env.facility(coord, "IVS demo")
	seized := env.login("coord", nil)
	if err := seized.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := env.db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// After the backup: a new phone signs in, the seized one is revoked, the
	// member's password is reset.
	later := env.login("coord", nil)
	err := env.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeDevice(seized.State.DeviceID, coord.ID); err != nil {
			return err
		}
		return tx.SetPassword(member.ID, "a-new-password-for-m0")
	})
	if err != nil {
		t.Fatal(err)
	}
	stolen := *seized.State // whoever holds the seized phone kept its token

	env.http.Close()
	env.db.Close()
	r, err := store.Restore(ctx, path, backup)
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Access; !a.Read || a.DevicesRevoked != 1 || a.DevicesAdded != 1 || a.UsersChanged != 1 || a.TokensRevoked != 0 {
		t.Errorf("restore carried over %+v; want the replaced database read, 1 revocation, 1 new device, 1 changed account, no token revoked", a)
	}
	env = startEnvAt(t, path)

	seized.State = &stolen
	seized.State.BaseURL, seized.State.Since = env.http.URL, 0
	if err := seized.Pull(ctx); !errors.Is(err, isync.ErrRevoked) {
		t.Errorf("after the restore the seized phone's pull = %v; want it told it is revoked (%v)", err, isync.ErrRevoked)
	}
	later.State.BaseURL = env.http.URL
	if err := later.Sync(ctx); err != nil {
		t.Errorf("the phone signed in after the backup cannot sync after the restore: %v", err)
	}
	if _, err := isync.Login(ctx, nil, env.http.URL, "m0", password("m0"), "phone"); err == nil {
		t.Error("the password replaced after the backup signs in again after the restore")
	}
	if _, err := isync.Login(ctx, nil, env.http.URL, "m0", "a-new-password-for-m0", "phone"); err != nil {
		t.Errorf("the password set after the backup no longer signs in: %v", err)
	}
}

// TestRestoreOverAnUnreadableDatabaseRevokesEveryToken: when the database
// the restore replaces cannot be read, what changed after the backup is
// unknown, so every token is revoked without the order to wipe: a phone
// gets 401, keeps its outbox, signs in again and its edit arrives.
func TestRestoreOverAnUnreadableDatabaseRevokesEveryToken(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "inspecta.db")
	env := startEnvAt(t, path)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	facility := env.facility(coord, "IVS demo")
	phone := env.login("coord", nil)
	if err := phone.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := env.db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	env.http.Close()
	env.db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	if err := os.WriteFile(path, []byte("SQLite format 3\x00 the disk failed here"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := store.Restore(ctx, path, backup)
	if err != nil {
		t.Fatal(err)
	}
	if r.Access.Read || r.Access.Unreadable == "" || r.Access.TokensRevoked != 1 {
		t.Errorf("restore over a damaged database: %+v; want it unread, with the reason, and the one token revoked", r.Access)
	}
	env = startEnvAt(t, path)
	phone.State.BaseURL = env.http.URL
	phone.Upsert("facility", facility, map[string]any{"address": "made before the restore"})
	err = phone.Sync(ctx)
	if err == nil || errors.Is(err, isync.ErrRevoked) {
		t.Fatalf("sync with a token issued before the restore = %v; want refused without the order to wipe", err)
	}
	if err := phone.SignInAgain(ctx, "coord", password("coord"), "phone"); err != nil {
		t.Fatal(err)
	}
	if err := phone.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := env.record("facility", facility).Fields["address"]; got != "made before the restore" {
		t.Errorf("after signing in again the phone's edit is %v on the server; want it arrived", got)
	}
}
