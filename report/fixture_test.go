package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"inspecta/report"
	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// Planted texts that must never reach any export.
const (
	plantedName         = "Testname Testov"
	plantedConfidential = "PLANTED-CONFIDENTIAL allegation of beatings in the corridor"
	plantedNote         = "Testov told us in private"
	clearedNote         = "The corridor lamp was broken (cleared note)"
	facilityName        = "Следственный изолятор № 61 (тест)"
	kazakhRecText       = "Ғимаратты күрделі жөндеу, камераларды жаңа жиһазбен жабдықтау, әйелдерге гигиена құралдарын беру және үй-жайларды Ұлттық стандарттарға сәйкестендіру; Өрт қауіпсіздігін қамтамасыз ету"
)

// fixture is a real database with one facility of KZ-KAR, two approved visits
// a year apart, recorded through the sync engine by two members and their
// coordinator.
type fixture struct {
	t          testing.TB
	ctx        context.Context
	db         *store.DB
	templates  []*schema.Template
	engine     *isync.Engine
	coord      *store.User
	m1, m2     *store.User
	facilityID string
	visits     []string
	small      string // the location where fewer than 3 persons were present
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	templates, err := schema.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: db, templates: templates, engine: isync.NewEngine(db)}
	f.coord = f.user("coord", schema.RoleCoordinator, "KZ-KAR")
	f.m1 = f.user("member1", schema.RoleMember, "KZ-KAR")
	f.m2 = f.user("member2", schema.RoleMember, "KZ-KAR")
	return f
}

