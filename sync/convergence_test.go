package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

var seeds = flag.Int("seeds", 8, "how many random seeds TestConvergenceManySeeds runs")

// lossyTransport loses responses at random after the server did the work,
// as a phone with one bar of signal does.
type lossyTransport struct {
	mu       gosync.Mutex
	rng      *rand.Rand
	dropRate float64
}

func (l *lossyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	drop := l.rng.Float64() < l.dropRate
	l.mu.Unlock()
	if drop {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("simulated: response lost on the way back")
	}
	return resp, nil
}

func (l *lossyTransport) setDropRate(r float64) {
	l.mu.Lock()
	l.dropRate = r
	l.mu.Unlock()
}

type simDevice struct {
	name      string
	user      *store.User
	client    *isync.Client
	transport *lossyTransport
	ownObs    map[string]string // natural key → observation id this device created
}

type sentOp struct {
	device string
	op     isync.Op
}

func TestConvergenceFixedSeed(t *testing.T) { runConvergence(t, 42, 250) }

// TestConvergenceManySeeds runs its seeds side by side (each has its own
// server, database and devices): they mostly wait for fsyncs, the server's
// commits and the devices' state files.
func TestConvergenceManySeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("many seeds: not in -short")
	}
	t.Parallel()
	for seed := int64(1); seed <= int64(*seeds); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			runConvergence(t, seed, 150)
		})
	}
}

