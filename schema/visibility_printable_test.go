package schema

import "testing"

// TestFlaggedPrintableTextWithheldFromStaff: a printable text that the
// pre-approval check flags is withheld (redacted) from a report, staff and
// admins unless cleared; the region's coordinator and the visit's team see
// it; a text that passes the check is shown to all. Redact judges each
// printable value by what it holds.
func TestFlaggedPrintableTextWithheldFromStaff(t *testing.T) {
	loc := Subject{Type: "location", Region: "KZ-KAR", OnTeam: true}
	flagged := map[string]any{"label": "Cell of Nurlan Abenov", "kind": "cell"}
	plain := map[string]any{"label": "Cell 12", "kind": "cell"}
	for _, tt := range []struct {
		v    Viewer
		sees bool
	}{
		{Viewer{Role: RoleStaff}, false},
		{Viewer{Role: RoleAdmin}, false},
		{Viewer{Role: RolePublic}, false},
		{Viewer{Role: RoleCoordinator, Region: "KZ-KAR"}, true},
		{Viewer{Role: RoleMember, Region: "KZ-KAR", UserID: "m1"}, true},
	} {
		out, red := Redact(tt.v, loc, flagged)
		if _, ok := out["label"]; ok != tt.sees {
			t.Errorf("%s sees a flagged label: %v (redacted %v); want %v", tt.v.Role, ok, red, tt.sees)
		}
		if out, _ := Redact(tt.v, loc, plain); out["label"] != "Cell 12" {
			t.Errorf("%s does not see a label that passes the check: %v", tt.v.Role, out)
		}
		cleared := loc
		cleared.Cleared = true
		if FieldAccess(tt.v, cleared, "label") != Visible {
			t.Errorf("%s does not see a cleared label", tt.v.Role)
		}
	}
	// A field that is not printable is not judged by its value.
	if s := CheckedSubject(Subject{Type: "observation"}, "note", "Cell 12"); s.Cleared {
		t.Error("CheckedSubject cleared a personal note by its text")
	}
}
