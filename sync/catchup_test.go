package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"inspecta/store"
	isync "inspecta/sync"
)

// visitWorkload pushes a visit with locations×items observations through the
// engine as the user, in batches of at most MaxOpsPerPush, and returns how
// many operations it made.
func visitWorkload(tb testing.TB, env *testEnv, u *store.User, facilityID string, locations int) int {
	tb.Helper()
	ctx := context.Background()
	actor := isync.Actor{UserID: u.ID, Role: u.Role, Region: u.Region, DeviceID: "workload-" + u.ID}
	visitID := newID()
	batch := []json.RawMessage{raw(op("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "regular"}))}
	n := 0
	flush := func() {
		res, err := env.engine.Push(ctx, actor, batch)
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range res.Results {
			if r.Status != isync.StatusApplied {
				tb.Fatalf("workload op = %+v", r)
			}
		}
		n += len(batch)
		batch = batch[:0]
	}
	items := []string{"cell_area_m2", "persons_present", "sleeping_places", "air_temperature_c", "outdoor_temperature_c",
		"toilets_working", "drinking_water_l_per_person", "showers_per_week", "heating_working", "window_openable"}
	for l := range locations {
		loc := newID()
		batch = append(batch, raw(op("location", loc, map[string]any{"visit_id": visitID, "label": fmt.Sprintf("Cell %d", l+1), "kind": "cell"})))
		for i, item := range items {
			var v any = float64(5 + (l+i)%15)
			if item == "heating_working" || item == "window_openable" {
				v = (l+i)%2 == 0
			}
			batch = append(batch, raw(op("observation", newID(), map[string]any{"visit_id": visitID, "location_id": loc, "item": item, "value": v})))
			if len(batch) == isync.MaxOpsPerPush {
				flush()
			}
		}
	}
	if len(batch) > 0 {
		flush()
	}
	return n
}

// TestCatchUpAfterAWeekOffline: a device that was offline while 50,000
// changes happened catches up by pulling pages, and ends with all of them.
func TestCatchUpAfterAWeekOffline(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 changes: not in -short")
	}
	t.Parallel() // beside the convergence seeds, which wait on fsyncs while this one computes
	ctx := context.Background()
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	facilityID := env.facility(coord, "Colony LA 155/14")
	device := env.login("coord", nil)
	if err := device.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	made := 0
	for made < 50_000 {
		made += visitWorkload(t, env, coord, facilityID, 250) // 2,751 ops a visit
	}
	device.PullSize = isync.MaxPullSize
	device.Requests = 0
	if err := device.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	got := len(device.State.Records)
	if got != made+1 { // every record made, plus the facility pulled before
		t.Errorf("device holds %d records after catching up; want %d", got, made+1)
	}
	want := (made + isync.MaxPullSize - 1) / isync.MaxPullSize
	if device.Requests > want+1 {
		t.Errorf("catching up on %d changes took %d requests; want at most %d", made, device.Requests, want+1)
	}
	t.Logf("caught up on %d changes in %d requests", made, device.Requests)
}

// BenchmarkPush measures operations per second through the engine (JSON
// decoding, validation, merge, durable commit) in batches of 1,000.
func BenchmarkPush(b *testing.B) {
	env := newEnv(b)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	facilityID := env.facility(coord, "Bench facility")
	b.ResetTimer()
	ops := 0
	for b.Loop() {
		ops += visitWorkload(b, env, coord, facilityID, 90) // 991 ops
	}
	b.ReportMetric(float64(ops)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkPull measures changes per second pulled over HTTP from scratch.
func BenchmarkPull(b *testing.B) {
	env := newEnv(b)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	facilityID := env.facility(coord, "Bench facility")
	made := 0
	for made < 10_000 {
		made += visitWorkload(b, env, coord, facilityID, 250)
	}
	b.ResetTimer()
	changes := 0
	for b.Loop() {
		device := env.login("coord", nil)
		device.PullSize = isync.MaxPullSize
		if err := device.Pull(context.Background()); err != nil {
			b.Fatal(err)
		}
		changes += len(device.State.Records)
	}
	b.ReportMetric(float64(changes)/b.Elapsed().Seconds(), "changes/s")
}
