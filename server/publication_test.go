package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

// TestPublicationCheck: a location label that names a detainee is flagged
// on the coordinator's pre-approval screen and left out of the PDF and CSV
// until it is cleared; a changed label is checked again; the approval
// records the check and that the coordinator had it on screen.
func TestPublicationCheck(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hs := httptest.NewServer(server.New(db, nil))
	t.Cleanup(hs.Close)
	err = db.Write(ctx, func(tx *store.Tx) error {
		for _, u := range []store.NewUser{{Username: "coord", Role: "coordinator", Region: "KZ-KAR"}, {Username: "member", Role: "member", Region: "KZ-KAR"}} {
			u.Password = "publication-test-" + u.Username
			if _, err := tx.CreateUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	coord, err := isync.Login(ctx, nil, hs.URL, "coord", "publication-test-coord", "laptop")
	if err != nil {
		t.Fatal(err)
	}
	facility, visit, cell := uuid.NewString(), uuid.NewString(), uuid.NewString()
	named := "Cell 3 (detainee Ivanov I.I., b. 1985)"
	for _, op := range []struct {
		typ schema.RecordType
		id  string
		f   map[string]any
	}{
		{"facility", facility, map[string]any{"name": "[TEST] IVS No. 2", "type": "ivs", "region": "KZ-KAR"}},
		{"visit", visit, map[string]any{"facility_id": facility, "started_at": "2026-11-20T09:00:00Z", "status": "submitted"}},
		{"location", cell, map[string]any{"visit_id": visit, "label": named, "kind": "cell"}},
		{"location", uuid.NewString(), map[string]any{"visit_id": visit, "label": "Exercise yard", "kind": "yard"}},
	} {
		if _, err := coord.Upsert(op.typ, op.id, op.f); err != nil {
			t.Fatal(err)
		}
	}
	if err := coord.Push(ctx); err != nil {
		t.Fatal(err)
	}
	tok := coord.State.Token
	check := func() map[string]any {
		t.Helper()
		status, body := get(t, hs.URL, tok, "/api/v1/visits/"+visit+"/publication-check")
		if status != http.StatusOK {
			t.Fatalf("publication check = %d %s", status, body)
		}
		var out map[string]any
		json.Unmarshal([]byte(body), &out)
		return out
	}
	printed := func(what string) (pdf, csv bool) {
		t.Helper()
		_, p := get(t, hs.URL, tok, "/api/v1/facilities/"+facility+"/report.pdf?lang=en&unapproved=1")
		_, c := get(t, hs.URL, tok, "/api/v1/facilities/"+facility+"/report.csv?kind=observations&unapproved=1")
		if !strings.Contains(strings.Join(strings.Fields(p), " "), "Exercise yard") {
			t.Fatalf("%s: the report does not print the unflagged label at all; the check of the flagged one means nothing:\n%.1500s", what, p)
		}
		return strings.Contains(p, "Ivanov"), strings.Contains(c, "Ivanov")
	}

	c := check()
	texts := c["texts"].([]any)
	if len(texts) != 2 || c["flagged"].(float64) != 1 || c["withheld"].(float64) != 1 {
		t.Fatalf("check = %v; want 2 texts, 1 flagged and withheld", c)
	}
	if pdf, csv := printed("flagged"); pdf || csv {
		t.Errorf("a flagged, uncleared label is printed (PDF %v, CSV %v)", pdf, csv)
	}
	if status, _ := get(t, hs.URL, mustLogin(t, hs.URL, "member"), "/api/v1/visits/"+visit+"/publication-check"); status != http.StatusForbidden {
		t.Errorf("publication check as a member = %d; want 403", status)
	}

	deskCall(t, hs.URL, tok, "POST", "/api/v1/visits/"+visit+"/publication-check/clear",
		map[string]string{"record_type": "location", "record_id": cell, "field": "label"}, http.StatusOK)
	if c := check(); c["withheld"].(float64) != 0 {
		t.Errorf("after clearing, withheld = %v; want 0", c["withheld"])
	}
	if pdf, _ := printed("cleared"); !pdf { // the CSV lists a location only with a value
		t.Errorf("a cleared label is not printed in the PDF")
	}

	// Changed, it is checked again: the clearance was for the old text.
	if _, err := coord.Upsert("location", cell, map[string]any{"label": "Cell 3 (Ivanov I.I.)"}); err != nil {
		t.Fatal(err)
	}
	if err := coord.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if pdf, csv := printed("changed"); pdf || csv {
		t.Errorf("a changed, flagged label is printed on the old clearance (PDF %v, CSV %v)", pdf, csv)
	}

	digest := check()["digest"].(string)
	// A check that is not a digest is refused, not taken as "no check seen".
	deskCall(t, hs.URL, tok, "POST", "/api/v1/visits/"+visit+"/approve", map[string]any{"publication_check": 42}, http.StatusBadRequest)
	deskCall(t, hs.URL, tok, "POST", "/api/v1/visits/"+visit+"/approve", map[string]string{"publication_check": digest}, http.StatusOK)
	var rec store.PublicationCheck
	err = db.Read(ctx, func(tx *store.Tx) error {
		c, err := tx.LastPublicationCheck(visit)
		if c != nil {
			rec = *c
		}
		return err
	})
	if err != nil || rec.Texts != 2 || rec.Flagged != 1 || rec.Cleared != 0 || !rec.Seen {
		t.Errorf("recorded check = %+v, %v; want 2 texts, 1 flagged, 0 cleared, seen", rec, err)
	}
}

func mustLogin(t *testing.T, base, username string) string {
	t.Helper()
	c, err := isync.Login(context.Background(), nil, base, username, "publication-test-"+username, "phone")
	if err != nil {
		t.Fatal(err)
	}
	return c.State.Token
}
