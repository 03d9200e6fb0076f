package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// pushRaw sends a push body as the client's device and returns the status and answer.
func pushRaw(t testing.TB, c *isync.Client, body []byte) (int, isync.PushResponse, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", c.State.BaseURL+"/api/v1/sync/push", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.State.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	var pr isync.PushResponse
	var generic map[string]any
	json.Unmarshal(buf.Bytes(), &pr)
	json.Unmarshal(buf.Bytes(), &generic)
	return resp.StatusCode, pr, generic
}

func pushOps(t testing.TB, c *isync.Client, ops ...any) isync.PushResponse {
	t.Helper()
	raws := make([]json.RawMessage, len(ops))
	for i, op := range ops {
		switch v := op.(type) {
		case string:
			raws[i] = json.RawMessage(v)
		default:
			raws[i] = raw(v)
		}
	}
	body, _ := json.Marshal(isync.PushRequest{DeviceID: c.State.DeviceID, Ops: raws})
	status, pr, generic := pushRaw(t, c, body)
	if status != http.StatusOK {
		t.Fatalf("push = %d %v; want 200", status, generic)
	}
	if len(pr.Results) != len(ops) {
		t.Fatalf("push answered %d results for %d ops", len(pr.Results), len(ops))
	}
	return pr
}

var hlcCounter int

func hlc() string {
	hlcCounter++
	return fmt.Sprintf("2026-11-26T10:15:03.120Z/%04d/test-device", hlcCounter)
}

func op(typ schema.RecordType, id string, f map[string]any) isync.Op {
	return isync.Op{OpID: newID(), Type: typ, ID: id, Action: "upsert", HLC: hlc(), Fields: fields(f)}
}

// twoRegions sets up a visit with a cell in Karaganda and a member of Almaty.
type twoRegions struct {
	env                         *testEnv
	karMember, almMember, staff *isync.Client
	karCoord                    *isync.Client
	facilityID, visitID, cellID string
	noteText                    string
}

func setupTwoRegions(t testing.TB) *twoRegions {
	env := newEnv(t)
	coord := env.addUser("coordkar", "coordinator", "KZ-KAR")
	env.addUser("memberkar", "member", "KZ-KAR")
	env.addUser("memberala", "member", "KZ-ALA")
	env.addUser("coordala", "coordinator", "KZ-ALA")
	env.addUser("staff", "staff", "")
	s := &twoRegions{env: env, karMember: env.login("memberkar", nil), almMember: env.login("memberala", nil),
		staff: env.login("staff", nil), karCoord: env.login("coordkar", nil)}
	s.facilityID = env.facility(coord, "SIZO No. 61")
	s.visitID, s.cellID = newID(), newID()
	s.noteText = "Interview notes that must stay confidential"
	res := pushOps(t, s.karMember,
		op("visit", s.visitID, map[string]any{"facility_id": s.facilityID, "kind": "regular"}),
		op("location", s.cellID, map[string]any{"visit_id": s.visitID, "label": "Cell 12", "kind": "cell"}),
		op("observation", newID(), map[string]any{"visit_id": s.visitID, "location_id": s.cellID, "item": "cell_area_m2", "value": 11.5}),
		op("confidential_note", newID(), map[string]any{"visit_id": s.visitID, "text": s.noteText}),
	)
	for _, r := range res.Results {
		if r.Status != isync.StatusApplied {
			t.Fatalf("setup op %s = %s %+v", r.OpID, r.Status, r.Error)
		}
	}
	return s
}

