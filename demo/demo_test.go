package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inspecta/demo"
	"inspecta/review"
	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

func mustOpen(t testing.TB) (*store.DB, *isync.Engine) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.PasswordCost = store.MinPasswordCost // the demo users' passwords protect nothing in a test
	t.Cleanup(func() { db.Close() })
	return db, isync.NewEngine(db)
}

func mustLoad(t testing.TB) (*store.DB, *isync.Engine, *demo.Result) {
	t.Helper()
	db, engine := mustOpen(t)
	res, err := demo.Load(context.Background(), db, engine)
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	return db, engine, res
}

func count(t testing.TB, tx *store.Tx, query string, args ...any) int {
	t.Helper()
	var n int
	if err := tx.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// facilityID returns the id of the one facility whose name contains part.
func facilityID(t testing.TB, tx *store.Tx, part string) string {
	t.Helper()
	list, err := tx.Facilities(store.FacilityFilter{Query: part})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("facilities named %q: %d; want 1", part, len(list))
	}
	return list[0].ID
}

// TestLoad loads the demo once (bcrypt makes each load take a while) and
// checks it in subtests.
func TestLoad(t *testing.T) {
	db, engine, res := mustLoad(t)
	t.Run("records", func(t *testing.T) { testRecords(t, db, res) })
	t.Run("visits a year apart", func(t *testing.T) { testVisitsAYearApart(t, db) })
	t.Run("SIZO 61", func(t *testing.T) { testSIZO61(t, db, engine) })
	t.Run("report findings", func(t *testing.T) { testReportFindings(t, db) })
	t.Run("accounts", func(t *testing.T) { testAccounts(t, db, engine, res) })
	t.Run("second load refused", func(t *testing.T) { testSecondLoadRefused(t, db, engine) })
}

