package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"inspecta/schema"
	"inspecta/store"
)

func openTestDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestAuditTrail(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	var user *store.User
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if user, err = tx.CreateUser(store.NewUser{Username: "aida", Name: "Aida", Role: schema.RoleMember, Region: "KZ-KAR", Password: "password-aida"}); err != nil {
			return err
		}
		dev, _, err := tx.CreateDevice(user.ID, "Aida's phone")
		if err != nil {
			return err
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO record_index (type, id, seq, region, visit_id) VALUES ('visit', 'v1', 1, 'KZ-KAR', 'v1'),
				('observation', 'o1', 2, 'KZ-KAR', 'v1'), ('observation', 'o9', 3, 'KZ-KAR', 'v9')`, nil},
			{`INSERT INTO ops (op_id, seq, device_id, user_id, type, record_id, action, fields, status, received_at) VALUES
				('op1', 1, ?, ?, 'visit', 'v1', 'upsert', '{"kind":"regular"}', 'applied', '2026-11-26T10:00:00.000Z'),
				('op2', 2, ?, ?, 'observation', 'o1', 'upsert', '{"value":11.5}', 'applied', '2026-11-26T10:01:00.000Z'),
				('op3', 3, ?, ?, 'observation', 'o9', 'upsert', '{"value":1}', 'applied', '2026-11-26T10:02:00.000Z')`,
				[]any{dev.ID, user.ID, dev.ID, user.ID, dev.ID, user.ID}},
			// Rejected: a new observation that never reached record_index, found by the visit_id it carried.
			{`INSERT INTO ops (op_id, device_id, user_id, type, record_id, action, status, error_field, error_msg, received_at)
				VALUES ('op4', ?, ?, 'observation', 'o2', 'upsert', 'rejected', 'fields.visit_id', 'locked', '2026-11-26T10:03:00.000Z')`,
				[]any{dev.ID, user.ID}},
			{`INSERT INTO quarantine (op_id, raw, field, message, received_at) VALUES
				('op4', '{"op_id":"op4","fields":{"visit_id":"v1","value":15}}', 'fields.visit_id', 'locked', '2026-11-26T10:03:00.000Z'),
				('', 'not json', 'op', 'bad', '2026-11-26T10:04:00.000Z')`, nil},
		} {
			if _, err := tx.Exec(q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		filter store.AuditFilter
		want   []string
	}{
		{store.AuditFilter{VisitID: "v1"}, []string{"op1", "op2", "op4"}},
		{store.AuditFilter{Type: "observation", RecordID: "o1"}, []string{"op2"}},
		{store.AuditFilter{Type: "observation", RecordID: "o9"}, []string{"op3"}},
		{store.AuditFilter{VisitID: "v1", Limit: 1}, []string{"op1"}},
	}
	for _, tt := range tests {
		var got []store.AuditEntry
		if err := db.Read(ctx, func(tx *store.Tx) error {
			var err error
			got, err = tx.AuditTrail(tt.filter)
			return err
		}); err != nil {
			t.Fatalf("AuditTrail(%+v): %v", tt.filter, err)
		}
		var ids []string
		for _, e := range got {
			ids = append(ids, e.OpID)
			if e.UserName != "Aida" || e.DeviceName != "Aida's phone" {
				t.Errorf("AuditTrail(%+v) entry %s by %q on %q; want Aida on Aida's phone", tt.filter, e.OpID, e.UserName, e.DeviceName)
			}
			if e.OpID == "op4" && (string(e.Fields) != `{"visit_id":"v1","value":15}` || e.Seq != nil || e.ErrorMsg != "locked") {
				t.Errorf("rejected entry = %s seq %v msg %q; want the fields as sent, no seq, its error", e.Fields, e.Seq, e.ErrorMsg)
			}
		}
		if len(ids) != len(tt.want) || (len(ids) > 0 && ids[len(ids)-1] != tt.want[len(tt.want)-1]) || ids[0] != tt.want[0] {
			t.Errorf("AuditTrail(%+v) = %v; want %v", tt.filter, ids, tt.want)
		}
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		if r, err := tx.RecordRegion("observation", "o1"); err != nil || r != "KZ-KAR" {
			t.Errorf("RecordRegion(o1) = %q, %v; want KZ-KAR", r, err)
		}
		if _, err := tx.RecordRegion("observation", "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("RecordRegion(nope) error = %v; want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAccountHelpers(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		root, err := tx.CreateUser(store.NewUser{Username: "root", Role: schema.RoleAdmin, Password: "password-root"})
		if err != nil {
			return err
		}
		u, err := tx.CreateUser(store.NewUser{Username: "aida", Role: schema.RoleMember, Region: "KZ-KAR", Password: "password-aida"})
		if err != nil {
			return err
		}
		dev, token, err := tx.CreateDevice(u.ID, "phone")
		if err != nil {
			return err
		}
		if err := tx.AddAuditEvent(root.ID, "device_revoked", dev.ID, "", ""); err != nil {
			return err
		}
		if err := tx.AddAuditEvent(root.ID, "user_created", root.ID, "", ""); err != nil {
			return err
		}
		events, err := tx.AuditEvents(u.ID, 0)
		if err != nil {
			return err
		}
		if len(events) != 1 || events[0].Action != "device_revoked" || events[0].UserName != "root" {
			t.Errorf("AuditEvents(aida) = %+v; want the revocation of her device, by root", events)
		}
		if n, err := tx.CountActiveAdmins(); err != nil || n != 1 {
			t.Errorf("CountActiveAdmins() = %d, %v; want 1", n, err)
		}
		if err := tx.SetUserDisabled(u.ID, true); err != nil {
			return err
		}
		if _, _, err := tx.Authenticate(token); !errors.Is(err, store.ErrTokenInvalid) {
			t.Errorf("Authenticate(disabled user's token) error = %v; want ErrTokenInvalid", err)
		}
		if err := tx.SetUserDisabled("nobody", true); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetUserDisabled(nobody) = %v; want ErrNotFound", err)
		}
		if err := tx.SetUserName(u.ID, "Aida K."); err != nil {
			return err
		}
		if got, _ := tx.User(u.ID); got.Name != "Aida K." || !got.Disabled {
			t.Errorf("user = %+v; want renamed and disabled", got)
		}
		if d, err := tx.Device(dev.ID); err != nil || d.UserID != u.ID {
			t.Errorf("Device(%s) = %+v, %v; want aida's", dev.ID, d, err)
		}
		if _, err := tx.Device("nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Device(nope) error = %v; want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