func TestScope(t *testing.T) {
	ctx := context.Background()
	s := setupTwoRegions(t)

	// A member of another region pulls nothing of Karaganda.
	if err := s.almMember.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.almMember.State.Records); n != 0 {
		t.Errorf("Almaty member pulled %d records of Karaganda; want 0", n)
	}
	// Staff see every region but never a confidential note.
	if err := s.staff.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if len(s.staff.Records("observation")) != 1 || len(s.staff.Records("visit")) != 1 {
		t.Errorf("staff pulled %d visits, %d observations; want 1, 1", len(s.staff.Records("visit")), len(s.staff.Records("observation")))
	}
	if n := len(s.staff.Records("confidential_note")); n != 0 {
		t.Errorf("staff pulled %d confidential notes; want 0", n)
	}
	// The region's coordinator sees the note.
	if err := s.karCoord.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if notes := s.karCoord.Records("confidential_note"); len(notes) != 1 || notes[0].Fields["text"] != s.noteText {
		t.Errorf("coordinator's confidential notes = %v; want the one note", notes)
	}
	// A member's push into another region's visit is rejected and quarantined.
	res := pushOps(t, s.almMember,
		op("observation", newID(), map[string]any{"visit_id": s.visitID, "location_id": s.cellID, "item": "cell_area_m2", "value": 3}),
		op("location", newID(), map[string]any{"visit_id": s.visitID, "label": "Cell 99"}),
	)
	for _, r := range res.Results {
		if r.Status != isync.StatusRejected || r.Error == nil || r.Error.Code != "forbidden" {
			t.Errorf("push into another region = %+v; want rejected, forbidden", r)
		}
	}
	if n := s.env.count("SELECT count(*) FROM quarantine WHERE user_id = (SELECT id FROM users WHERE username = 'memberala')"); n != 2 {
		t.Errorf("quarantine holds %d of the other region's ops; want 2", n)
	}
	if n := s.env.count("SELECT count(*) FROM observations"); n != 1 {
		t.Errorf("%d observations stored; want only the first", n)
	}
	// A member not on the team of a visit of their own region cannot see or change it.
	s.env.addUser("member2kar", "member", "KZ-KAR")
	other := s.env.login("member2kar", nil)
	if err := other.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(other.Records("visit")); n != 0 {
		t.Errorf("member not on the team pulled %d visits; want 0", n)
	}
	// Added to the team, their device is told to pull again from the start:
	// the visit's records are older than where it stopped pulling.
	if other.State.Since == 0 {
		t.Fatal("pull did not move the device's position")
	}
	var m2ID string
	s.env.db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow("SELECT id FROM users WHERE username = 'member2kar'").Scan(&m2ID)
	})
	me := s.karMember.State.UserID
	res = pushOps(t, s.karMember, op("visit", s.visitID, map[string]any{"team": []string{me, m2ID}}))
	if res.Results[0].Status != isync.StatusApplied {
		t.Fatalf("add to team = %+v", res.Results[0])
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/sync/pull?since=%d", other.State.BaseURL, other.State.Since), nil)
	req.Header.Set("Authorization", "Bearer "+other.State.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var pr isync.PullResponse
	json.NewDecoder(resp.Body).Decode(&pr)
	resp.Body.Close()
	if !pr.Reset {
		t.Errorf("pull after joining a team = %+v; want reset", pr)
	}
	if err := other.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if len(other.Records("visit")) != 1 || len(other.Records("observation")) != 1 {
		t.Errorf("after the reset the new team member holds %d visits, %d observations; want 1, 1",
			len(other.Records("visit")), len(other.Records("observation")))
	}
	if n := len(other.Records("confidential_note")); n != 0 {
		t.Errorf("a team member pulled %d of a colleague's confidential notes; want 0", n)
	}
}

func TestBadOperationsAreQuarantinedAndTheRestApplied(t *testing.T) {
	s := setupTwoRegions(t)
	obs := func(item string, value string) string {
		return fmt.Sprintf(`{"op_id":%q,"type":"observation","id":%q,"action":"upsert","hlc":%q,
			"fields":{"visit_id":%q,"location_id":%q,"item":%q,"value":%s}}`, newID(), newID(), hlc(), s.visitID, s.cellID, item, value)
	}
	good := func(item string, value any) isync.Op {
		return op("observation", newID(), map[string]any{"visit_id": s.visitID, "location_id": s.cellID, "item": item, "value": value})
	}
	cases := []struct {
		name    string
		op      any
		field   string
		message string // part of the message
	}{
		{"unknown item", obs("cell_colour", `"blue"`), "fields.item", "unknown checklist item"},
		{"wrong type", obs("air_temperature_c", `"14"`), "fields.value", "number"},
		{"out of range", obs("air_temperature_c", `99`), "fields.value", "between"},
		{"non-finite number", obs("air_temperature_c", `1e999`), "fields.value", "finite"},
		{"text over its limit", obs("disability_assistance_notes", `"`+strings.Repeat("я", 2001)+`"`), "fields.value", "longer"},
		{"unknown field", `{"op_id":"` + newID() + `","type":"location","id":"` + newID() + `","action":"upsert","hlc":"` + hlc() + `","fields":{"visit_id":"` + s.visitID + `","colour":"red"}}`, "fields.colour", "unknown field"},
		{"author from the payload", `{"op_id":"` + newID() + `","type":"observation","id":"` + newID() + `","action":"upsert","hlc":"` + hlc() + `","fields":{"visit_id":"` + s.visitID + `","item":"headcount","value":5,"author_id":"someone"}}`, "fields.author_id", "set by the server"},
		{"bad hlc", `{"op_id":"` + newID() + `","type":"location","id":"` + newID() + `","action":"upsert","hlc":"yesterday","fields":{"visit_id":"` + s.visitID + `"}}`, "hlc", "TIME/COUNTER/NODE"},
		{"not an object", `[1,2,3]`, "op", "not valid JSON"},
		{"unknown visit", op("location", newID(), map[string]any{"visit_id": newID(), "label": "x"}), "fields.visit_id", "no visit"},
		{"visit-level item with a location", good("headcount", 5), "fields.location_id", "once per visit"},
	}
	ops := []any{good("persons_present", 4)}
	for _, c := range cases {
		ops = append(ops, c.op)
	}
	ops = append(ops, good("air_temperature_c", 14.5))
	res := pushOps(t, s.karMember, ops...)
	if first, last := res.Results[0], res.Results[len(res.Results)-1]; first.Status != isync.StatusApplied || last.Status != isync.StatusApplied {
		t.Errorf("good ops around the bad ones = %s, %s; want applied, applied", first.Status, last.Status)
	}
	for i, c := range cases {
		r := res.Results[i+1]
		if r.Status != isync.StatusRejected || r.Error == nil || r.Error.Field != c.field || !strings.Contains(r.Error.Message, c.message) {
			t.Errorf("%s: result = %s %+v; want rejected on %s with %q", c.name, r.Status, r.Error, c.field, c.message)
		}
	}
	if n := s.env.count("SELECT count(*) FROM quarantine"); n != len(cases) {
		t.Errorf("quarantine holds %d ops; want %d", n, len(cases))
	}
	// Kept verbatim: the text the device sent, byte for byte.
	var raw string
	s.env.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow("SELECT raw FROM quarantine WHERE message LIKE '%finite%'").Scan(&raw)
	})
	if !strings.Contains(raw, "1e999") {
		t.Errorf("quarantined op = %q; want the original text with 1e999", raw)
	}
	// The same bad op pushed again answers duplicate with its first result.
	again := pushOps(t, s.karMember, cases[1].op)
	if r := again.Results[0]; r.Status != isync.StatusDuplicate || r.FirstStatus != isync.StatusRejected || r.Error == nil {
		t.Errorf("repeated rejected op = %+v; want duplicate of a rejection with its error", r)
	}
}