func testRecords(t *testing.T, db *store.DB, res *demo.Result) {
	ctx := context.Background()
	if res.Facilities != 11 || res.Visits < 11 || res.Observations == 0 || res.Recommendations == 0 {
		t.Errorf("Result = %d facilities, %d visits, %d observations, %d recommendations", res.Facilities, res.Visits,
			res.Observations, res.Recommendations)
	}
	err := db.Read(ctx, func(tx *store.Tx) error {
		if n := count(t, tx, "SELECT count(*) FROM facilities"); n != 11 {
			t.Errorf("facilities = %d; want 11", n)
		}
		for _, table := range []string{"facilities", "visits", "users"} {
			if n := count(t, tx, "SELECT count(*) FROM "+table+" WHERE demo = 0"); n != 0 {
				t.Errorf("%s not marked demo = %d; want 0", table, n)
			}
		}
		if n := count(t, tx, "SELECT count(*) FROM facilities WHERE name NOT LIKE '[DEMO] %'"); n != 0 {
			t.Errorf("facilities whose name does not start with [DEMO] = %d; want 0", n)
		}
		if n := count(t, tx, "SELECT count(*) FROM facilities WHERE verified = 0"); n != 0 {
			t.Errorf("unverified facilities = %d; want 0", n)
		}
		if n := count(t, tx, "SELECT count(*) FROM quarantine"); n != 0 {
			t.Errorf("quarantine rows = %d; want 0", n)
		}
		if n := count(t, tx, "SELECT count(*) FROM ops WHERE status <> 'applied'"); n != 0 {
			t.Errorf("ops not applied = %d; want 0", n)
		}
		if n := count(t, tx, "SELECT count(*) FROM conflicts"); n != 0 {
			t.Errorf("conflicts = %d; want 0", n)
		}
		// Every observation says where its value comes from.
		if n := count(t, tx, "SELECT count(*) FROM observations WHERE note = ''"); n != 0 {
			t.Errorf("observations without a note = %d; want 0", n)
		}
		if n := count(t, tx, "SELECT count(*) FROM observations WHERE note LIKE 'Illustrative%'"); n == 0 {
			t.Error("no observation is labelled illustrative")
		}
		// Every facility has a visit; every visit is submitted or approved.
		if n := count(t, tx, "SELECT count(*) FROM facilities WHERE id NOT IN (SELECT facility_id FROM visits)"); n != 0 {
			t.Errorf("facilities without a visit = %d; want 0", n)
		}
		if n := count(t, tx, "SELECT count(*) FROM visits WHERE status NOT IN ('submitted', 'approved')"); n != 0 {
			t.Errorf("visits neither submitted nor approved = %d; want 0", n)
		}
		if n := count(t, tx, "SELECT count(*) FROM visits WHERE status = 'approved'"); n == 0 {
			t.Error("no approved visit")
		}
		if n := count(t, tx, "SELECT count(*) FROM consolidations c JOIN visits v ON v.id = c.visit_id WHERE v.status = 'approved'"); n == 0 {
			t.Error("no consolidation on an approved visit")
		}
		if n := count(t, tx, "SELECT count(*) FROM confidential_notes WHERE text NOT LIKE 'Demo confidential note%'"); n != 0 {
			t.Errorf("confidential notes not marked demo = %d; want 0", n)
		}
		if n := count(t, tx, "SELECT count(*) FROM (SELECT visit_id FROM confidential_notes GROUP BY visit_id HAVING count(*) > 1)"); n != 0 {
			t.Errorf("visits with more than one confidential note = %d; want 0", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testVisitsAYearApart(t *testing.T, db *store.DB) {
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		visits, err := tx.Visits(store.VisitFilter{})
		if err != nil {
			return err
		}
		starts := map[string][]time.Time{}
		for _, v := range visits {
			at, err := time.Parse(time.RFC3339, v.StartedAt)
			if err != nil {
				t.Fatalf("visit %s started_at %q: %v", v.ID, v.StartedAt, err)
			}
			if !v.Demo {
				t.Errorf("visit %s is not marked demo", v.ID)
			}
			starts[v.FacilityID] = append(starts[v.FacilityID], at)
		}
		spread := 0
		for _, ts := range starts {
			first, last := ts[0], ts[0]
			for _, at := range ts {
				if at.Before(first) {
					first = at
				}
				if at.After(last) {
					last = at
				}
			}
			if last.Sub(first) >= 365*24*time.Hour {
				spread++
			}
		}
		if spread < 3 {
			t.Errorf("facilities with visits a year or more apart = %d; want at least 3", spread)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testSIZO61(t *testing.T, db *store.DB, engine *isync.Engine) {
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		id := facilityID(t, tx, "No. 61")
		var lowest float64
		if err := tx.QueryRow(`SELECT min(CAST(o.value AS REAL)) FROM observations o JOIN visits v ON v.id = o.visit_id
			WHERE v.facility_id = ? AND o.item = 'air_temperature_c'`, id).Scan(&lowest); err != nil {
			return err
		}
		if lowest != 14 {
			t.Errorf("lowest cell temperature of SIZO No. 61 = %v; want 14", lowest)
		}

		recs, err := tx.Recommendations(id, "")
		if err != nil {
			return err
		}
		var demolish *store.Recommendation
		for _, r := range recs {
			if strings.HasPrefix(r.Text, "Demolish") {
				demolish = r
			}
		}
		if demolish == nil {
			t.Fatal("SIZO No. 61 has no recommendation to demolish")
		}
		if demolish.Status != "not_implemented" {
			t.Errorf("demolish status = %q; want not_implemented", demolish.Status)
		}
		open, notImplemented := -1, -1
		for i, h := range demolish.History {
			if h.Status == "open" && open < 0 {
				open = i
			}
			if h.Status == "not_implemented" && notImplemented < 0 {
				notImplemented = i
				if h.VisitID == "" || h.VisitID == demolish.VisitID {
					t.Errorf("not_implemented checked at visit %q; want a later visit than %s", h.VisitID, demolish.VisitID)
				}
			}
		}
		if open < 0 || notImplemented <= open {
			t.Errorf("demolish history = %+v; want open, then not_implemented", demolish.History)
		}

		// The coordinator's queue: the latest visit has a disagreement left to resolve.
		visits, err := tx.Visits(store.VisitFilter{FacilityID: id, Status: "submitted"})
		if err != nil {
			return err
		}
		queued := 0
		cat, err := tx.Checklists()
		if err != nil {
			return err
		}
		for _, v := range visits {
			vc, err := review.ConsolidateVisit(tx, v.ID, cat.Template(v.Checklist))
			if err != nil {
				return err
			}
			for _, o := range vc.ToResolve {
				if o.Kind == review.OpenDisagreement && o.Item == "cell_area_m2" {
					queued++
				}
			}
		}
		if queued == 0 {
			t.Error("no disagreement on cell_area_m2 in a submitted SIZO No. 61 visit; the coordinator's queue would be empty")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testReportFindings(t *testing.T, db *store.DB) {
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		tests := []struct {
			facility, query, why string
		}{
			{"Special Reception", `SELECT count(*) FROM locations l
				JOIN observations s ON s.location_id = l.id AND s.item = 'sleeping_places'
				JOIN observations p ON p.location_id = l.id AND p.item = 'persons_present' AND p.author_id = s.author_id
				JOIN visits v ON v.id = l.visit_id WHERE v.facility_id = ? AND CAST(s.value AS REAL) < CAST(p.value AS REAL)`,
				"fewer sleeping places than persons"},
			{"No. 70", `SELECT count(*) FROM observations o JOIN visits v ON v.id = o.visit_id
				WHERE v.facility_id = ? AND o.item = 'bedding_sufficient' AND o.value = 'false'`, "no bed linen"},
			{"No. 70", `SELECT count(*) FROM observations o JOIN visits v ON v.id = o.visit_id
				WHERE v.facility_id = ? AND o.item = 'window_obstructed' AND o.value = '"fully"'`, "windows covered with film"},
			{"No. 75", `SELECT count(*) FROM observations o JOIN visits v ON v.id = o.visit_id
				WHERE v.facility_id = ? AND o.item = 'persons_present' AND CAST(o.value AS REAL) BETWEEN 6 AND 8`, "six to eight per cell"},
			{"Colony No. 15", `SELECT count(*) FROM observations o JOIN visits v ON v.id = o.visit_id
				WHERE v.facility_id = ? AND o.item = 'pests' AND o.value = '"rodents"'`, "rats"},
			{"Pavlodar", `SELECT count(*) FROM observations o JOIN visits v ON v.id = o.visit_id
				WHERE v.facility_id = ? AND o.item = 'lift_available' AND o.value = 'false'`, "no elevator"},
		}
		for _, tt := range tests {
			id := facilityID(t, tx, tt.facility)
			if n := count(t, tx, tt.query, id); n == 0 {
				t.Errorf("%s: no observation shows %s", tt.facility, tt.why)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testAccounts(t *testing.T, db *store.DB, engine *isync.Engine, res *demo.Result) {
	ctx := context.Background()
	roles := map[string]int{}
	for _, a := range res.Accounts {
		roles[a.Role]++
		if !strings.HasPrefix(a.Username, "demo-") {
			t.Errorf("username %q does not start with demo-", a.Username)
		}
		if len(a.Password) != demo.PasswordLength {
			t.Errorf("%s password length = %d; want %d", a.Username, len(a.Password), demo.PasswordLength)
		}
	}
	for _, role := range []string{schema.RoleAdmin, schema.RoleStaff, schema.RoleCoordinator, schema.RoleMember} {
		if roles[role] == 0 {
			t.Errorf("no demo account with role %s", role)
		}
	}
	var member demo.Account
	for _, a := range res.Accounts {
		if a.Username == "demo-member" {
			member = a
		}
	}
	if member.Region != "KZ-KAR" {
		t.Fatalf("demo-member region = %q; want KZ-KAR", member.Region)
	}
	var u *store.User
	if err := db.Read(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.CheckPassword(member.Username, member.Password)
		return err
	}); err != nil {
		t.Fatalf("CheckPassword(demo-member) = %v", err)
	}

	// What the member's device pulls: their region only, facilities marked demo.
	actor := isync.Actor{UserID: u.ID, Role: u.Role, Region: u.Region, DeviceID: "test-device"}
	pull, err := engine.Pull(ctx, actor, isync.Scope{}, 0, isync.MaxPullSize)
	if err != nil {
		t.Fatal(err)
	}
	visits := 0
	for _, c := range pull.Changes {
		switch c.Type {
		case "facility":
			if c.Fields["region"] != "KZ-KAR" || c.Fields["demo"] != true {
				t.Errorf("pulled facility %v", c.Fields)
			}
		case "visit":
			visits++
		}
	}
	if visits == 0 || pull.More {
		t.Errorf("pull as demo-member: %d visits, more = %v; want some visits in one page", visits, pull.More)
	}
}

func testSecondLoadRefused(t *testing.T, db *store.DB, engine *isync.Engine) {
	ctx := context.Background()
	_, err := demo.Load(ctx, db, engine)
	if !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("second Load = %v; want ErrNotEmpty", err)
	}
	if !strings.Contains(err.Error(), "already holds data") {
		t.Errorf("second Load error = %q; want it to say the database already holds data", err)
	}
}

// TestLoadRefusesDatabaseWithAUser: a database with only a user is not empty
// either, and a refused load leaves it untouched.
func TestLoadRefusesDatabaseWithAUser(t *testing.T) {
	ctx := context.Background()
	db2, engine2 := mustOpen(t)
	if err := db2.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.CreateUser(store.NewUser{Username: "admin", Role: schema.RoleAdmin, Password: "a-long-password"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, db2, engine2); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("Load into a database with a user = %v; want ErrNotEmpty", err)
	}
	if err := db2.Read(ctx, func(tx *store.Tx) error {
		if n := count(t, tx, "SELECT count(*) FROM users") + count(t, tx, "SELECT count(*) FROM facilities"); n != 1 {
			t.Errorf("users + facilities after a refused load = %d; want 1", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
