package sync_test

import (
	"context"
	"testing"
	"time"

	isync "inspecta/sync"
)

// TestObstructionAndInterviewRecords: obstructions and interviews go through
// the sync protocol with their values checked; an interview is seen and
// changed by its author and the region's coordinator only (a teammate and
// staff do not even receive it); an obstruction is seen by the team.
func TestObstructionAndInterviewRecords(t *testing.T) {
	ctx := context.Background()
	env := newEnv(t)
	coord := env.addUser("coordkar", "coordinator", "KZ-KAR")
	author := env.addUser("author", "member", "KZ-KAR")
	mate := env.addUser("mate", "member", "KZ-KAR")
	env.addUser("staff", "staff", "")
	a, m, c, staff := env.login("author", nil), env.login("mate", nil), env.login("coordkar", nil), env.login("staff", nil)
	facility := env.facility(coord, "IVS No. 1 (test)")
	visit, obstruction, interview := newID(), newID(), newID()

	check := func(res isync.PushResponse, want ...string) {
		t.Helper()
		for i, r := range res.Results {
			got := string(r.Status)
			if r.Error != nil {
				got += ":" + string(r.Error.Code) + ":" + r.Error.Field
			}
			if got != want[i] {
				t.Errorf("op %d = %s (%+v); want %s", i, got, r.Error, want[i])
			}
		}
	}
	check(pushOps(t, a,
		op("visit", visit, map[string]any{"facility_id": facility, "kind": "regular", "team": []string{author.ID, mate.ID},
			"arrived_at": "2026-11-20T09:00:00Z", "admitted_at": "2026-11-20T09:40:00Z", "team_size": 3, "rep_in_interviews": "no"}),
		op("obstruction", obstruction, map[string]any{"visit_id": visit, "kind": "refused", "target": "documents", "reason_given": "security"}),
		op("interview", interview, map[string]any{"visit_id": visit, "private_setting": true, "consent": true,
			"complaints": []string{"ill_treatment", "ill_treatment", "health"}, "present": []string{"none"}, "follow_up": true}),
		op("obstruction", newID(), map[string]any{"visit_id": visit, "kind": "blocked", "target": "area"}),
		op("obstruction", newID(), map[string]any{"visit_id": visit, "kind": "refused"}),
		op("interview", newID(), map[string]any{"visit_id": visit, "complaints": []string{"the guard Petrov"}}),
		op("interview", newID(), map[string]any{"visit_id": visit, "present": []string{"none", "staff"}}),
		op("visit", newID(), map[string]any{"facility_id": facility, "rep_in_interviews": "maybe"}),
		op("visit", newID(), map[string]any{"facility_id": facility, "team_size": 0}),
		op("visit", newID(), map[string]any{"facility_id": facility, "arrived_at": "nine o'clock"}),
		op("visit", newID(), map[string]any{"facility_id": facility, "arrived_at": "2026-11-20T09:40:00Z", "admitted_at": "2026-11-20T09:00:00Z"}),
		op("visit", visit, map[string]any{"arrived_at": "2026-11-20T10:00:00Z"}),
	), "applied", "applied", "applied", "rejected:invalid:fields.kind", "rejected:invalid:fields.target",
		"rejected:invalid:fields.complaints", "rejected:invalid:fields.present", "rejected:invalid:fields.rep_in_interviews", "rejected:invalid:fields.team_size",
		"rejected:invalid:fields.arrived_at", "rejected:invalid:fields.admitted_at", "rejected:invalid:fields.arrived_at")

	// The teammate may record obstructions but not change the author's interview.
	check(pushOps(t, m,
		op("obstruction", obstruction, map[string]any{"minutes": 20}),
		op("interview", interview, map[string]any{"fear_of_reprisal": true}),
	), "applied", "rejected:forbidden:id")

	for _, cl := range []*isync.Client{a, m, c, staff} {
		if err := cl.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(m.Records("obstruction")); n != 1 {
		t.Errorf("teammate holds %d obstructions; want 1", n)
	}
	if n := len(m.Records("interview")); n != 0 {
		t.Errorf("teammate holds %d interviews; want 0 (only their author and the coordinator)", n)
	}
	if n := len(staff.Records("interview")); n != 0 {
		t.Errorf("staff hold %d interviews; want 0", n)
	}
	ivs := c.Records("interview")
	if len(ivs) != 1 {
		t.Fatalf("coordinator holds %d interviews; want 1", len(ivs))
	}
	if got := ivs[0].Fields["complaints"]; len(got.([]any)) != 2 {
		t.Errorf("complaints stored as %v; want each category once", got)
	}
	if ivs[0].Fields["author_id"] != author.ID {
		t.Errorf("interview author = %v; want the member who sent it", ivs[0].Fields["author_id"])
	}
	// The coordinator may change it.
	check(pushOps(t, c, op("interview", interview, map[string]any{"fear_of_reprisal": true})), "applied")
}

// TestInvertedGateTimesNeverBlockTheVisit: two members' offline edits of the
// gate times can merge into an admission before the arrival (each edit was
// consistent on its own). The visit can still be submitted and the conflict
// decided either way; only an operation that writes a gate time is held to
// the order.
func TestInvertedGateTimesNeverBlockTheVisit(t *testing.T) {
	ctx := context.Background()
	tm := newTeam(t, 0, 0)
	alice, bob := tm.members[0], tm.members[1]
	visit := tm.visitID
	mustSync := func(cl *isync.Client) {
		t.Helper()
		if err := cl.Push(ctx); err != nil {
			t.Fatal(err)
		}
		if err := cl.Pull(ctx); err != nil {
			t.Fatal(err)
		}
		if len(cl.State.Rejected) > 0 {
			t.Fatalf("rejected: %+v", cl.State.Rejected[0].Error)
		}
	}
	// Bob records both times offline; Alice, a second later, a later arrival, and syncs first.
	bob.Upsert("visit", visit, map[string]any{"arrived_at": "2026-11-20T10:00:00Z", "admitted_at": "2026-11-20T10:05:00Z"})
	tm.clock.Advance(time.Second)
	alice.Upsert("visit", visit, map[string]any{"arrived_at": "2026-11-20T10:10:00Z"})
	mustSync(alice)
	mustSync(bob)
	rec := bob.Record("visit", visit)
	if rec.Fields["arrived_at"] != "2026-11-20T10:10:00Z" || rec.Fields["admitted_at"] != "2026-11-20T10:05:00Z" {
		t.Fatalf("the merge kept %v / %v; want Alice's arrival and Bob's admission", rec.Fields["arrived_at"], rec.Fields["admitted_at"])
	}
	bob.Upsert("visit", visit, map[string]any{"status": "submitted", "ended_at": "2026-11-20T14:00:00Z"})
	mustSync(bob)
	if len(rec.Conflicts) == 0 {
		t.Fatal("no open conflict on the arrival time; want Bob's set aside")
	}
	bob.Decide("visit", visit, "arrived_at", rec.Fields["arrived_at"], rec.Conflicts[0].ID) // keeps Alice's
	mustSync(bob)
	// Writing a gate time is held to the order, with a message naming both.
	bob.Upsert("visit", visit, map[string]any{"admitted_at": "2026-11-20T10:06:00Z"})
	if err := bob.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if len(bob.State.Rejected) != 1 || bob.State.Rejected[0].Error.Field != "fields.admitted_at" {
		t.Fatalf("admitted_at before the stored arrival: rejected %+v; want fields.admitted_at", bob.State.Rejected)
	}
}