func TestApprovedVisitIsLocked(t *testing.T) {
	s := setupTwoRegions(t)
	ctx := context.Background()
	var coordID string
	s.env.db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow("SELECT id FROM users WHERE username = 'coordkar'").Scan(&coordID)
	})
	err := s.env.db.Write(ctx, func(tx *store.Tx) error {
		fe, err := s.env.engine.SetVisitStatus(tx, isync.Actor{UserID: coordID, Role: "coordinator", Region: "KZ-KAR", DeviceID: "d"},
			s.visitID, "approved", "", nil)
		if fe != nil {
			t.Fatalf("approve: %v", fe)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	res := pushOps(t, s.karMember,
		op("observation", newID(), map[string]any{"visit_id": s.visitID, "location_id": s.cellID, "item": "persons_present", "value": 9}))
	if r := res.Results[0]; r.Status != isync.StatusRejected || r.Error.Code != "locked" {
		t.Errorf("change to an approved visit = %+v; want rejected, locked", r)
	}
	if n := s.env.count("SELECT count(*) FROM quarantine WHERE field = 'fields.visit_id'"); n != 1 {
		t.Errorf("quarantine holds %d locked-visit ops; want 1", n)
	}
}

func TestOversizedPushChangesNothing(t *testing.T) {
	s := setupTwoRegions(t)
	before := s.env.count("SELECT count(*) FROM ops")
	many := make([]json.RawMessage, isync.MaxOpsPerPush+1)
	for i := range many {
		many[i] = raw(op("location", newID(), map[string]any{"visit_id": s.visitID, "label": fmt.Sprintf("Cell %d", i)}))
	}
	body, _ := json.Marshal(isync.PushRequest{Ops: many})
	if status, _, generic := pushRaw(t, s.karMember, body); status != http.StatusRequestEntityTooLarge {
		t.Errorf("push of %d ops = %d %v; want 413", len(many), status, generic)
	}
	big := raw(op("location", newID(), map[string]any{"visit_id": s.visitID, "label": strings.Repeat("x", isync.MaxPushBytes)}))
	body, _ = json.Marshal(isync.PushRequest{Ops: []json.RawMessage{big}})
	if status, _, generic := pushRaw(t, s.karMember, body); status != http.StatusRequestEntityTooLarge {
		t.Errorf("push of %d bytes = %d %v; want 413", len(body), status, generic)
	}
	if after := s.env.count("SELECT count(*) FROM ops"); after != before {
		t.Errorf("op log went from %d to %d rows after refused pushes; want no change", before, after)
	}
}

func TestDuplicatePushAppliesOnce(t *testing.T) {
	s := setupTwoRegions(t)
	o := op("observation", newID(), map[string]any{"visit_id": s.visitID, "location_id": s.cellID, "item": "persons_present", "value": 4})
	first := pushOps(t, s.karMember, o)
	for range 3 {
		again := pushOps(t, s.karMember, o, o)
		for _, r := range again.Results {
			if r.Status != isync.StatusDuplicate || r.Seq != first.Results[0].Seq {
				t.Errorf("repeated op = %+v; want duplicate with seq %d", r, first.Results[0].Seq)
			}
		}
	}
	if n := s.env.count("SELECT count(*) FROM ops WHERE op_id = ?", o.OpID); n != 1 {
		t.Errorf("op logged %d times; want 1", n)
	}
	if n := s.env.count("SELECT count(*) FROM observations WHERE item = 'persons_present'"); n != 1 {
		t.Errorf("%d observations; want 1", n)
	}
}

// TestPullInsidePushAnswersPendingReset: a member leaves a visit's team; a
// push asking for its pull from 0 is answered reset (it is never a
// snapshot, so it does not take the change as seen), and the device's next
// pull is still answered reset until it pulls from 0 itself.
func TestPullInsidePushAnswersPendingReset(t *testing.T) {
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1]
	ctx := context.Background()
	a.Upsert("visit", tm.visitID, map[string]any{"team": []string{a.State.UserID}})
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, since := range []int64{0, b.State.Since} {
		status, resp, _ := pushRaw(t, b, fmt.Appendf(nil, `{"ops":[],"pull":{"since":%d}}`, since))
		if status != http.StatusOK || resp.Pull == nil || !resp.Pull.Reset {
			t.Errorf("push with its pull from %d = %d, pull %+v; want reset", since, status, resp.Pull)
		}
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/sync/pull?since=%d", b.State.BaseURL, b.State.Since), nil)
	req.Header.Set("Authorization", "Bearer "+b.State.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got isync.PullResponse
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !got.Reset {
		t.Error("after pushes with a pull inside, the device's pull is not answered reset: it never learns it left the visit")
	}
}

// TestPullInsidePushLimits: a push whose pull asks a limit or a cursor a
// pull would refuse is refused the same way (400 invalid), before anything
// of it is applied.
func TestPullInsidePushLimits(t *testing.T) {
	tm := newTeam(t, 0)
	m := tm.members[0]
	for _, ask := range []string{`{"since":0,"limit":5001}`, `{"since":0,"limit":-1}`, `{"since":-1}`} {
		opID := newID()
		body := fmt.Sprintf(`{"ops":[%s],"pull":%s}`, raw(isync.Op{OpID: opID, Type: "location", ID: tm.cellID, Action: "upsert",
			HLC: isync.HLC{Wall: tm.clock.Now(), Node: "phone"}.String(), Fields: fields(map[string]any{"label": "renamed"})}), ask)
		status, _, generic := pushRaw(t, m, []byte(body))
		errObj, _ := generic["error"].(map[string]any)
		if status != http.StatusBadRequest || errObj["code"] != "invalid" || !strings.HasPrefix(fmt.Sprint(errObj["field"]), "pull.") {
			t.Errorf("push with pull %s = %d %v; want 400 invalid on pull.since or pull.limit", ask, status, generic)
		}
		if n := tm.env.count("SELECT count(*) FROM ops WHERE op_id = ?", opID); n != 0 {
			t.Errorf("push with pull %s refused, yet its operation was stored", ask)
		}
	}
	status, resp, _ := pushRaw(t, m, []byte(`{"ops":[],"pull":{"since":0,"limit":5000}}`))
	if status != http.StatusOK || resp.Pull == nil {
		t.Errorf("push with pull limit 5000 = %d %+v; want its pull", status, resp.Pull)
	}
}
