package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"inspecta/schema"
	isync "inspecta/sync"
)

// TestMemberDeletesOnlyWhatIsTheirsAlone: a member's delete of a visit or a
// place would take every record inside it, so a member deletes only a draft
// visit or a place they made with nothing of another member's in it; a
// visit submitted to the coordinator, or one holding a teammate's answers,
// is the region's coordinator's to delete. Before this rule any member could
// delete a submitted visit with a colleague's whole record of it.
func TestMemberDeletesOnlyWhatIsTheirsAlone(t *testing.T) {
	tm := newTeam(t, 0, 0)
	a, b := tm.members[0], tm.members[1] // a made the visit and its cell
	ctx := context.Background()
	theirs := newID()
	b.Upsert("observation", theirs, map[string]any{"visit_id": tm.visitID, "location_id": tm.cellID, "item": "cell_area_m2", "value": 11.5})
	yard := newID()
	a.Upsert("location", yard, map[string]any{"visit_id": tm.visitID, "label": "Yard", "kind": "yard"})
	a.Upsert("observation", newID(), map[string]any{"visit_id": tm.visitID, "location_id": yard, "item": "cell_area_m2", "value": 40})
	tm.syncAll(t)
	tm.clock.Advance(time.Minute)

	refused := func(c *isync.Client, typ schema.RecordType, id, want string) {
		t.Helper()
		if _, err := c.Delete(typ, id); err != nil {
			t.Fatal(err)
		}
		if err := c.Push(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(c.State.Rejected); n != 1 || c.State.Rejected[0].Error.Code != isync.CodeForbidden ||
			!strings.Contains(c.State.Rejected[0].Error.Message, want) {
			t.Fatalf("delete of %s: refused %+v; want it refused %s saying %q", typ, c.State.Rejected, isync.CodeForbidden, want)
		}
		c.State.Rejected = nil
		if rec := tm.env.record(typ, id); rec.Deleted {
			t.Fatalf("the %s was deleted by a member although it holds a teammate's records", typ)
		}
	}
	refused(a, "location", tm.cellID, "1 records of other members")
	refused(a, "visit", tm.visitID, "records of other members")
	refused(b, "visit", tm.visitID, "made by another member")
	if rec := tm.env.record("observation", theirs); rec.Deleted {
		t.Fatal("the teammate's answer was deleted")
	}

	// What is a member's own alone they delete: their place with only their answers.
	if _, err := a.Delete("location", yard); err != nil {
		t.Fatal(err)
	}
	if err := a.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if len(a.State.Rejected) != 0 || !tm.env.record("location", yard).Deleted {
		t.Fatalf("the member's own place was not deleted: refused %+v", a.State.Rejected)
	}

	// A draft visit with a teammate on its team is the coordinator's to
	// delete, though the server holds nothing of the teammate's yet: their
	// phone may hold answers not sent. Alone on its team, the member deletes it.
	shared, alone := newID(), newID()
	a.Upsert("visit", shared, map[string]any{"facility_id": tm.facility, "kind": "regular", "team": []any{a.State.UserID, b.State.UserID}})
	a.Upsert("visit", alone, map[string]any{"facility_id": tm.facility, "kind": "regular"})
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	refused(a, "visit", shared, "other members are on this visit's team")
	if _, err := a.Delete("visit", alone); err != nil {
		t.Fatal(err)
	}
	if err := a.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if len(a.State.Rejected) != 0 || !tm.env.record("visit", alone).Deleted {
		t.Fatalf("the member's own draft visit, alone on its team, was not deleted: refused %+v", a.State.Rejected)
	}

	// Once submitted, even a visit of the member's own alone is the coordinator's.
	own := newID()
	a.Upsert("visit", own, map[string]any{"facility_id": tm.facility, "kind": "regular"})
	a.Upsert("visit", own, map[string]any{"status": "submitted"})
	if err := a.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	refused(a, "visit", own, "submitted")

	// The coordinator deletes what a member may not.
	tm.syncAll(t)
	if _, err := tm.coord.Delete("location", tm.cellID); err != nil {
		t.Fatal(err)
	}
	if err := tm.coord.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if len(tm.coord.State.Rejected) != 0 || !tm.env.record("location", tm.cellID).Deleted {
		t.Fatalf("the coordinator's delete of the cell was not applied: refused %+v", tm.coord.State.Rejected)
	}
}