// runConvergence drives three devices (two members, one of them on two
// phones) through random offline edits, pushes and pulls with lost responses
// and restarts, then checks that every replica holds the server's state, that
// no operation was applied twice and that no recorded value was lost silently.
func runConvergence(t *testing.T, seed int64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(seed))
	env := newEnv(t)
	coord := env.addUser("coord", "coordinator", "KZ-KAR")
	m1 := env.addUser("member1", "member", "KZ-KAR")
	m2 := env.addUser("member2", "member", "KZ-KAR")
	facilityID := env.facility(coord, "SIZO test facility")
	dir := t.TempDir()

	var devices []*simDevice
	for i, u := range []*store.User{m1, m2, m1} {
		tr := &lossyTransport{rng: rand.New(rand.NewSource(seed*10 + int64(i)))}
		c := env.login(u.Username, &http.Client{Transport: tr, Timeout: 20 * time.Second})
		c.StatePath = filepath.Join(dir, fmt.Sprintf("device%d.json", i))
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		devices = append(devices, &simDevice{name: fmt.Sprintf("device%d(%s)", i, u.Username), user: u, client: c, transport: tr, ownObs: map[string]string{}})
	}
	var sent []sentOp
	record := func(d *simDevice) func(isync.Op, error) {
		return func(op isync.Op, err error) {
			if err != nil {
				t.Fatalf("%s: local change: %v", d.name, err)
			}
			sent = append(sent, sentOp{device: d.name, op: op})
		}
	}

	// The first member starts the visit with three cells, and everyone pulls it.
	visitID := newID()
	a := devices[0]
	record(a)(a.client.Upsert("visit", visitID, map[string]any{"facility_id": facilityID, "kind": "regular",
		"team": []string{m1.ID, m2.ID}, "started_at": "2026-11-20T09:00:00Z"}))
	var locations []string
	for i := range 3 {
		id := newID()
		locations = append(locations, id)
		record(a)(a.client.Upsert("location", id, map[string]any{"visit_id": visitID, "label": fmt.Sprintf("Cell %d", i+1), "kind": "cell"}))
	}
	if err := a.client.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, d := range devices {
		if err := d.client.Pull(ctx); err != nil {
			t.Fatal(err)
		}
		d.transport.setDropRate(0.25)
	}

	items := []struct {
		id    string
		value func() any
	}{
		{"cell_area_m2", func() any { return float64(rng.Intn(400)+10) / 4 }},
		{"persons_present", func() any { return rng.Intn(12) }},
		{"air_temperature_c", func() any { return rng.Intn(15) + 10 }},
		{"toilet_in_cell", func() any { return rng.Intn(2) == 0 }},
	}
	for step := 0; step < steps; step++ {
		d := devices[rng.Intn(len(devices))]
		switch r := rng.Intn(10); {
		case r <= 3: // a member records (or corrects) a measurement
			loc := locations[rng.Intn(len(locations))]
			item := items[rng.Intn(len(items))]
			id, isNew := observationFor(d, visitID, loc, item.id)
			f := map[string]any{"value": item.value()}
			if isNew {
				f["visit_id"], f["location_id"], f["item"] = visitID, loc, item.id
			}
			record(d)(d.client.Upsert("observation", id, f))
		case r == 4: // the shared label of a cell: concurrent edits
			loc := locations[rng.Intn(len(locations))]
			record(d)(d.client.Upsert("location", loc, map[string]any{"label": fmt.Sprintf("Cell %d", rng.Intn(50))}))
		case r == 5:
			record(d)(d.client.Upsert("visit", visitID, map[string]any{"ombudsperson_rep_present": rng.Intn(2) == 0}))
		case r == 6:
			d.client.Push(ctx) // errors are the lost responses: the outbox keeps the ops
		case r == 7:
			d.client.Pull(ctx)
		case r == 8: // the phone restarts: everything comes back from its saved state
			c, err := isync.LoadClient(d.client.HTTP, d.client.StatePath)
			if err != nil {
				t.Fatal(err)
			}
			d.client = c
		default:
			d.client.Sync(ctx)
		}
	}

	// The connection comes back for good: everyone syncs until nothing is left.
	for _, d := range devices {
		d.transport.setDropRate(0)
	}
	for round := 0; round < 3; round++ {
		for _, d := range devices {
			if err := d.client.Sync(ctx); err != nil {
				t.Fatalf("%s: final sync: %v", d.name, err)
			}
		}
	}

	// Every device holds exactly what the server holds.
	observer := env.login("coord", nil)
	if err := observer.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	for _, d := range devices {
		if n := len(d.client.State.Outbox); n != 0 {
			t.Errorf("%s: %d operations still in the outbox", d.name, n)
		}
		if n := len(d.client.State.Rejected); n != 0 {
			t.Errorf("%s: %d operations rejected, first: %+v", d.name, n, d.client.State.Rejected[0].Error)
		}
		for _, typ := range []schema.RecordType{"visit", "location", "observation"} {
			mine, theirs := d.client.Records(typ), observer.Records(typ)
			if len(mine) != len(theirs) {
				t.Errorf("%s: %d %s records; server has %d", d.name, len(mine), typ, len(theirs))
				continue
			}
			for i := range mine {
				if !sameJSON(mine[i].Fields, theirs[i].Fields) {
					t.Errorf("%s: %s %s = %v; server has %v", d.name, typ, mine[i].ID, mine[i].Fields, theirs[i].Fields)
				}
			}
		}
	}

	// Nothing applied twice, nothing missing: one op-log row per operation made.
	if got := env.count("SELECT count(*) FROM ops WHERE device_id <> 'test'"); got != len(sent) {
		t.Errorf("op log holds %d operations; devices made %d", got, len(sent))
	}
	if got := env.count("SELECT count(*) FROM ops WHERE status NOT IN ('applied', 'conflict')"); got != 0 {
		t.Errorf("%d operations not applied", got)
	}
	checkNoSilentLoss(t, env, observer, sent)
}

