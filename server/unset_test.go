package server_test

import (
	"fmt"
	"net/http"
	"testing"
)

// TestVisitSaysWhichYesNoFieldsNobodyAnswered: the desk's visit names the
// yes/no fields no operation ever wrote (a 0 in their columns is no "No"
// anybody gave), and stops naming one once a member answers it, "No" included.
func TestVisitSaysWhichYesNoFieldsNobodyAnswered(t *testing.T) {
	f := newFixture(t) // the visit is made without any of them
	unset := func() string {
		t.Helper()
		status, body := f.api("GET", "/api/v1/visits/"+f.visit, "coord", nil)
		if status != http.StatusOK {
			t.Fatalf("GET visit = %d %v", status, body)
		}
		return fmt.Sprint(body["unset"])
	}
	if got := unset(); got != "[announced ombudsperson_rep_present access_refused]" {
		t.Errorf("unset = %s; want all three fields", got)
	}
	f.mustPush("aida", f.op("aida", "visit", f.visit, map[string]any{"announced": false}, nil))
	if got := unset(); got != "[ombudsperson_rep_present access_refused]" {
		t.Errorf("unset after 'announced: No' = %s; want ombudsperson_rep_present, access_refused", got)
	}
	f.mustPush("aida", f.op("aida", "visit", f.visit, map[string]any{"access_refused": false}, nil))
	if got := unset(); got != "[ombudsperson_rep_present]" {
		t.Errorf("unset after 'access_refused: No' = %s; want only ombudsperson_rep_present", got)
	}
}
