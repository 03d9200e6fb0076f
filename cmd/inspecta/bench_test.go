package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchQuick runs "inspecta bench --quick" in-process: every row at small
// sizes against a real server on loopback. It checks that the run works and
// that no operation is lost or duplicated, never how fast anything was.
func TestBenchQuick(t *testing.T) {
	t.Parallel()
	jsonPath := filepath.Join(t.TempDir(), "bench.json")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"bench", "--quick", "--json", jsonPath, "--dir", t.TempDir()}, nil, &stdout, &stderr)
	if err != nil {
		t.Fatalf("inspecta bench --quick: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	for _, row := range []string{"Push", "Disk", "Fan-in small", "Wire push", "Wire pull", "Fan-in", "Catch-up", "Report", "Integrity"} {
		if !strings.Contains(stdout.String(), row) {
			t.Errorf("the table has no %q row:\n%s", row, stdout.String())
		}
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("bench JSON does not parse: %v\n%s", err, b)
	}
	got := map[string]float64{} // the figures; strings and flags left out
	for k, v := range raw {
		if f, ok := v.(float64); ok {
			got[k] = f
		}
	}
	for _, key := range []string{"push_ops_per_s", "baseline_rows_per_s", "push_ratio", "visit_push_requests",
		"bytes_per_observation", "fanin_ok", "fanin_p99_ms", "fanin_max_ms", "fanin_small_p99_ms", "fanin_small_tries",
		"disk_bytes_per_observation", "catchup_requests", "catchup_changes_per_s", "report_ms",
		"photos", "photo_seconds", "photo_sent_ratio", "photo_bytes"} {
		if v, ok := got[key]; !ok || v <= 0 {
			t.Errorf("bench JSON %s = %v (present %v); want a positive figure", key, v, ok)
		}
	}
	if lo, mid, hi := got["baseline_rows_per_s_min"], got["baseline_rows_per_s"], got["baseline_rows_per_s_max"]; lo <= 0 || lo > mid || mid > hi {
		t.Errorf("baseline rows/s: lowest %v, median %v, highest %v; want 0 < lowest ≤ median ≤ highest", lo, mid, hi)
	}
	if r := got["photo_sent_ratio"]; r < 1 || r > 1.1 {
		t.Errorf("photos: %.3f × their bytes sent; want between 1 and 1.1 (resumed, never sent twice)", r)
	}
	// Nothing lost, nothing applied twice: what the devices sent is what the
	// database holds, one row per operation and per observation.
	if got["ops_sent"] == 0 || got["ops_stored"] != got["ops_sent"] || got["ops_lost"] != 0 || got["ops_duplicated"] != 0 {
		t.Errorf("operations sent %v, stored %v, lost %v, duplicated %v; want all stored once",
			got["ops_sent"], got["ops_stored"], got["ops_lost"], got["ops_duplicated"])
	}
	if got["observations_stored"] != got["observations_sent"] {
		t.Errorf("observations made %v, stored %v", got["observations_sent"], got["observations_stored"])
	}
	if got["quarantined"] != 0 || got["outbox_left"] != 0 {
		t.Errorf("quarantined %v, left in outboxes %v; want 0 and 0", got["quarantined"], got["outbox_left"])
	}
	if got["fanin_ok"] != got["fanin_devices"] {
		t.Errorf("fan-in: %v of %v devices got through", got["fanin_ok"], got["fanin_devices"])
	}
	if got["catchup_changes"] != 1500 {
		t.Errorf("catch-up pulled %v changes; want 1500", got["catchup_changes"])
	}
}

// TestBenchFlags: bad flags are refused with a message, before anything runs.
func TestBenchFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"bench", "--rows", "push,nope"},
		{"bench", "--profile-row", "nope", "--cpuprofile", filepath.Join(t.TempDir(), "p")},
		{"bench", "--visits", "-1"},
		{"bench", "--peer-url", "http://192.0.2.1:5984"},
	} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, nil, &stdout, &stderr); err == nil {
			t.Errorf("run(%q) = nil; want an error", args)
		}
	}
}
