package server_test

import (
	"net/http"
	"strings"
	"testing"

	"inspecta/schema"
	"inspecta/xlsform/xlsformtest"
)

// TestImportedChecklistFindings: an imported checklist that declares an
// adverse answer (the adverse column) has it among the report's key
// findings; one that declares none says its findings were not assessed,
// never that there were none.
func TestImportedChecklistFindings(t *testing.T) {
	for _, declared := range []bool{true, false} {
		f := newFixture(t)
		f.signUp("admin", schema.RoleAdmin, "")
		wb := xlsformtest.HandWritten()
		wb.Sheets["survey"][0] = append(wb.Sheets["survey"][0], "adverse")
		row := map[string]string{"type": "select_one yes_no", "name": "beaten", "label::Русский (ru)": "Есть следы побоев?",
			"label::Қазақша (kk)": "Соққы іздері бар ма?", "label::English": "Are there signs of beatings?", "code": "G9"}
		if declared {
			row["adverse"] = "yes"
		}
		wb.Insert("survey", 3, row)
		good, err := wb.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if st, body := f.raw("POST", "/api/v1/checklist-versions?activate=1&name=quick.xlsx", "admin", good); st != http.StatusOK {
			t.Fatalf("import = %d %s", st, body)
		}
		id := newUUID()
		f.mustPush("aida", f.op("aida", "visit", id, map[string]any{"facility_id": f.facility, "kind": "regular",
			"started_at": "2026-11-27T09:00:00Z", "status": "submitted", "checklist": "police-cell-quick@1",
			"team": []string{f.users["aida"].ID, f.users["bolat"].ID}}, nil))
		f.visit = id
		for _, who := range []string{"aida", "bolat"} {
			f.observe(who, "", "registers_kept", true)
			f.observe(who, "", "beaten", true)
		}
		_, pdf := get(t, f.hs.URL, f.tokens["coord"], "/api/v1/facilities/"+f.facility+"/report.pdf?lang=en&unapproved=1")
		text := strings.Join(strings.Fields(pdf), " ")
		_, findings, _ := strings.Cut(text, "Key findings at the latest visit")
		findings, _, _ = strings.Cut(findings, "Access to the facility")
		if strings.Contains(findings, "No adverse finding") {
			t.Errorf("declared %v: the report says there was no adverse finding: %s", declared, findings)
		}
		if declared && !strings.Contains(findings, "Are there signs of beatings?: Yes.") {
			t.Errorf("the declared adverse answer is not among the key findings:\n%s", findings)
		}
		if !declared && !strings.Contains(findings, "Findings not assessed") {
			t.Errorf("a checklist declaring no adverse answer: want its findings not assessed:\n%s", findings)
		}
	}
}
