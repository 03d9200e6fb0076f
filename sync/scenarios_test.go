package sync_test

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"inspecta/schema"
	isync "inspecta/sync"
)

// scenarioFile is sync/testdata/scenarios.json (format: docs/protocol.md,
// "Shared scenario vectors"), which the JavaScript client may run too.
type scenarioFile struct {
	Version   int        `json:"version"`
	Scenarios []scenario `json:"scenarios"`
}

type scenario struct {
	Name    string            `json:"name"`
	Users   map[string]string `json:"users"`
	Devices map[string]struct {
		User          string `json:"user"`
		ClockOffsetMS int64  `json:"clock_offset_ms"`
	} `json:"devices"`
	Steps []struct {
		Device    string            `json:"device"`
		Do        string            `json:"do"`
		Type      schema.RecordType `json:"type"`
		ID        string            `json:"id"`
		Fields    map[string]any    `json:"fields"`
		AdvanceMS int64             `json:"advance_ms"`
	} `json:"steps"`
	Expect struct {
		Records            map[string]map[string]any `json:"records"`
		NotHeld            map[string][]string       `json:"not_held"`
		OpenConflicts      *int                      `json:"open_conflicts"`
		DevicesEqualServer bool                      `json:"devices_equal_server"`
	} `json:"expect"`
}

// TestSharedScenarios runs every scenario of the shared vectors with the Go client.
func TestSharedScenarios(t *testing.T) {
	b, err := os.ReadFile("testdata/scenarios.json")
	if err != nil {
		t.Fatal(err)
	}
	var file scenarioFile
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	if file.Version != 1 || len(file.Scenarios) == 0 {
		t.Fatalf("scenarios.json version %d with %d scenarios; want version 1 and some", file.Version, len(file.Scenarios))
	}
	for _, sc := range file.Scenarios {
		t.Run(sc.Name, func(t *testing.T) { runScenario(t, sc) })
	}
}

func runScenario(t *testing.T, sc scenario) {
	ctx := context.Background()
	env := newEnv(t)
	clk := &fakeClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	env.db.Now = clk.Now
	registry := env.addUser("registry", "coordinator", "KZ-KAR")
	refs := map[string]string{"@facility": env.facility(registry, "IVS (scenario)")}
	for name, role := range sc.Users {
		refs["@"+name] = env.addUser(name, role, "KZ-KAR").ID
	}
	devices := map[string]*isync.Client{}
	var names []string
	for name, d := range sc.Devices {
		c, err := isync.LoginWithClock(ctx, nil, env.http.URL, d.User, password(d.User), name,
			clk.deviceClock(time.Duration(d.ClockOffsetMS)*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		devices[name] = c
		names = append(names, name)
	}
	sort.Strings(names)
	ids := map[string]string{}
	id := func(name string) string {
		if ids[name] == "" {
			ids[name] = newID()
		}
		return ids[name]
	}
	var resolve func(v any) any
	resolve = func(v any) any {
		switch x := v.(type) {
		case string:
			if strings.HasPrefix(x, "@") {
				return refs[x]
			}
			if strings.HasPrefix(x, "#") {
				return id(x[1:])
			}
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = resolve(e)
			}
			return out
		}
		return v
	}
	for i, st := range sc.Steps {
		if st.AdvanceMS > 0 {
			clk.Advance(time.Duration(st.AdvanceMS) * time.Millisecond)
			continue
		}
		c := devices[st.Device]
		if c == nil {
			t.Fatalf("step %d names no device %q", i, st.Device)
		}
		var err error
		switch st.Do {
		case "create", "upsert":
			f := map[string]any{}
			for k, v := range st.Fields {
				f[k] = resolve(v)
			}
			_, err = c.Upsert(st.Type, id(st.ID), f)
		case "delete":
			_, err = c.Delete(st.Type, id(st.ID))
		case "restore":
			_, err = c.Restore(st.Type, id(st.ID))
		case "push":
			err = c.Push(ctx)
		case "pull":
			err = c.Pull(ctx)
		case "sync":
			err = c.Sync(ctx)
		default:
			t.Fatalf("step %d: unknown action %q", i, st.Do)
		}
		if err != nil {
			t.Fatalf("step %d (%s %s): %v", i, st.Device, st.Do, err)
		}
	}
	for round := 0; round < 2; round++ {
		for _, n := range names {
			if err := devices[n].Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	for key, want := range sc.Expect.Records {
		typeName, name, _ := strings.Cut(key, "/")
		typ := schema.RecordType(typeName)
		srv := env.record(typ, id(name))
		if !srv.Exists {
			t.Errorf("%s: not on the server", key)
			continue
		}
		for f, v := range want {
			got := any(srv.Deleted)
			if f != "deleted" {
				got = srv.Fields[f]
			}
			if !sameJSON(got, resolve(v)) {
				t.Errorf("server %s.%s = %v; want %v", key, f, got, v)
			}
		}
		for _, n := range names {
			r := devices[n].Record(typ, id(name))
			if r == nil {
				continue
			}
			for f, v := range want {
				got := any(r.Deleted)
				if f != "deleted" {
					got = r.Fields[f]
				}
				if !sameJSON(got, resolve(v)) {
					t.Errorf("device %s %s.%s = %v; want %v", n, key, f, got, v)
				}
			}
		}
	}
	for dev, keys := range sc.Expect.NotHeld {
		for _, key := range keys {
			typeName, name, _ := strings.Cut(key, "/")
			typ := schema.RecordType(typeName)
			if r := devices[dev].Record(typ, id(name)); r != nil {
				t.Errorf("device %s still holds %s", dev, key)
			}
		}
	}
	if want := sc.Expect.OpenConflicts; want != nil {
		if n := env.count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"); n != *want {
			t.Errorf("open conflicts = %d; want %d", n, *want)
		}
	}
	if sc.Expect.DevicesEqualServer {
		for _, n := range names {
			c := devices[n]
			if len(c.State.Outbox) != 0 || len(c.State.Rejected) != 0 {
				t.Errorf("device %s: %d waiting, rejected %+v", n, len(c.State.Outbox), c.State.Rejected)
			}
			for _, r := range c.State.Records {
				srv := env.record(r.Type, r.ID)
				if srv.Deleted != r.Deleted || !sameJSON(srv.Fields, r.Fields) {
					t.Errorf("device %s %s %s = %v (deleted %v); server %v (deleted %v)", n, r.Type, r.ID, r.Fields, r.Deleted, srv.Fields, srv.Deleted)
				}
			}
		}
	}
}
