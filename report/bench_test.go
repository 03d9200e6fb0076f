package report_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"inspecta/report"
	"inspecta/store"
)

// BenchmarkFacilityReport renders the PDF of a facility with 20 visits of 30
// locations, each location answered on about 35 items, from the database.
func BenchmarkFacilityReport(b *testing.B) {
	f := newFixture(b)
	f.facilityID = newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "facility", f.facilityID, map[string]any{"name": "Учреждение для замера", "type": "colony", "region": "KZ-KAR"})
	})
	start := time.Date(2020, 1, 15, 9, 0, 0, 0, time.UTC)
	for vi := 0; vi < 20; vi++ {
		visit := newID()
		f.write(func(tx *store.Tx) {
			f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": f.facilityID, "kind": "regular",
				"started_at": start.AddDate(0, vi*3, 0).Format(time.RFC3339), "team": []string{f.m1.ID}})
			f.observe(tx, f.m1, visit, "", "official_capacity", 1200, "")
			f.observe(tx, f.m1, visit, "", "headcount", 1000+vi*20, "")
			f.observe(tx, f.m1, visit, "", "debrief_held", true, "")
			for li := 0; li < 30; li++ {
				loc := newID()
				f.op(tx, f.coord, "location", loc, map[string]any{"visit_id": visit, "label": fmt.Sprintf("Cell %d", li+1), "kind": "cell"})
				vals := map[string]any{
					"location_type": "multiple", "cell_area_m2": 20.0 + float64(li%7), "persons_present": 4 + li%5,
					"wall_distance_m": 2.1, "ceiling_height_m": 2.6, "sleeping_places": 5, "hours_locked_in_h": 20.0,
					"outdoor_exercise_min": 60.0, "air_temperature_c": 15.0 + float64((li+vi)%6), "outdoor_temperature_c": -10.0,
					"heating_working": li%3 != 0, "window_openable": true, "window_obstructed": "partly", "daylight_sufficient": true,
					"lights_on_all_night": false, "ventilation": "natural", "damp_or_mould": li%4 == 0, "toilet_in_cell": true,
					"toilet_partition": "partial", "toilets_working": 1, "running_water": true, "drinking_water_l_per_person": 2.5,
					"hot_water": false, "showers_per_week": 1.0, "hygiene_products_free": false, "pests": "insects",
					"sewage_problems": li%5 == 0, "bedding_sufficient": true, "step_free_route": false, "ramp_slope_percent": 9.0,
					"accessible_toilet_shower": false, "lift_available": false, "accessible_information": false,
					"air_temp_measured_at": start.AddDate(0, vi*3, 0).Format(time.RFC3339),
				}
				for item, v := range vals {
					f.observe(tx, f.m1, visit, loc, item, v, "")
				}
			}
			f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
		})
	}
	bld := report.NewBuilder(f.db)
	for _, detail := range []string{report.DetailSummary, report.DetailAll} {
		b.Run(detail, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r, err := bld.Facility(f.ctx, f.facilityID, report.Request{Lang: "ru", Detail: detail, IncludeUnapproved: true})
				if err != nil {
					b.Fatal(err)
				}
				if err := r.WritePDF(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
