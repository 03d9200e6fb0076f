package store

import (
	"encoding/json"
	"testing"

	"inspecta/schema"
)

// TestUnreadableValueStaysWithheld: a printable text withheld from staff
// until it passes the pre-approval check is judged by its value; a value
// that cannot be read as JSON is not judged clean (it read as null, which
// counts as nothing to withhold, and was shown).
func TestUnreadableValueStaysWithheld(t *testing.T) {
	r := &Reader{Viewer: schema.Viewer{UserID: "s1", Role: schema.RoleStaff}}
	s := schema.Subject{Type: string(schema.RecordLocation), Region: "KZ-KAR"}
	if got := r.fieldOfValue(s, "label", json.RawMessage(`"Cell 4"`)); got != schema.Visible {
		t.Fatalf("a clean label for staff: %v; want it visible (the test's premise)", got)
	}
	if got := r.fieldOfValue(s, "label", json.RawMessage(`"Cell of Petrov I.I.`)); got == schema.Visible {
		t.Errorf("an unreadable label for staff: visible; want it withheld")
	}
}
