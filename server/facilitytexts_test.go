package server_test

import (
	"net/http"
	"testing"
)

// TestPublicationCheckShowsFlaggedFacilityTexts: a facility's registry texts
// are printed by every report as they are; one that looks like it names a
// person is shown on the check before approval (facility_texts), a safe one
// is not.
func TestPublicationCheckShowsFlaggedFacilityTexts(t *testing.T) {
	f := newFixture(t)
	status, fac := f.api("POST", "/api/v1/facilities", "coord", map[string]any{"name": "ИВС ДП г. Сарань (тест)", "type": "ivs",
		"region": "KZ-KAR", "address": "ул. Тестовая 1, начальник Сапаров Б.", "authority": "ДП Карагандинской области"})
	if status != http.StatusCreated {
		t.Fatalf("create facility = %d %v", status, fac)
	}
	f.facility = fac["id"].(string)
	visit := f.newVisit("aida", "2026-11-27T09:00:00Z", f.users["aida"].ID, f.users["bolat"].ID)
	status, pc := f.api("GET", "/api/v1/visits/"+visit+"/publication-check", "coord", nil)
	if status != http.StatusOK {
		t.Fatalf("publication check = %d %v", status, pc)
	}
	texts, _ := pc["facility_texts"].([]any)
	fields := map[string]bool{}
	for _, x := range texts {
		fields[x.(map[string]any)["field"].(string)] = true
	}
	if !fields["address"] || fields["name"] || fields["authority"] {
		t.Errorf("facility_texts = %v; want the address only", texts)
	}
	// The facility of the fixture's visit names no one: an empty list.
	status, pc = f.api("GET", "/api/v1/visits/"+f.visit+"/publication-check", "coord", nil)
	if list, ok := pc["facility_texts"].([]any); status != http.StatusOK || !ok || len(list) != 0 {
		t.Errorf("facility_texts of a safe facility = %v (%d); want an empty list", pc["facility_texts"], status)
	}
}
