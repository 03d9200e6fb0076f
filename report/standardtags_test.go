package report_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"inspecta/report"
	"inspecta/schema"
	"inspecta/store"
)

// addPoliceFacility adds an IVS of KZ-KAR with one approved visit on the
// checklist ref: one police cell of area m² holding persons detainees at
// temp °C.
func (f *fixture) addPoliceFacility(name, ref, start string, area float64, persons int, temp float64) string {
	f.t.Helper()
	facility, visit, cell := newID(), newID(), newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "facility", facility, map[string]any{"name": name, "type": "ivs", "region": "KZ-KAR"})
		f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": facility, "kind": "regular", "started_at": start,
			"team": []string{f.m1.ID, f.m2.ID}, "checklist": ref, "announced": false, "ombudsperson_rep_present": true})
		f.op(tx, f.coord, "location", cell, map[string]any{"visit_id": visit, "label": "Камера 1", "kind": "police_cell"})
		for _, m := range []*store.User{f.m1, f.m2} {
			f.observe(tx, m, visit, cell, "cell_area_m2", area, "")
			f.observe(tx, m, visit, cell, "persons_present", persons, "")
			f.observe(tx, m, visit, cell, "air_temperature_c", temp, "")
		}
		f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
	})
	f.approve(visit)
	return facility
}

// storeUntaggedPoliceChecklist stores the built-in police checklist as
// version 1 without the standards its indicators measure, as a database
// keeps a version stored before indicators named them.
func (f *fixture) storeUntaggedPoliceChecklist() string {
	f.t.Helper()
	var police *schema.Template
	for _, t := range f.templates {
		if t.ID == "kz-police-custody" {
			police = t
		}
	}
	body, _ := json.Marshal(police)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		f.t.Fatal(err)
	}
	m["version"] = 1
	for _, x := range m["indicators"].([]any) {
		ind := x.(map[string]any)
		delete(ind, "measures")
		delete(ind, "season")
	}
	body, _ = json.Marshal(m)
	sum := sha256.Sum256(body)
	f.write(func(tx *store.Tx) {
		if _, err := tx.Exec(`INSERT INTO checklists (id, version, body, digest, source, imported_at) VALUES ('kz-police-custody', 1, ?, ?, 'embedded', ?)`,
			string(body), hex.EncodeToString(sum[:]), tx.NowText()); err != nil {
			f.t.Fatal(err)
		}
	})
	return "kz-police-custody@1"
}

// TestAnnualStandardsCountEveryIndicatorOfTheStandard: the annual report
// counts a standard over every indicator that measures it, whatever its id:
// police cells (space_per_person_police) count under space beside prison
// cells, also on a checklist version stored before indicators named their
// standard.
func TestAnnualStandardsCountEveryIndicatorOfTheStandard(t *testing.T) {
	f := newFixture(t).build()
	old := f.storeUntaggedPoliceChecklist()
	f.addPoliceFacility("ИВС ДП г. Сарань (тест)", "kz-police-custody@2", "2023-02-10T10:00:00+05:00", 7.5, 4, 20)
	f.addPoliceFacility("Спецприёмник г. Шымкент (тест)", old, "2023-03-10T10:00:00+05:00", 6.84, 4, 20)
	f.addPoliceFacility("ИВС г. Тест (тест)", "kz-police-custody@2", "2023-03-12T10:00:00+05:00", 30, 2, 20)
	ar, err := f.builder().Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: "en", From: date("2023-01-01"), To: date("2023-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	// The SIZO (2.25 m²), Saran (1.88 m²) and Shymkent (1.71 m²) below;
	// the third IVS (15 m²) meets it.
	if s := standard(ar, "space"); s.Below != 3 || s.Assessed != 4 {
		t.Errorf("space = %+v; want 3 of 4 below (the SIZO and both crowded police cells)", s)
	}
}

// TestColdSeasonStandardJudgedInTheColdSeasonOnly: 18 °C is a cold-season
// standard: a visit made in summer neither meets nor misses it (its value
// is shown for comparison), one made in winter is judged. The heat threshold
// (unconfirmed) is never judged, so it puts no facility on the worst list.
func TestColdSeasonStandardJudgedInTheColdSeasonOnly(t *testing.T) {
	f := newFixture(t)
	summer := f.addPoliceFacility("ИВС лето (тест)", "kz-police-custody@2", "2024-07-15T10:00:00+05:00", 30, 2, 33)
	winter := f.addPoliceFacility("ИВС зима (тест)", "kz-police-custody@2", "2024-01-15T10:00:00+05:00", 30, 2, 14)
	ar, err := f.builder().Annual(f.ctx, []string{"KZ-KAR"}, report.Request{Lang: "en", From: date("2024-01-01"), To: date("2024-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if s := standard(ar, "temperature"); s.Below != 1 || s.Assessed != 1 || s.NotJudged != 1 {
		t.Errorf("temperature = %+v; want the winter visit below, the summer one not judged", s)
	}
	for _, w := range ar.Worst {
		if w.Facility.ID == summer {
			t.Errorf("the summer visit (33 °C, space met) is on the worst list: the heat threshold is unconfirmed")
		}
	}
	bands := map[string]string{}
	for _, fr := range ar.Current {
		for _, a := range fr.Latest().Aggregates {
			if a.Applicable {
				bands[fr.Facility.ID+"/"+a.Indicator.ID] = a.Band
			}
		}
	}
	for key, want := range map[string]string{
		summer + "/lowest_temperature":  schema.BandContext,
		summer + "/highest_temperature": schema.BandContext,
		winter + "/lowest_temperature":  schema.BandRed,
	} {
		if bands[key] != want {
			t.Errorf("%s = %q; want %q", key, bands[key], want)
		}
	}
}
