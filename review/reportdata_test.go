package review_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
)

func TestFacilityReportData(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	templates, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(string) *schema.Template { return templates[0] }
	err = db.Write(ctx, func(tx *store.Tx) error {
		u, err := tx.CreateUser(store.NewUser{Username: "m", Role: "member", Region: "KZ-KAR", Password: "password-m-1"})
		if err != nil {
			return err
		}
		stmts := []string{
			`INSERT INTO facilities (id, name, region) VALUES ('f', 'F', 'KZ-KAR')`,
			`INSERT INTO visits (id, facility_id, started_at, team, status) VALUES ('v1', 'f', '2024-01-10T09:00:00+05:00', '["a","b"]', 'approved')`,
			`INSERT INTO visits (id, facility_id, started_at, status) VALUES ('v0', 'f', '2024-01-11T09:00:00+05:00', 'draft')`,
			`INSERT INTO visits (id, facility_id, started_at, status) VALUES ('v2', 'f', '2025-01-10T09:00:00+05:00', 'approved')`,
			`INSERT INTO locations (id, visit_id, label) VALUES ('l10', 'v1', 'Cell 10'), ('l2', 'v1', 'Cell 2'), ('lx', 'v1', 'Gone')`,
			`UPDATE locations SET deleted = 1 WHERE id = 'lx'`,
		}
		obs := [][]string{
			// id, location, item, value, note, author
			{"o1", "l2", "cell_area_m2", "12", "secret note", "a"},
			{"o2", "l2", "cell_area_m2", "12.4", "", "b"},
			{"o3", "l2", "persons_present", "4", "", "a"},
			{"o4", "l2", "persons_present", "5", "", "b"},
			{"o5", "l2", "air_temperature_c", "14", "", "a"},
			{"o6", "l2", "air_temperature_c", "20", "", "b"},
			{"o7", "", "access_refused_details", `"Name Surname"`, "", "a"},
			{"o8", "l2", "disability_assistance_notes", `"cleared text"`, "cleared note", "a"},
			{"o9", "lx", "cell_area_m2", "9", "", "a"},
		}
		for _, s := range stmts {
			if _, err := tx.Exec(s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		for _, o := range obs {
			author := u.ID
			if o[5] == "b" {
				if _, err := tx.Exec(`INSERT OR IGNORE INTO users (id, username, role, region, password_hash, created_at, updated_at) VALUES ('b', 'b', 'member', 'KZ-KAR', 'x', '', '')`); err != nil {
					return err
				}
				author = "b"
			}
			if _, err := tx.Exec(`INSERT INTO observations (id, visit_id, location_id, item, value, note, author_id) VALUES (?, 'v1', ?, ?, ?, ?, ?)`,
				o[0], o[1], o[2], o[3], o[4], author); err != nil {
				return err
			}
		}
		_, err = tx.Exec(`INSERT INTO consolidations (id, visit_id, location_id, item, value) VALUES ('c1', 'v1', 'l2', 'air_temperature_c', '15')`)
		if err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO publication_clearances (record_type, record_id, field, cleared_by, cleared_at) VALUES
			('observation', 'o8', 'value', ?, ''), ('observation', 'o8', 'note', ?, '')`, u.ID, u.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var d *review.FacilityReportData
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	if err := db.Read(ctx, func(tx *store.Tx) error {
		d, err = review.ReadFacilityReport(tx, "f", store.ReportPeriod{From: from, To: to}, resolve)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(d.Visits) != 1 || d.Visits[0].ID != "v1" || d.DraftVisits != 1 || d.Visits[0].TeamSize != 2 {
		t.Fatalf("visits = %+v, drafts %d; want v1 only with team 2, one draft left out", d.Visits, d.DraftVisits)
	}
	if locs := d.Locations["v1"]; len(locs) != 2 || locs[0].Label != "Cell 2" {
		t.Errorf("locations = %+v; want Cell 2, Cell 10 (deleted one left out)", locs)
	}
	got := map[string]*review.ReportValue{}
	for _, v := range d.Values["v1"] {
		got[v.LocationID+"/"+v.Item] = v
	}
	check := func(key string, source string, value any) *review.ReportValue {
		t.Helper()
		v := got[key]
		if v == nil {
			t.Fatalf("%s missing", key)
		}
		if v.Source != source || v.Value != value {
			t.Errorf("%s = %s %v; want %s %v", key, v.Source, v.Value, source, value)
		}
		return v
	}
	check("l2/cell_area_m2", review.ValueAgreed, 12.2)
	if v := check("l2/persons_present", review.ValueUnresolved, nil); len(v.Candidates) != 2 {
		t.Errorf("candidates = %v; want 4 and 5", v.Candidates)
	}
	check("l2/air_temperature_c", review.ValueConsolidated, 15.0)
	if v := check("/access_refused_details", review.ValueAgreed, nil); !v.Withheld {
		t.Error("a personal text not cleared must be withheld")
	}
	if v := check("l2/disability_assistance_notes", review.ValueAgreed, "cleared text"); len(v.Notes) != 1 || v.Notes[0] != "cleared note" {
		t.Errorf("notes = %q; want only the cleared note", v.Notes)
	}
	if len(got["l2/cell_area_m2"].Notes) != 0 {
		t.Error("an uncleared note was read")
	}
	if _, ok := got["lx/cell_area_m2"]; ok {
		t.Error("a deleted location's value was kept")
	}
	db.Read(ctx, func(tx *store.Tx) error {
		if _, err := review.ReadFacilityReport(tx, "nope", store.ReportPeriod{}, resolve); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown facility: %v; want ErrNotFound", err)
		}
		if _, err := review.ReadRegionReport(tx, "KZ-XXX", store.ReportPeriod{}, resolve); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown region: %v; want ErrNotFound", err)
		}
		return nil
	})
}
