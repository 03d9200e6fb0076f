package server_test

import (
	"net/http"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/xlsform/xlsformtest"
)

// TestAnswerNotAskedIsNotReported: a member answers a question asked only
// while the registers are not kept, then corrects the registers to kept. The
// phone hides the question and keeps the value; the coordinator's screen says
// the item does not apply, approval is not held up by it, and neither the PDF
// nor the CSV print the value as an agreed one.
func TestAnswerNotAskedIsNotReported(t *testing.T) {
	f := newFixture(t)
	f.signUp("admin", schema.RoleAdmin, "")
	wb := xlsformtest.HandWritten()
	wb.Insert("survey", 5, map[string]string{"type": "integer", "name": "missing_entries", "label::Русский (ru)": "Сколько записей отсутствует?",
		"label::Қазақша (kk)": "Қанша жазба жоқ?", "label::English": "How many entries are missing?",
		"relevant": "${registers_kept} = 'no'", "constraint": ". >= 0 and . <= 500", "code": "G9"})
	good, err := wb.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if st, body := f.raw("POST", "/api/v1/checklist-versions?activate=1&name=quick.xlsx", "admin", good); st != http.StatusOK && st != http.StatusCreated {
		t.Fatalf("import = %d %s", st, body)
	}
	id := newUUID()
	f.mustPush("aida", f.op("aida", "visit", id, map[string]any{"facility_id": f.facility, "kind": "regular",
		"started_at": "2026-11-27T09:00:00Z", "status": "submitted", "checklist": "police-cell-quick@1", "team": []string{f.users["aida"].ID, f.users["bolat"].ID}}, nil))
	f.visit = id
	o := newUUID()
	r0 := f.mustPush("aida", f.op("aida", "observation", o, map[string]any{"visit_id": id, "item": "registers_kept", "value": false}, nil))
	f.observe("aida", "", "missing_entries", 37)
	f.observe("bolat", "", "missing_entries", 12) // a disagreement on a question not asked holds nothing up
	f.mustPush("aida", f.op("aida", "observation", o, map[string]any{"value": true}, map[string]int64{"value": int64(r0["seq"].(float64))}))
	f.observe("bolat", "", "registers_kept", true)

	vc := f.consolidation("coord")
	if q := vc["to_resolve"].([]any); len(q) != 0 {
		t.Fatalf("to_resolve = %v; want nothing (missing_entries was not asked)", q)
	}
	for _, it := range vc["visit"].(map[string]any)["items"].([]any) {
		it := it.(map[string]any)
		if it["item"] != "missing_entries" {
			continue
		}
		if it["status"] != "not_applicable" || it["value"] != nil {
			t.Errorf("missing_entries = %v %v; want not_applicable with no value", it["status"], it["value"])
		}
		if vals := it["values"].([]any); len(vals) != 2 {
			t.Errorf("members' values = %v; want both kept and shown", vals)
		}
	}
	_, pc := f.api("GET", "/api/v1/visits/"+id+"/publication-check", "coord", nil)
	if st, b := f.api("POST", "/api/v1/visits/"+id+"/approve", "coord", map[string]any{"publication_check": pc["digest"]}); st != http.StatusOK {
		t.Fatalf("approve = %d %v", st, b)
	}
	_, pdf := get(t, f.hs.URL, f.tokens["coord"], "/api/v1/facilities/"+f.facility+"/report.pdf?lang=en&unapproved=1")
	if strings.Contains(pdf, "entries are missing") || strings.Contains(pdf, "37") {
		t.Errorf("the PDF prints the answer to a question not asked:\n%s", pdf)
	}
	if !strings.Contains(pdf, "registers") {
		t.Errorf("the PDF lost the registers answer:\n%s", pdf)
	}
	st, csv := f.raw("GET", "/api/v1/facilities/"+f.facility+"/report.csv?kind=observations&unapproved=1", "coord", nil)
	if st != http.StatusOK {
		t.Fatalf("csv = %d %s", st, csv)
	}
	if strings.Contains(string(csv), "missing_entries") {
		t.Errorf("the CSV prints the answer to a question not asked:\n%s", csv)
	}
	if !strings.Contains(string(csv), "registers_kept") {
		t.Errorf("the CSV lost registers_kept:\n%s", csv)
	}
}
