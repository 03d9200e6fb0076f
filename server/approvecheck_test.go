package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// approveAsShown approves the visit as the desk does: with the digest of the
// publication check it has just shown.
func (f *fixture) approveAsShown(who string) (int, map[string]any) {
	f.t.Helper()
	_, pc := f.api("GET", "/api/v1/visits/"+f.visit+"/publication-check", who, nil)
	digest, _ := pc["digest"].(string)
	return f.api("POST", "/api/v1/visits/"+f.visit+"/approve", who, map[string]any{"publication_check": digest})
}

// TestApprovalRefusedOnStaleCheck: an approval names the publication check
// the coordinator had on screen; when a phone has synced a printable text
// since, or no check is named, it is refused (409 publication_check_stale)
// with the list as it is now, and the visit stays unapproved, so nothing is
// printed that the coordinator has not seen.
func TestApprovalRefusedOnStaleCheck(t *testing.T) {
	f := newFixture(t)
	f.observe("aida", f.cell, "persons_present", 4)
	_, pc := f.api("GET", "/api/v1/visits/"+f.visit+"/publication-check", "coord", nil)
	shown, _ := pc["digest"].(string)
	if shown == "" {
		t.Fatalf("publication check = %v; want a digest", pc)
	}
	// A phone syncs a new label while the coordinator reads the list.
	f.newLocation("bolat", f.visit, "Cell 9 (Tsoi, the one who was beaten)")

	for _, body := range []map[string]any{{"publication_check": shown}, {}, nil} {
		status, res := f.api("POST", "/api/v1/visits/"+f.visit+"/approve", "coord", body)
		if status != http.StatusConflict {
			t.Fatalf("approve with %v = %d %v; want 409", body, status, res)
		}
		if code := res["error"].(map[string]any)["code"]; code != "publication_check_stale" {
			t.Errorf("approve with %v: code = %v; want publication_check_stale", body, code)
		}
		fresh, _ := res["publication_check"].(map[string]any)
		if fresh == nil || fresh["digest"] == shown || !strings.Contains(fmt.Sprint(fresh["texts"]), "Tsoi") {
			t.Errorf("approve with %v: publication_check = %v; want the list as it is now, with the new label", body, fresh)
		}
	}
	if _, v := f.api("GET", "/api/v1/visits/"+f.visit, "coord", nil); v["visit"].(map[string]any)["status"] == "approved" {
		t.Fatal("a refused approval approved the visit")
	}
	if n := f.count("SELECT count(*) FROM publication_checks WHERE visit_id = ?", f.visit); n != 0 {
		t.Errorf("publication checks recorded by refused approvals = %d; want 0", n)
	}
	if status, res := f.approveAsShown("coord"); status != http.StatusOK {
		t.Fatalf("approve with the current check = %d %v; want 200", status, res)
	}
	if n := f.count("SELECT count(*) FROM publication_checks WHERE visit_id = ? AND seen = 1", f.visit); n != 1 {
		t.Errorf("seen publication checks = %d; want 1", n)
	}
}

// approveShown approves a visit through the API as the desk does, with the
// digest of the publication check it has just read; fails unless 200.
func approveShown(t *testing.T, base, token, visit string) {
	t.Helper()
	status, body := get(t, base, token, "/api/v1/visits/"+visit+"/publication-check")
	var pc struct {
		Digest string `json:"digest"`
	}
	if err := json.Unmarshal([]byte(body), &pc); status != http.StatusOK || err != nil || pc.Digest == "" {
		t.Fatalf("publication check of %s = %d %s", visit, status, body)
	}
	deskCall(t, base, token, "POST", "/api/v1/visits/"+visit+"/approve", map[string]string{"publication_check": pc.Digest}, http.StatusOK)
}