func (f *fixture) user(name, role, region string) *store.User {
	f.t.Helper()
	var u *store.User
	err := f.db.Write(f.ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.CreateUser(store.NewUser{Username: name, Name: strings.ToUpper(name[:1]) + name[1:], Role: role, Region: region, Password: "password-" + name})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// op applies one upsert as u inside tx, failing unless it is applied. An
// existing record's fields are based on its latest version.
func (f *fixture) op(tx *store.Tx, u *store.User, typ schema.RecordType, id string, fields map[string]any) {
	f.t.Helper()
	raw := map[string]json.RawMessage{}
	base := map[string]int64{}
	rec, err := tx.LoadRecord(typ, id)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range fields {
		b, _ := json.Marshal(v)
		raw[k] = b
		if rec.Exists {
			base[k] = rec.Seq
		}
	}
	res, err := f.engine.ApplyServerOp(tx, isync.Actor{UserID: u.ID, Role: u.Role, Region: u.Region, DeviceID: "test-" + u.Username},
		isync.Op{Type: typ, ID: id, Action: "upsert", Fields: raw, Base: base})
	if err != nil {
		f.t.Fatal(err)
	}
	if res.Status != isync.StatusApplied {
		f.t.Fatalf("%s %s by %s: %s %+v", typ, id, u.Username, res.Status, res.Error)
	}
}

func (f *fixture) write(fn func(tx *store.Tx)) {
	f.t.Helper()
	if err := f.db.Write(f.ctx, func(tx *store.Tx) error { fn(tx); return nil }); err != nil {
		f.t.Fatal(err)
	}
}

// cell describes one location's answers, identical for both members unless noted.
type cellValues map[string]any

func (f *fixture) observe(tx *store.Tx, u *store.User, visit, loc, item string, value any, note string) string {
	id := newID()
	fields := map[string]any{"visit_id": visit, "item": item, "value": value}
	if loc != "" {
		fields["location_id"] = loc
	}
	if note != "" {
		fields["note"] = note
	}
	f.op(tx, u, "observation", id, fields)
	return id
}

// build loads the standard fixture: visit 1 (2023) and visit 2 (2024) of one SIZO.
func (f *fixture) build() *fixture {
	f.t.Helper()
	f.facilityID = newID()
	f.write(func(tx *store.Tx) {
		f.op(tx, f.coord, "facility", f.facilityID, map[string]any{"name": facilityName, "type": "sizo",
			"region": "KZ-KAR", "authority": "МВД РК", "address": "г. Караганда", "capacity": 900})
	})
	rec1 := newID()
	rec2 := newID()
	dates := []string{"2023-01-18T09:00:00+05:00", "2024-02-06T10:00:00+05:00"}
	for vi, start := range dates {
		visit := newID()
		f.visits = append(f.visits, visit)
		f.write(func(tx *store.Tx) {
			f.op(tx, f.coord, "visit", visit, map[string]any{"facility_id": f.facilityID, "kind": "regular",
				"started_at": start, "team": []string{f.m1.ID, f.m2.ID}, "announced": false,
				"ombudsperson_rep_present": true, "access_refused": vi == 0})
			for _, m := range []*store.User{f.m1, f.m2} {
				f.observe(tx, m, visit, "", "official_capacity", 900, "")
				f.observe(tx, m, visit, "", "headcount", 780+vi*150, "")
				f.observe(tx, m, visit, "", "debrief_held", vi == 1, "")
				f.observe(tx, m, visit, "", "complaint_mechanism", "only_through_staff", "")
				f.observe(tx, m, visit, "", "private_interviews_count", 2, "") // sensitive: printed "fewer than 3"
			}
			// A personal text, never cleared: it names a detainee.
			f.observe(tx, f.m1, visit, "", "access_refused_details", "The punishment block was closed; "+plantedName+" was hidden there", "")
			for li := 0; li < 3; li++ {
				loc := newID()
				f.op(tx, f.coord, "location", loc, map[string]any{"visit_id": visit, "label": fmt.Sprintf("Камера %d", li+2), "kind": "cell"})
				persons := 8
				if li == 1 {
					persons = 2
					if vi == 0 {
						f.small = loc
					}
				}
				vals := cellValues{
					"location_type": "multiple", "cell_area_m2": 18.0 - float64(vi*4), "persons_present": persons,
					"sleeping_places": 6, "air_temperature_c": 14.0 + float64(li), "toilets_working": 1,
					"drinking_water_l_per_person": 3.0, "showers_per_week": 1.0, "outdoor_exercise_min": 60.0,
					"wall_distance_m": 2.4, "ceiling_height_m": 2.8, "heating_working": false, "damp_or_mould": true,
					"hot_water": false, "pests": "rodents",
				}
				for _, m := range []*store.User{f.m1, f.m2} {
					for item, v := range vals {
						note := ""
						if item == "damp_or_mould" && m == f.m1 {
							note = plantedNote + ": " + plantedName
						}
						f.observe(tx, m, visit, loc, item, v, note)
					}
				}
				// Measurements within tolerance agree (mean); outside it, unresolved.
				f.observe(tx, f.m1, visit, loc, "hours_locked_in_h", 22.0, "")
				f.observe(tx, f.m2, visit, loc, "hours_locked_in_h", 22.5, "")
				if li == 2 {
					f.observe(tx, f.m1, visit, loc, "ceiling_height_m", 2.8, "")
					f.observe(tx, f.m1, visit, loc, "outdoor_temperature_c", -18.0, "")
					f.observe(tx, f.m2, visit, loc, "outdoor_temperature_c", -9.0, "")
				}
				f.observe(tx, f.m1, visit, loc, "disability_assistance_notes", plantedName+" uses a wheelchair", "")
				if li == 0 {
					id := f.observe(tx, f.m2, visit, loc, "lights_on_all_night", true, clearedNote)
					if _, err := tx.Exec(`INSERT INTO publication_clearances (record_type, record_id, field, cleared_by, cleared_at)
						VALUES ('observation', ?, 'note', ?, ?)`, id, f.coord.ID, tx.NowText()); err != nil {
						f.t.Fatal(err)
					}
					f.observe(tx, f.m1, visit, loc, "lights_on_all_night", true, "")
				}
			}
			// A member's confidential note: never read by any report.
			f.op(tx, f.m1, "confidential_note", newID(), map[string]any{"visit_id": visit, "text": plantedConfidential + " — " + plantedName})
			if vi == 0 {
				f.op(tx, f.coord, "recommendation", rec1, map[string]any{"facility_id": f.facilityID, "visit_id": visit,
					"text": "Снести здание и построить новое учреждение.", "category": "infrastructure", "addressee": "КУИС МВД", "status": "open"})
				f.op(tx, f.coord, "recommendation", rec2, map[string]any{"facility_id": f.facilityID, "visit_id": visit,
					"text": kazakhRecText, "category": "sanitation", "addressee": "СИЗО № 61", "status": "open"})
			} else {
				f.op(tx, f.coord, "recommendation", rec1, map[string]any{"status": "not_implemented", "checked_visit_id": visit})
				f.op(tx, f.coord, "recommendation", rec2, map[string]any{"status": "implemented", "checked_visit_id": visit})
			}
			f.op(tx, f.coord, "visit", visit, map[string]any{"status": "submitted"})
		})
		f.approve(visit)
	}
	return f
}

// approve has the coordinator approve a submitted visit.
func (f *fixture) approve(visit string) {
	f.t.Helper()
	f.write(func(tx *store.Tx) {
		fe, err := f.engine.SetVisitStatus(tx, isync.Actor{UserID: f.coord.ID, Role: f.coord.Role, Region: f.coord.Region, DeviceID: "test"},
			visit, "approved", "", nil)
		if err != nil || fe != nil {
			f.t.Fatalf("approve: %v %v", err, fe)
		}
	})
}

func (f *fixture) builder() *report.Builder { return report.NewBuilder(f.db) }

func (f *fixture) facilityReport(lang string) *report.FacilityReport {
	f.t.Helper()
	r, err := f.builder().Facility(f.ctx, f.facilityID, report.Request{Lang: lang, GeneratedBy: "Test Staff", Now: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// ---------------------------------------------------------------- PDF tools

// tool finds a poppler-utils command. Without it the test fails on CI
// (CI=true) and is skipped elsewhere; install with apt-get install -y poppler-utils.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := name + " not found: install poppler-utils (apt-get install -y poppler-utils)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

var spaces = regexp.MustCompile(`\s+`)

// pdfText extracts a PDF's text with pdftotext, whitespace collapsed.
func pdfText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin := tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return spaces.ReplaceAllString(string(out), " ")
}

// pdfPages counts a PDF's pages with pdfinfo.
func pdfPages(t testing.TB, pdf []byte) int {
	t.Helper()
	bin := tool(t, "pdfinfo")
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count: %s", out)
	}
	var n int
	fmt.Sscan(string(m[1]), &n)
	return n
}

func renderPDF(t testing.TB, w interface{ WritePDF(io.Writer) error }) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := w.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
