package sync_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"inspecta/schema"
	"inspecta/store"
	isync "inspecta/sync"
)

// The lean storage migrations (0014 on, issue 15) rewrite the record index
// and the op log into tables of numbers. TestLeanStorageMigrationKeepsEverything
// fills a database through the engine (answers of two members, two devices
// of one member writing the same answer, a second id for an answer, a
// delete, rejections, an approval), writes it back into the tables as they
// were before migration 0014 (downgradeLeanStorage), adds rows only an older
// server could have written, and opens it again: the migration must give
// back every row of the record index and the op log as it was, and the
// engine must answer pulls, the audit trail and a resent push exactly as
// before.

// leanScenario is what the test pushed, to send again.
type leanScenario struct {
	actors map[string]isync.Actor
	// logged are the fields the op log must read for each applied
	// operation: its fields as sent, keys sorted.
	logged  map[string]string
	batches []leanBatch
	visitID string
	records [][2]string // type, id
}

type leanBatch struct {
	actor string
	ops   []json.RawMessage
}

func stampAt(t time.Time, n int, node string) string {
	return isync.HLC{Wall: t, Counter: n, Node: node}.String()
}

func buildLeanScenario(t *testing.T, db *store.DB, engine *isync.Engine) *leanScenario {
	ctx := context.Background()
	sc := &leanScenario{actors: map[string]isync.Actor{}, logged: map[string]string{}}
	users := map[string]*store.User{}
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, u := range []struct{ name, role, region string }{{"coord", "coordinator", "KZ-KAR"}, {"m1", "member", "KZ-KAR"}, {"m2", "member", "KZ-KAR"}} {
			nu, err := tx.CreateUser(store.NewUser{Username: u.name, Role: u.role, Region: u.region, Password: "password-" + u.name})
			if err != nil {
				return err
			}
			users[u.name] = nu
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	actor := func(name, user, device string) {
		u := users[user]
		sc.actors[name] = isync.Actor{UserID: u.ID, Role: u.Role, Region: u.Region, DeviceID: device}
	}
	actor("coord", "coord", newID())
	actor("m1a", "m1", newID())
	actor("m1b", "m1", newID())
	actor("m2", "m2", newID())
	now := time.Now().UTC().Truncate(time.Millisecond)
	n := 0
	mk := func(a, typ, id, action string, f map[string]any, base map[string]int64) json.RawMessage {
		n++
		o := isync.Op{OpID: newID(), Type: typeOf(typ), ID: id, Action: isync.Action(action), HLC: stampAt(now, n, sc.actors[a].DeviceID), Fields: fields(f), Base: base}
		if f == nil {
			o.Fields = nil
		}
		return raw(o)
	}
	push := func(a string, ops ...json.RawMessage) isync.PushResponse {
		t.Helper()
		res, err := engine.Push(ctx, sc.actors[a], ops)
		if err != nil {
			t.Fatal(err)
		}
		sc.batches = append(sc.batches, leanBatch{a, ops})
		for i, r := range res.Results {
			var o isync.Op
			if r.Status == isync.StatusRejected || json.Unmarshal(ops[i], &o) != nil {
				continue
			}
			names := slices.Sorted(maps.Keys(o.Fields))
			parts := make([]string, len(names))
			for j, name := range names {
				parts[j] = strconv.Quote(name) + ":" + string(o.Fields[name])
			}
			sc.logged[o.OpID] = "{" + strings.Join(parts, ",") + "}"
		}
		return *res
	}
	facility := newID()
	push("coord", mk("coord", "facility", facility, "upsert", map[string]any{"name": "Demo colony", "type": "colony", "region": "KZ-KAR"}, nil))
	sc.visitID = newID()
	cell, yard, spare := newID(), newID(), newID()
	push("m1a",
		mk("m1a", "visit", sc.visitID, "upsert", map[string]any{"facility_id": facility, "kind": "regular", "team": []string{users["m1"].ID, users["m2"].ID}}, nil),
		mk("m1a", "location", cell, "upsert", map[string]any{"visit_id": sc.visitID, "label": "Cell 1", "kind": "cell"}, nil),
		mk("m1a", "location", yard, "upsert", map[string]any{"visit_id": sc.visitID, "label": "Yard «Ш»", "kind": "yard"}, nil),
		mk("m1a", "location", spare, "upsert", map[string]any{"visit_id": sc.visitID, "label": "Store room", "kind": "other"}, nil))
	obs := map[string]string{}
	var ops []json.RawMessage
	for i, item := range []string{"persons_present", "sleeping_places", "heating_working", "cell_area_m2"} {
		id := newID()
		obs[item] = id
		var v any = float64(3 + i)
		if item == "heating_working" {
			v = true
		}
		ops = append(ops, mk("m1a", "observation", id, "upsert", map[string]any{"visit_id": sc.visitID, "location_id": cell, "item": item, "value": v}, nil))
	}
	ops = append(ops, mk("m1a", "observation", newID(), "upsert", map[string]any{"visit_id": sc.visitID, "item": "visit_time_total_h", "value": 4.5, "note": "a \"quoted\" note\nover two lines"}, nil))
	push("m1a", ops...)
	push("m2", mk("m2", "observation", newID(), "upsert", map[string]any{"visit_id": sc.visitID, "location_id": cell, "item": "persons_present", "value": 4}, nil),
		mk("m2", "observation", newID(), "upsert", map[string]any{"visit_id": sc.visitID, "location_id": yard, "item": "persons_present", "value": 12}, nil))
	// Two devices of one member change one answer without seeing each other.
	push("m1a", mk("m1a", "observation", obs["sleeping_places"], "upsert", map[string]any{"value": 7}, map[string]int64{"value": 1}))
	push("m1b", mk("m1b", "observation", obs["sleeping_places"], "upsert", map[string]any{"value": 9}, map[string]int64{"value": 1}))
	// A second id for an answer that has one: merged into it.
	push("m1b", mk("m1b", "observation", newID(), "upsert", map[string]any{"visit_id": sc.visitID, "location_id": cell, "item": "persons_present", "value": 5}, nil))
	// A delete, and rejections (an unknown field, a field the server sets).
	push("m1a", mk("m1a", "location", spare, "delete", nil, nil),
		mk("m1a", "observation", newID(), "upsert", map[string]any{"visit_id": sc.visitID, "item": "no_such_field_here", "colour": 1}, nil),
		mk("m1a", "observation", newID(), "upsert", map[string]any{"visit_id": sc.visitID, "item": "persons_present", "author_id": "x"}, nil),
		json.RawMessage(`{"op_id":"`+newID()+`","type":"observation","id":"not json of the form"`))
	push("m2", mk("m2", "observation", obs["cell_area_m2"], "upsert", map[string]any{"value": 1}, nil)) // another member's answer
	err = db.Write(ctx, func(tx *store.Tx) error {
		fe, err := engine.SetVisitStatus(tx, sc.actors["coord"], sc.visitID, "approved", "", nil)
		if fe != nil {
			t.Fatalf("approve: %+v", fe)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		for what, q := range map[string]string{
			"a conflict":               "SELECT count(*) FROM ops WHERE status = 'conflict'",
			"a rejection":              "SELECT count(*) FROM ops WHERE status = 'rejected' AND error_code <> ''",
			"a merged id":              "SELECT count(*) FROM record_index WHERE merged_into <> ''",
			"a tombstone":              "SELECT count(*) FROM record_index WHERE deleted = 1 AND merged_into = ''",
			"an echo":                  "SELECT count(*) FROM record_index WHERE echo_device <> ''",
			"an approval":              "SELECT count(*) FROM ops WHERE action = 'approve'",
			"fields of several stamps": "SELECT count(*) FROM record_index WHERE versions LIKE '[[%],[%'",
		} {
			var n int
			if err := tx.QueryRow(q).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				t.Errorf("the scenario made no %s", what)
			}
		}
		rows, err := tx.Query("SELECT type, id FROM record_index ORDER BY seq")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r [2]string
			if err := rows.Scan(&r[0], &r[1]); err != nil {
				return err
			}
			sc.records = append(sc.records, r)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// leanSnapshot is what the engine answers of the database: every actor's
// pull from 0, the audit trail of the visit and of every record, the
// records as loaded, and the answers to every push sent again.
func leanSnapshot(t *testing.T, db *store.DB, engine *isync.Engine, sc *leanScenario) map[string]string {
	ctx := context.Background()
	out := map[string]string{}
	put := func(key string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[key] = string(b)
	}
	for name, a := range sc.actors {
		res, err := engine.Pull(ctx, a, isync.Scope{}, 0, isync.MaxPullSize)
		if err != nil {
			t.Fatal(err)
		}
		res.ServerTime = ""
		put("pull "+name, res)
	}
	err := db.Read(ctx, func(tx *store.Tx) error {
		trail, err := tx.AuditTrail(store.AuditFilter{VisitID: sc.visitID})
		if err != nil {
			return err
		}
		put("audit visit", trail)
		for _, r := range sc.records {
			trail, err := tx.AuditTrail(store.AuditFilter{Type: r[0], RecordID: r[1]})
			if err != nil {
				return err
			}
			put("audit "+r[0]+" "+r[1], trail)
			rec, err := tx.LoadRecord(typeOf(r[0]), r[1])
			if err != nil {
				return err
			}
			put("record "+r[0]+" "+r[1], rec)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range sc.batches {
		res, err := engine.Push(ctx, sc.actors[b.actor], b.ops)
		if err != nil {
			t.Fatal(err)
		}
		res.ServerTime = ""
		put(fmt.Sprintf("push again %d", i), res)
	}
	return out
}

// leanTables are the record index and the op log as rows of text, read with
// the column names they had before migration 0014 (tables then, views now).
func leanTables(t *testing.T, conn *sql.DB) map[string][]string {
	out := map[string][]string{}
	for name, q := range map[string]string{
		"record_index": `SELECT type, id, seq, region, visit_id, author_id, deleted, versions, merged_into, echo_device FROM record_index ORDER BY type, id`,
		"observations": `SELECT id, visit_id, location_id, item, value, note, author_id, deleted, seq FROM observations ORDER BY id`,
		"ops": `SELECT op_id, seq, device_id, user_id, type, record_id, action, hlc, fields, status, conflict_id, error_field, error_code,
			error_msg, received_at FROM ops ORDER BY rowid`,
	} {
		rows, err := conn.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if i > 0 {
					b.WriteString(" | ")
				}
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%T:%v", v, v)
			}
			out[name] = append(out[name], b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

// checkLogged compares the fields the op log reads with those sent.
func checkLogged(t *testing.T, db *store.DB, sc *leanScenario) {
	t.Helper()
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		for opID, want := range sc.logged {
			var got string
			if err := tx.QueryRow("SELECT fields FROM ops WHERE op_id = ?", opID).Scan(&got); err != nil {
				return fmt.Errorf("op %s: %w", opID, err)
			}
			if got != want {
				t.Errorf("op %s: the op log reads the fields\n%s\nwant\n%s", opID, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLeanStorageMigrationKeepsEverything(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "inspecta.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.PasswordCost = store.MinPasswordCost
	engine := isync.NewEngine(db)
	sc := buildLeanScenario(t, db, engine)
	checkLogged(t, db, sc)
	want := leanSnapshot(t, db, engine, sc)
	// The versions as a server before migration 0018 wrote them (no stamp as
	// a number): what the downgrade puts back.
	oldVersions := map[[2]string]string{}
	numbered := 0
	err = db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query("SELECT type, id, versions_node FROM record_index")
		if err != nil {
			return err
		}
		var keys [][2]string
		for rows.Next() {
			var k [2]string
			var node string
			if err := rows.Scan(&k[0], &k[1], &node); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
			if node != "" {
				numbered++
			}
		}
		rows.Close()
		for _, k := range keys {
			rec, err := tx.LoadRecord(typeOf(k[0]), k[1])
			if err != nil {
				return err
			}
			oldVersions[k] = store.EncodeVersions(rec.Versions)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if numbered < len(oldVersions)/2 {
		t.Errorf("%d of %d records have stamps written as numbers; want most", numbered, len(oldVersions))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	conn, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=off")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range downgradeLeanStorage {
		if _, err := conn.Exec(stmt); err != nil {
			t.Fatalf("downgrade: %v\n%s", err, stmt)
		}
	}
	for k, v := range oldVersions {
		if _, err := conn.Exec("UPDATE record_index SET versions = ? WHERE type = ? AND id = ?", v, k[0], k[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, stmt := range legacyLeanRows {
		if _, err := conn.Exec(stmt); err != nil {
			t.Fatalf("legacy rows: %v\n%s", err, stmt)
		}
	}
	before := leanTables(t, conn)
	conn.Close()

	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open the database at the schema before 0014: %v", err)
	}
	defer db.Close()
	engine = isync.NewEngine(db)
	conn, err = sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	after := leanTables(t, conn)
	// Migration 0021: every record's region is a number of region_codes,
	// codes that differ only in case kept apart.
	var textRegions int
	var codes string
	if err := conn.QueryRow(`SELECT (SELECT count(*) FROM record_heads WHERE typeof(region) <> 'integer'),
		(SELECT group_concat(quote(code), ',') FROM (SELECT code FROM region_codes ORDER BY code))`).Scan(&textRegions, &codes); err != nil {
		t.Fatal(err)
	}
	if textRegions != 0 || codes != "'','KZ-ALM','KZ-KAR','kz-kar'" {
		t.Errorf("after migration 0021: %d regions kept as text, codes %s; want none, '','KZ-ALM','KZ-KAR','kz-kar'", textRegions, codes)
	}
	// Migration 0022: every answer's item is a number of item_codes, one
	// code for each item the answers name.
	var textItems, itemCodes, items int
	if err := conn.QueryRow(`SELECT (SELECT count(*) FROM observation_rows WHERE typeof(item) <> 'integer'),
		(SELECT count(*) FROM item_codes), (SELECT count(DISTINCT item) FROM observations)`).Scan(&textItems, &itemCodes, &items); err != nil {
		t.Fatal(err)
	}
	if textItems != 0 || itemCodes != items || items < 4 {
		t.Errorf("after migration 0022: %d items kept as text, %d codes for %d items; want none, one code each", textItems, itemCodes, items)
	}
	// The migration stored numbers where the texts write back from them:
	// the rows of the scenario all but the approval (stamped by "server"),
	// and of the older server's, the three that can.
	for what, q := range map[string]string{
		"stamps kept as text": `SELECT group_concat(op_id) FROM op_log WHERE typeof(clock) <> 'integer' AND record <> (SELECT no FROM uuids WHERE id = 'l8') AND (op_id LIKE 'legacy-%' OR
			type <> (SELECT no FROM uuids WHERE id = 'visit') OR action <> (SELECT no FROM uuids WHERE id = 'approve'))`,
		"times kept as text": `SELECT group_concat(op_id) FROM op_log WHERE typeof(received) <> 'integer' AND op_id LIKE 'legacy-%'`,
		"visits in fields":   `SELECT group_concat(op_id) FROM ops WHERE fields LIKE '%"visit_id":"%' AND rowid IN (SELECT rowid FROM op_log WHERE visit IS NULL)`,
		"answer keys in fields": `SELECT group_concat(o.op_id) FROM ops o JOIN op_log l ON l.rowid = o.rowid WHERE o.type = 'observation'
			AND o.status <> 'rejected' AND (o.fields LIKE '{"item":%' OR o.fields LIKE '{"location_id":%') AND l.keyed IS NULL`,
		"answer keys left out": `SELECT CASE WHEN count(*) >= 7 THEN '' ELSE count(*) END FROM op_log WHERE keyed IS NOT NULL`,
		"op_ids kept as text":  `SELECT group_concat(op_id, ' ' ORDER BY rowid) FROM op_log WHERE typeof(op_id) <> 'blob' AND op_id NOT LIKE 'legacy-%'`,
		"op_ids as blobs": `SELECT CASE WHEN count(*) >= 20 AND count(*) = (SELECT count(*) FROM op_log WHERE op_id NOT LIKE 'legacy-%') - 5
			THEN '' ELSE count(*) END FROM op_log WHERE typeof(op_id) = 'blob' AND length(op_id) = 16`,
	} {
		var list sql.NullString
		if err := conn.QueryRow(q).Scan(&list); err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"stamps kept as text": "legacy-1,legacy-2,legacy-3,legacy-4,legacy-5",
			"times kept as text": "legacy-2,legacy-3,legacy-4",
			"visits in fields":   "legacy-2,legacy-3,legacy-4,legacy-6,legacy-8",
			"op_ids kept as text": "01A22B21-491B-7B41-88B7-0C09EBAF39CB {01a22b21-491b-7b41-88b7-0c09ebaf39cc} 01a22b21491b7b4188b70c09ebaf39cd " +
				"01a22b21-491b7-b41-88b7-0c09ebaf39ce 01a22b21-491b-7b41-88b7-0c09ebaf39cg"}[what]; list.String != want {
			t.Errorf("%s: %s; want %s", what, list.String, want)
		}
	}
	// Migration 0020: a canonical lower-case UUID is stored as its 16 bytes,
	// every other text (a type name, '', capitals, braces, a urn:, one
	// digit short or long, a space, no dashes) as itself.
	var blobs, texts, canonicalTexts int
	var oddKept string
	if err := conn.QueryRow(`SELECT (SELECT count(*) FROM uuid_rows WHERE typeof(id) = 'blob' AND length(id) = 16),
			(SELECT count(*) FROM uuid_rows WHERE typeof(id) = 'text'),
			(SELECT count(*) FROM uuid_rows WHERE typeof(id) = 'text' AND id GLOB ?),
			(SELECT group_concat(id, ' ') FROM (SELECT id FROM uuid_rows WHERE typeof(id) = 'text' AND id IN (?, ?, ?, ?, ?, ?, ?, ?, '', 'visit') ORDER BY id))`,
		strings.Repeat("[0-9a-f]", 8)+"-"+strings.Repeat("[0-9a-f]", 4)+"-"+strings.Repeat("[0-9a-f]", 4)+"-"+strings.Repeat("[0-9a-f]", 4)+"-"+strings.Repeat("[0-9a-f]", 12),
		"ABCDEF01-0000-7000-8000-000000000001", "{abcdef01-0000-7000-8000-000000000002}", "urn:uuid:abcdef01-0000-7000-8000-000000000003",
		"abcdef01-0000-7000-8000-00000000000", "abcdef01-0000-7000-8000-0000000000000", "abcdef01-0000-7000-8000-00000000000g",
		" abcdef01-0000-7000-8000-000000000004", "abcdef01000070008000000000000005").Scan(&blobs, &texts, &canonicalTexts, &oddKept); err != nil {
		t.Fatal(err)
	}
	if blobs < 20 || canonicalTexts != 0 {
		t.Errorf("uuid_rows holds %d blobs and %d canonical UUIDs as text; want every canonical UUID (20 or more) as a blob", blobs, canonicalTexts)
	}
	if want := "  abcdef01-0000-7000-8000-000000000004 ABCDEF01-0000-7000-8000-000000000001 abcdef01-0000-7000-8000-00000000000 abcdef01-0000-7000-8000-0000000000000 " +
		"abcdef01-0000-7000-8000-00000000000g abcdef01000070008000000000000005 urn:uuid:abcdef01-0000-7000-8000-000000000003 " +
		"visit {abcdef01-0000-7000-8000-000000000002}"; oddKept != want {
		t.Errorf("the odd ids kept as text: %q; want %q", oddKept, want)
	}
	conn.Close()
	for name := range before {
		if len(before[name]) == 0 {
			t.Errorf("%s: no row before the migration", name)
		}
		if !reflect.DeepEqual(before[name], after[name]) {
			t.Errorf("%s after the migration differs:", name)
			for i := range max(len(before[name]), len(after[name])) {
				var b, a string
				if i < len(before[name]) {
					b = before[name][i]
				}
				if i < len(after[name]) {
					a = after[name][i]
				}
				if a != b {
					t.Errorf("row %d\nbefore %s\nafter  %s", i, b, a)
				}
			}
		}
	}
	checkLogged(t, db, sc)
	got := leanSnapshot(t, db, engine, sc)
	for key, w := range want {
		if got[key] != w {
			t.Errorf("%s after the migration:\n%s\nwant\n%s", key, got[key], w)
		}
	}
	if problems, err := db.Check(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("check after the migration: %v %v", problems, err)
	}
	// The old table's foreign keys hold: an answer to a visit that is not
	// one, or by someone who is not a user, is refused.
	for _, bad := range [][2]string{{newID(), ""}, {sc.visitID, newID()}} {
		err = db.Write(ctx, func(tx *store.Tx) error {
			author := bad[1]
			if author == "" {
				author = sc.actors["m1a"].UserID
			}
			_, err := tx.Exec(`INSERT INTO observations (id, visit_id, location_id, item, value, author_id) VALUES (?, ?, '', 'x', '1', ?)`,
				newID(), bad[0], author)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
			t.Errorf("an answer of visit %s by %s stored: %v; want refused", bad[0], bad[1], err)
		}
	}
	// An interned id gone would hide its rows from the views: the check says so.
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec("DELETE FROM uuid_rows WHERE id = ?", store.IDKey(sc.visitID))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := db.Check(ctx)
	if err != nil || !strings.Contains(strings.Join(problems, "\n"), "interned id") {
		t.Errorf("check with an interned id deleted = %v %v; want it named", problems, err)
	}
	// A region code gone would hide its records from the view: the check says so.
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec("DELETE FROM region_codes WHERE code = 'kz-kar'")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	problems, err = db.Check(ctx)
	if err != nil || !strings.Contains(strings.Join(problems, "\n"), "1 sync bookkeeping row(s) naming a region code that is not stored") {
		t.Errorf("check with a region code deleted = %v %v; want it named", problems, err)
	}
	// An item code gone would hide its answers from the view: the check says so.
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec("DELETE FROM item_codes WHERE code = 'cell_area_m2'")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	problems, err = db.Check(ctx)
	if err != nil || !strings.Contains(strings.Join(problems, "\n"), "1 observation(s) naming an item code that is not stored") {
		t.Errorf("check with an item code deleted = %v %v; want it named", problems, err)
	}
}

// downgradeLeanStorage writes a database of the current schema back into the
// tables as they were before migration 0014, and forgets the migrations.
var downgradeLeanStorage = []string{
	`CREATE TABLE record_index_old AS SELECT type, id, seq, region, visit_id, author_id, deleted, versions, merged_into, echo_device FROM record_index`,
	`CREATE TABLE ops_old AS SELECT rowid AS n, op_id, seq, device_id, user_id, type, record_id, action, hlc, fields, status, conflict_id,
		error_field, error_msg, received_at, error_code FROM ops`,
	`DROP VIEW ops`,
	`DROP TABLE op_log`,
	`CREATE TABLE ops (
		op_id       TEXT PRIMARY KEY,
		seq         INTEGER,
		device_id   TEXT NOT NULL DEFAULT '',
		user_id     TEXT NOT NULL DEFAULT '',
		type        TEXT NOT NULL,
		record_id   TEXT NOT NULL,
		action      TEXT NOT NULL,
		hlc         TEXT NOT NULL DEFAULT '',
		fields      TEXT NOT NULL DEFAULT '{}',
		status      TEXT NOT NULL,
		conflict_id TEXT NOT NULL DEFAULT '',
		error_field TEXT NOT NULL DEFAULT '',
		error_msg   TEXT NOT NULL DEFAULT '',
		received_at TEXT NOT NULL,
		error_code  TEXT NOT NULL DEFAULT ''
	)`,
	`INSERT INTO ops (rowid, op_id, seq, device_id, user_id, type, record_id, action, hlc, fields, status, conflict_id, error_field,
		error_msg, received_at, error_code) SELECT * FROM ops_old ORDER BY n`,
	`DROP TABLE ops_old`,
	`CREATE INDEX ops_record ON ops(type, record_id)`,
	`CREATE INDEX ops_seq ON ops(seq)`,
	`CREATE TABLE observations_old AS SELECT id, visit_id, location_id, item, value, note, author_id, deleted, seq FROM observations`,
	`DROP VIEW observations`,
	`DROP TABLE observation_rows`,
	`CREATE TABLE observations (
		id          TEXT PRIMARY KEY,
		visit_id    TEXT NOT NULL REFERENCES visits(id),
		location_id TEXT NOT NULL DEFAULT '',
		item        TEXT NOT NULL,
		value       TEXT,
		note        TEXT NOT NULL DEFAULT '',
		author_id   TEXT NOT NULL REFERENCES users(id),
		deleted     INTEGER NOT NULL DEFAULT 0,
		seq         INTEGER NOT NULL DEFAULT 0
	)`,
	`INSERT INTO observations SELECT * FROM observations_old`,
	`DROP TABLE observations_old`,
	`CREATE UNIQUE INDEX observations_key ON observations(visit_id, location_id, item, author_id)`,
	`DROP VIEW record_index`,
	`DROP TABLE record_heads`,
	`DROP TABLE region_codes`,
	`DROP TABLE item_codes`,
	`DROP VIEW uuids`,
	`DROP TABLE uuid_rows`,
	`CREATE TABLE record_index (
		type        TEXT NOT NULL,
		id          TEXT NOT NULL,
		seq         INTEGER NOT NULL,
		region      TEXT NOT NULL,
		visit_id    TEXT NOT NULL DEFAULT '',
		author_id   TEXT NOT NULL DEFAULT '',
		deleted     INTEGER NOT NULL DEFAULT 0,
		versions    TEXT NOT NULL DEFAULT '{}',
		merged_into TEXT NOT NULL DEFAULT '',
		echo_device TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (type, id)
	) WITHOUT ROWID`,
	`INSERT INTO record_index SELECT * FROM record_index_old`,
	`DROP TABLE record_index_old`,
	`CREATE UNIQUE INDEX record_index_seq ON record_index(seq)`,
	`CREATE INDEX record_index_region_seq ON record_index(region, seq)`,
	`CREATE INDEX record_index_visit ON record_index(visit_id)`,
	// Only the lean storage migrations: the others (0024 on) changed
	// tables the downgrade keeps as they are.
	`DELETE FROM schema_migrations WHERE name >= '0014' AND name < '0023'`,
}

// legacyLeanRows are rows only an older server (or a restored old backup)
// holds: versions in the first form (before 0006), an id with a capital
// letter, escapes (with sequence numbers below any pull's, so that the
// engine's answers stay those of the scenario).
var legacyLeanRows = []string{
	`INSERT INTO record_index (type, id, seq, region, visit_id, author_id, deleted, versions, merged_into, echo_device) VALUES
		('location', 'ABCDEF01-0000-7000-8000-000000000001', -2, 'KZ-ALM', 'ABCDEF01-0000-7000-8000-000000000000', '', 1,
		 '[[7,"2026-11-29T10:00:00.000Z/0000/d1","d2",["kind","label"]]]', '', 'd"2'),
		('visit', 'ABCDEF01-0000-7000-8000-000000000000', -1, 'KZ-ALM', 'ABCDEF01-0000-7000-8000-000000000000', 'u-old', 0,
		 '[[3,"2026-11-29T10:00:00.000Z/0000/d\"q\\u00e9/x",["team"]]]', '', ''),
		('location', '{abcdef01-0000-7000-8000-000000000002}', -3, 'KZ-ALM', 'urn:uuid:abcdef01-0000-7000-8000-000000000003', '', 1,
		 '{}', 'abcdef01-0000-7000-8000-00000000000', 'abcdef01-0000-7000-8000-0000000000000'),
		('location', 'abcdef01-0000-7000-8000-00000000000g', -4, 'KZ-ALM', ' abcdef01-0000-7000-8000-000000000004', '', 1,
		 '{}', 'abcdef0100007000800000000000000' || '5', 'abcdef01-0000-7000-8000-000000000006'),
		('location', 'ABCDEF01-0000-7000-8000-000000000007', -5, '', 'ABCDEF01-0000-7000-8000-000000000000', '', 0, '{}', '', ''),
		('location', 'ABCDEF01-0000-7000-8000-000000000008', -6, 'kz-kar', 'ABCDEF01-0000-7000-8000-000000000000', '', 0, '{}', '', '')`,
	// Op log rows whose stamp, time or fields do not write back from numbers:
	// a stamp of another node, of a counter of five digits, before 1970, with
	// an offset; a time in another form; a visit_id not last, escaped, empty,
	// in a nested object; fields of one visit_id alone; an empty stamp.
	`INSERT INTO ops (op_id, seq, device_id, user_id, type, record_id, action, hlc, fields, status, received_at) VALUES
		('legacy-1', NULL, 'd1', 'u1', 'location', 'ABCDEF01-0000-7000-8000-000000000001', 'upsert', '2026-11-29T10:00:00.000Z/0000/server',
		 '{"label":"x","visit_id":"ABCDEF01-0000-7000-8000-000000000000"}', 'rejected', '2026-11-29T10:00:00.000Z'),
		('legacy-2', NULL, 'd1', 'u1', 'location', 'l2', 'upsert', '2026-11-29T10:00:00.000Z/12345/d1',
		 '{"visit_id":"v\u0031","label":"y"}', 'rejected', '2026-11-29T10:00:00Z'),
		('legacy-3', NULL, 'd1', 'u1', 'location', 'l3', 'upsert', '1969-12-31T23:59:59.999Z/0001/d1',
		 '{"visit_id":""}', 'rejected', '2026-11-29 10:00:00'),
		('legacy-4', NULL, 'd1', 'u1', 'location', 'l4', 'upsert', '2026-11-29T10:00:00.000+05:00/0001/d1',
		 '{"value":{"visit_id":"abc"}}', 'rejected', ''),
		('legacy-5', NULL, '', '', 'location', 'l5', 'delete', '', '{"visit_id":"abc"}', 'rejected', '1970-01-01T00:00:00.000Z'),
		('legacy-6', NULL, 'd"1', 'u1', 'location', 'l6', 'upsert', '9999-12-31T23:59:59.999Z/9999/d"1',
		 '{,"visit_id":"abc"}', 'rejected', '9999-12-31T23:59:59.999Z'),
		('legacy-7', NULL, 'd1', 'u1', 'location', 'l7', 'upsert', '2026-11-29T10:00:00.000Z/0000/d1',
		 '{"label":"«Ш»","visit_id":"abc-DEF-0"}', 'rejected', '2026-11-29T10:00:00.000Z'),
		('legacy-8', NULL, 'ABCDEF01-0000-7000-8000-00000000000D', 'abcdef01-0000-7000-8000-00000000000e', 'location',
		 'urn:uuid:abcdef01-0000-7000-8000-000000000003', 'upsert', '2026-11-29T10:00:00.000Z/0000/ABCDEF01-0000-7000-8000-00000000000D',
		 '{"label":"z","visit_id":"{abcdef01-0000-7000-8000-000000000002}"}', 'rejected', '2026-11-29T10:00:00.000Z')`,
	// op_ids an older server took in forms other than the canonical one
	// (migration 0019 keeps them as text): capitals, braces, no dashes, a
	// dash out of place, a letter past f.
	`INSERT INTO ops (op_id, seq, device_id, user_id, type, record_id, action, hlc, fields, status, received_at) VALUES
		('01A22B21-491B-7B41-88B7-0C09EBAF39CB', NULL, 'd1', 'u1', 'location', 'l8', 'upsert', '', '{}', 'rejected', ''),
		('{01a22b21-491b-7b41-88b7-0c09ebaf39cc}', NULL, 'd1', 'u1', 'location', 'l8', 'upsert', '', '{}', 'rejected', ''),
		('01a22b21491b7b4188b70c09ebaf39cd', NULL, 'd1', 'u1', 'location', 'l8', 'upsert', '', '{}', 'rejected', ''),
		('01a22b21-491b7-b41-88b7-0c09ebaf39ce', NULL, 'd1', 'u1', 'location', 'l8', 'upsert', '', '{}', 'rejected', ''),
		('01a22b21-491b-7b41-88b7-0c09ebaf39cg', NULL, 'd1', 'u1', 'location', 'l8', 'upsert', '', '{}', 'rejected', '')`,
}

func typeOf(s string) schema.RecordType { return schema.RecordType(s) }
