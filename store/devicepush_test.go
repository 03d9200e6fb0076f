package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"inspecta/schema"
	"inspecta/store"
)

// TestDeviceLastPush: the administrator's device list says when each device
// last sent operations, from devices.last_push_at, which every transaction
// that logs an operation moves forward (never back), and which migration 0024
// fills from the op log of an older database.
func TestDeviceLastPush(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.PasswordCost = store.MinPasswordCost
	var phone, tablet, idle string
	err = db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.CreateUser(store.NewUser{Username: "m1", Role: schema.RoleMember, Region: "KZ-KAR", Password: "password-m1"})
		if err != nil {
			return err
		}
		for _, id := range []*string{&phone, &tablet, &idle} {
			d, _, err := tx.CreateDevice(u.ID, "device")
			if err != nil {
				return err
			}
			*id = d.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	logOps := func(ops ...store.OpLogRow) {
		t.Helper()
		err := db.Write(ctx, func(tx *store.Tx) error {
			for _, o := range ops {
				o.UserID, o.Type, o.Action, o.Status, o.Fields = "u", "location", "upsert", "applied", "{}"
				if err := tx.LogOp(o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	logOps(store.OpLogRow{OpID: "a1", DeviceID: phone, RecordID: "l1", ReceivedAt: "2026-11-30T07:00:00.000Z"},
		store.OpLogRow{OpID: "a2", DeviceID: phone, RecordID: "l2", ReceivedAt: "2026-11-30T07:00:05.000Z"},
		store.OpLogRow{OpID: "a3", DeviceID: tablet, RecordID: "l3", ReceivedAt: "2026-11-30T06:00:00.000Z"})
	// A later transaction with an earlier time (a clock set back) does not move it back.
	logOps(store.OpLogRow{OpID: "a4", DeviceID: phone, RecordID: "l4", ReceivedAt: "2026-11-30T06:59:00.000Z"})
	want := map[string]string{phone: "2026-11-30T07:00:05.000Z", tablet: "2026-11-30T06:00:00.000Z", idle: ""}
	check := func(when string) {
		t.Helper()
		var devices []*store.Device
		err := db.Read(ctx, func(tx *store.Tx) error {
			var err error
			devices, err = tx.Devices("")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(devices) != len(want) {
			t.Fatalf("%s: %d devices; want %d", when, len(devices), len(want))
		}
		for _, d := range devices {
			if d.LastPushAt != want[d.ID] {
				t.Errorf("%s: device %s last pushed %q; want %q", when, d.ID, d.LastPushAt, want[d.ID])
			}
		}
	}
	check("logged")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// The database as before migration 0024: no column; opened again, the
	// migration fills it from the op log.
	conn, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"ALTER TABLE devices DROP COLUMN last_push_at", "DELETE FROM schema_migrations WHERE name LIKE '0024%'"} {
		if _, err := conn.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	if db, err = store.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check("migrated")
}