// observationFor finds the device's own observation of an item, or a new id.
func observationFor(d *simDevice, visitID, locationID, item string) (string, bool) {
	key := visitID + "/" + locationID + "/" + item
	for _, r := range d.client.Records("observation") {
		if r.Fields["visit_id"] == visitID && r.Fields["location_id"] == locationID && r.Fields["item"] == item &&
			(r.Fields["author_id"] == d.user.ID || r.ID == d.ownObs[key]) {
			return r.ID, false
		}
	}
	id := newID()
	d.ownObs[key] = id
	return id, true
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// checkNoSilentLoss checks that every value a device sent is the current
// value of its field, or is kept in a conflict, or was replaced by a later
// write made by a device that had seen it.
func checkNoSilentLoss(t *testing.T, env *testEnv, observer *isync.Client, sent []sentOp) {
	t.Helper()
	ctx := context.Background()
	seqOf := map[string]int64{}
	mergedInto := map[string]string{}
	kept := map[string][]string{} // type/id/field → JSON values held in conflicts
	err := env.db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query("SELECT op_id, seq FROM ops WHERE seq IS NOT NULL")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var seq int64
			rows.Scan(&id, &seq)
			seqOf[id] = seq
		}
		rows.Close()
		rows, err = tx.Query("SELECT id, merged_into FROM record_index WHERE merged_into <> ''")
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, into string
			rows.Scan(&id, &into)
			mergedInto[id] = into
		}
		rows.Close()
		rows, err = tx.Query("SELECT type, record_id, field, winner_value, loser_value FROM conflicts")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var typ, id, field, w, l string
			rows.Scan(&typ, &id, &field, &w, &l)
			k := typ + "/" + id + "/" + field
			kept[k] = append(kept[k], w, l)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	target := func(id string) string {
		if into, ok := mergedInto[id]; ok {
			return into
		}
		return id
	}
	lost := 0
	for _, s := range sent {
		for field, value := range s.op.Fields {
			tid := target(s.op.ID)
			rec := observer.Record(s.op.Type, tid)
			if rec != nil && sameJSON(rec.Fields[field], json.RawMessage(value)) {
				continue
			}
			if contains(kept[string(s.op.Type)+"/"+tid+"/"+field], value) {
				continue
			}
			superseded := false
			for _, later := range sent {
				if later.op.Type != s.op.Type || target(later.op.ID) != tid {
					continue
				}
				if _, ok := later.op.Fields[field]; !ok {
					continue
				}
				// The later writer saw this value if it edited from the version
				// of any write of the same value up to this one.
				sawIt := false
				for _, same := range sent {
					if same.op.Type == s.op.Type && target(same.op.ID) == tid && sameJSON(same.op.Fields[field], value) &&
						seqOf[same.op.OpID] > 0 && seqOf[same.op.OpID] <= seqOf[s.op.OpID] && (later.op.Base[field] >= seqOf[same.op.OpID] ||
						(later.device == same.device && isync.Wins(later.op.HLC, "", same.op.HLC, ""))) {
						sawIt = true
						break
					}
				}
				sawIt = sawIt ||
					(later.device == s.device && later.op.ID == s.op.ID && isync.Wins(later.op.HLC, "", s.op.HLC, ""))
				if sawIt && seqOf[later.op.OpID] > seqOf[s.op.OpID] {
					superseded = true
					break
				}
			}
			if !superseded {
				lost++
				if lost <= 5 {
					t.Errorf("value %s of %s %s field %s (op %s from %s) is neither current, nor in a conflict, nor knowingly replaced",
						value, s.op.Type, tid, field, s.op.OpID, s.device)
					for _, o := range sent {
						if o.op.Type == s.op.Type && target(o.op.ID) == tid {
							if v, ok := o.op.Fields[field]; ok {
								t.Logf("  seq %d base %d %s %s value %s", seqOf[o.op.OpID], o.op.Base[field], o.device, o.op.HLC, v)
							}
						}
					}
					t.Logf("  kept in conflicts: %v", kept[string(s.op.Type)+"/"+tid+"/"+field])
				}
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d recorded values lost silently", lost)
	}
}

func contains(list []string, v json.RawMessage) bool {
	for _, s := range list {
		if sameJSON(json.RawMessage(s), v) {
			return true
		}
	}
	return false
}
