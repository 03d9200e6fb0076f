package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"inspecta/store"
	isync "inspecta/sync"
)

// TestFullDisk: when SQLite cannot write (the database is capped with
// PRAGMA max_page_count), a push gets 507 and changes nothing, the device
// keeps its outbox, reads go on, and once there is room the same push goes
// through on its own.
func TestFullDisk(t *testing.T) {
	ctx := context.Background()
	env := newAPIEnv(t)
	env.user("coord", "coordinator", "KZ-KAR")
	device, err := isync.Login(ctx, nil, env.hs.URL, "coord", "password-coord", "phone")
	if err != nil {
		t.Fatal(err)
	}
	facilityID := uuid.Must(uuid.NewV7()).String()
	device.Upsert("facility", facilityID, map[string]any{"name": "SIZO No. 75", "type": "sizo", "region": "KZ-KAR"})
	if err := device.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	setMaxPages := func(extra int) {
		err := env.db.Write(ctx, func(tx *store.Tx) error {
			var pages int
			if err := tx.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
				return err
			}
			_, err := tx.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+extra))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	setMaxPages(0) // the disk is full

	visitID := uuid.Must(uuid.NewV7()).String()
	device.Upsert("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "special"})
	for i := range 50 {
		device.Upsert("location", uuid.Must(uuid.NewV7()).String(), map[string]any{"visit_id": visitID,
			"label": fmt.Sprintf("Cell %d %s", i, strings.Repeat("x", 250))})
	}
	waiting := len(device.State.Outbox)
	before := countRows(t, env, "SELECT count(*) FROM ops")
	err = device.Push(ctx)
	var httpErr *isync.ErrHTTP
	if !errors.As(err, &httpErr) || httpErr.Status != http.StatusInsufficientStorage || httpErr.Code != "storage_full" {
		t.Fatalf("push on a full disk: %v; want 507 storage_full", err)
	}
	if !strings.Contains(httpErr.Message, "nothing was saved") {
		t.Errorf("507 message = %q; want it to say nothing was saved", httpErr.Message)
	}
	if n := len(device.State.Outbox); n != waiting {
		t.Errorf("outbox after a 507 holds %d ops; want all %d kept", n, waiting)
	}
	if after := countRows(t, env, "SELECT count(*) FROM ops"); after != before {
		t.Errorf("op log went from %d to %d rows on a full disk; want no change", before, after)
	}
	// Reads go on.
	if status, body := env.call("GET", "/api/v1/facilities/"+facilityID, env.token("coord"), nil); status != http.StatusOK {
		t.Errorf("read on a full disk = %d %v; want 200", status, body)
	}
	// Room again: the server recovers without a restart and the same push goes through.
	setMaxPages(1 << 20)
	if err := device.Push(ctx); err != nil {
		t.Fatalf("push once there is room: %v", err)
	}
	if n := countRows(t, env, "SELECT count(*) FROM locations"); n != 50 {
		t.Errorf("%d locations stored after recovery; want 50", n)
	}
}

func countRows(t *testing.T, env *apiEnv, q string) int {
	t.Helper()
	var n int
	if err := env.db.Read(context.Background(), func(tx *store.Tx) error { return tx.QueryRow(q).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}
