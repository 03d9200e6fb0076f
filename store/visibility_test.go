package store_test

import (
	"context"
	"fmt"
	"testing"

	"inspecta/schema"
	"inspecta/store"
)

// TestVisibleRecordsAgreesWithTheRule checks the pull's SQL, generated from
// the rule, against the rule itself: for every reader of every role and every
// record of every type in every relation, the SQL selects a record exactly
// when schema.RecordAccess says Visible.
func TestVisibleRecordsAgreesWithTheRule(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	users := map[string]*store.User{}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Write(ctx, func(tx *store.Tx) error {
		for _, u := range []store.NewUser{
			{Username: "author", Role: "member", Region: "KZ-KAR"},
			{Username: "teammate", Role: "member", Region: "KZ-KAR"},
			{Username: "regionmember", Role: "member", Region: "KZ-KAR"},
			{Username: "othermember", Role: "member", Region: "KZ-ALA"},
			{Username: "coordinator", Role: "coordinator", Region: "KZ-KAR"},
			{Username: "othercoord", Role: "coordinator", Region: "KZ-ALA"},
			{Username: "staffer", Role: "staff"},
			{Username: "administrator", Role: "admin"},
		} {
			u.Password = "visibility-test-passphrase"
			created, err := tx.CreateUser(u)
			if err != nil {
				return err
			}
			users[u.Username] = created
		}
		if _, err := tx.Exec(`INSERT INTO facilities (id, name, region) VALUES ('f1', 'F', 'KZ-KAR')`); err != nil {
			return err
		}
		for _, v := range []string{"v-team", "v-other"} {
			if _, err := tx.Exec(`INSERT INTO visits (id, facility_id) VALUES (?, 'f1')`, v); err != nil {
				return err
			}
		}
		for _, name := range []string{"author", "teammate"} {
			if _, err := tx.Exec(`INSERT INTO visit_team (visit_id, user_id) VALUES ('v-team', ?)`, users[name].ID); err != nil {
				return err
			}
		}
		// One record of every type in every combination of visit and author.
		seq := 0
		for _, typ := range schema.RecordTypeNames {
			for _, visit := range []string{"", "v-team", "v-other"} {
				for _, author := range []string{"", users["author"].ID, users["teammate"].ID} {
					for _, region := range []string{"KZ-KAR", "KZ-ALA"} {
						seq++
						if _, err := tx.Exec(`INSERT INTO record_index (type, id, seq, region, visit_id, author_id) VALUES (?, ?, ?, ?, ?, ?)`,
							typ, fmt.Sprintf("r%d", seq), seq, region, visit, author); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	}))
	checked := 0
	for name, u := range users {
		v := schema.Viewer{UserID: u.ID, Role: u.Role, Region: u.Region}
		cond, args := store.VisibleRecords(v)
		must(db.Read(ctx, func(tx *store.Tx) error {
			selected := map[string]bool{}
			rows, err := tx.Query("SELECT id FROM record_index WHERE "+cond, args...)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", name, cond, err)
			}
			defer rows.Close()
			for rows.Next() {
				var id string
				rows.Scan(&id)
				selected[id] = true
			}
			reader, err := tx.NewReader(v, nil)
			if err != nil {
				return err
			}
			all, err := tx.Query("SELECT type, id, region, visit_id, author_id FROM record_index")
			if err != nil {
				return err
			}
			defer all.Close()
			for all.Next() {
				var typ, id, region, visit, author string
				all.Scan(&typ, &id, &region, &visit, &author)
				want := reader.Access(reader.Subject(schema.RecordType(typ), region, visit, author, "")) == schema.Visible
				if selected[id] != want {
					t.Errorf("%s reading %s (region %s, visit %q, author %q): SQL selects %v; rule says visible = %v",
						name, typ, region, visit, author, selected[id], want)
				}
				checked++
			}
			return all.Err()
		}))
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}
