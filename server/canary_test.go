package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"inspecta/schema"
	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

// canary is a unique text planted in one confidential or personal field
// through one way in, with the record it ended up in as the rule sees it.
type canary struct {
	text     string
	field    string // as the rule names it
	entry    string // the way in
	subject  schema.Subject
	ruleName string // record type and field, for the report
}

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestCanariesAppearExactlyWhereTheRuleSays plants a unique canary in every
// confidential or personal field (confidential note text, observation note,
// personal text answer, decision reason, reopening reason) through every way
// in (ordinary push, conflicting edits from two devices and from the
// coordinator, a push to a locked visit, malformed operations, desk
// actions), then reads every endpoint that returns record data, the
// reports (PDF through pdftotext, CSV) and the server's log, as every role.
// A canary may appear only where schema.FieldAccess says Visible; where the
// rule says Visible for two readers of the same route, both see it or
// neither; and every canary is seen somewhere (so planting worked).
func TestCanariesAppearExactlyWhereTheRuleSays(t *testing.T) {
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
	logs := &lockedBuffer{}
	srv := server.New(db, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)

	type role struct{ name, username, role, region string }
	roles := []role{
		{"author", "author", "member", "KZ-KAR"},
		{"team member", "teammate", "member", "KZ-KAR"},
		{"member of another region", "othermember", "member", "KZ-ALA"},
		{"coordinator of the region", "coord", "coordinator", "KZ-KAR"},
		{"coordinator of another region", "othercoord", "coordinator", "KZ-ALA"},
		{"staff", "staffer", "staff", ""},
		{"admin", "root", "admin", ""},
	}
	ids := map[string]string{}
	err = db.Write(ctx, func(tx *store.Tx) error {
		for _, r := range roles {
			u, err := tx.CreateUser(store.NewUser{Username: r.username, Role: r.role, Region: r.region, Password: "canary-pass-" + r.username})
			if err != nil {
				return err
			}
			ids[r.username] = u.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	login := func(username, device string) *isync.Client {
		t.Helper()
		c, err := isync.Login(ctx, nil, hs.URL, username, "canary-pass-"+username, device)
		if err != nil {
			t.Fatalf("login %s: %v", username, err)
		}
		return c
	}
	personalLoc, personalVisit := personalItems(t, templates[0])
	team := []string{ids["author"], ids["teammate"]}
	var canaries []*canary
	plant := func(entry, typ, field string, personal bool, author string) string {
		c := &canary{text: fmt.Sprintf("CANARY-%02d-%s", len(canaries)+1, uuid.NewString()[:8]), field: field, entry: entry,
			ruleName: typ + "." + field,
			subject:  schema.Subject{Type: typ, Region: "KZ-KAR", AuthorID: author, Personal: personal}}
		if field == "*" {
			c.ruleName = typ + " (unparsed fields)"
		}
		canaries = append(canaries, c)
		return c.text
	}
	// plantAs records a canary whose text is given (a structured answer as
	// JSON carries it) rather than made up.
	plantAs := func(text, entry, typ, field, author string) {
		canaries = append(canaries, &canary{text: text, field: field, entry: entry, ruleName: typ + "." + field,
			subject: schema.Subject{Type: typ, Region: "KZ-KAR", AuthorID: author}})
	}
	push := func(c *isync.Client) {
		t.Helper()
		if err := c.Push(ctx); err != nil {
			t.Fatal(err)
		}
	}
	upsert := func(c *isync.Client, typ schema.RecordType, id string, fields map[string]any) {
		t.Helper()
		if _, err := c.Upsert(typ, id, fields); err != nil {
			t.Fatal(err)
		}
	}

	coordDev := login("coord", "coordinator's laptop")
	phone := login("author", "author's phone")
	facility, v1, v2, loc := uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()
	upsert(coordDev, "facility", facility, map[string]any{"name": "[TEST] IVS No. 1", "type": "ivs", "region": "KZ-KAR"})
	push(coordDev)
	if err := phone.Pull(ctx); err != nil {
		t.Fatal(err)
	}

	// 1. Ordinary push.
	note, obs := uuid.NewString(), uuid.NewString()
	upsert(phone, "visit", v1, map[string]any{"facility_id": facility, "team": team, "started_at": "2026-11-20T09:00:00Z"})
	upsert(phone, "location", loc, map[string]any{"visit_id": v1, "label": "Cell 1", "kind": "cell"})
	upsert(phone, "confidential_note", note, map[string]any{"visit_id": v1, "location_id": loc,
		"text": plant("ordinary push", "confidential_note", "text", false, ids["author"])})
	upsert(phone, "observation", obs, map[string]any{"visit_id": v1, "location_id": loc, "item": personalLoc,
		"value": plant("ordinary push", "observation", "value", true, ids["author"]),
		"note":  plant("ordinary push", "observation", "note", false, ids["author"])})
	// An obstruction's note (personal text) and an interview: its answers
	// have no free text, so the canaries are the answers as JSON carries them.
	upsert(phone, "obstruction", uuid.NewString(), map[string]any{"visit_id": v1, "kind": "refused", "target": "area",
		"reason_given": "security", "note": plant("ordinary push", "obstruction", "note", false, "")})
	interview := uuid.NewString()
	upsert(phone, "interview", interview, map[string]any{"visit_id": v1, "private_setting": true, "consent": true,
		"fear_of_reprisal": true, "follow_up": true, "complaints": []string{"ill_treatment", "legal"}, "present": []string{"other_detainees"}})
	plantAs(`"fear_of_reprisal":true`, "ordinary push", "interview", "fear_of_reprisal", ids["author"])
	plantAs(`"complaints":["ill_treatment","legal"]`, "ordinary push", "interview", "complaints", ids["author"])
	plantAs(`"present":["other_detainees"]`, "ordinary push", "interview", "present", ids["author"])
	upsert(phone, "visit", v1, map[string]any{"status": "submitted"})
	push(phone)

	// 2. Conflicting edits: the author's phone and laptop, and the coordinator.
	laptop := login("author", "author's laptop")
	for _, c := range []*isync.Client{laptop, coordDev} {
		if err := c.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	upsert(phone, "confidential_note", note, map[string]any{"text": plant("conflicting edits", "confidential_note", "text", false, ids["author"])})
	upsert(phone, "observation", obs, map[string]any{"note": plant("conflicting edits", "observation", "note", false, ids["author"])})
	upsert(laptop, "confidential_note", note, map[string]any{"text": plant("conflicting edits", "confidential_note", "text", false, ids["author"])})
	upsert(laptop, "observation", obs, map[string]any{"note": plant("conflicting edits", "observation", "note", false, ids["author"])})
	upsert(coordDev, "confidential_note", note, map[string]any{"text": plant("conflicting edits", "confidential_note", "text", false, ids["author"])})
	push(phone)
	push(laptop)
	push(coordDev)

	// 3. A push to a locked (approved) visit.
	upsert(phone, "visit", v2, map[string]any{"facility_id": facility, "team": team, "started_at": "2026-11-21T09:00:00Z", "status": "submitted"})
	push(phone)
	approveShown(t, hs.URL, coordDev.State.Token, v2)
	upsert(phone, "confidential_note", uuid.NewString(), map[string]any{"visit_id": v2,
		"text": plant("push to a locked visit", "confidential_note", "text", false, ids["author"])})
	upsert(phone, "observation", uuid.NewString(), map[string]any{"visit_id": v2, "item": personalVisit,
		"value": plant("push to a locked visit", "observation", "value", true, ids["author"]),
		"note":  plant("push to a locked visit", "observation", "note", false, ids["author"])})
	push(phone)

	// 4. Malformed operations, kept verbatim in quarantine.
	hlc := isync.HLC{Wall: time.Now(), Node: phone.State.DeviceID}.String()
	malformed := []string{
		fmt.Sprintf(`{"op_id":%q,"type":"confidential_note","id":%q,"action":"upsert","hlc":%q,"fields":{"visit_id":%q,"text":%q},"extra":1}`,
			uuid.NewString(), uuid.NewString(), hlc, v1, plant("malformed op", "confidential_note", "text", false, ids["author"])),
		fmt.Sprintf(`{"op_id":%q,"type":"observation","id":%q,"action":"upsert","hlc":%q,"fields":%q}`,
			uuid.NewString(), uuid.NewString(), hlc, plant("malformed op", "observation", "*", false, ids["author"])),
	}
	deskCall(t, hs.URL, phone.State.Token, "POST", "/api/v1/sync/push",
		json.RawMessage(`{"ops":[`+strings.Join(malformed, ",")+`]}`), http.StatusOK)

	// 5. Desk actions: a decision with its reason, a reopening with its reason.
	deskCall(t, hs.URL, coordDev.State.Token, "POST", "/api/v1/visits/"+v1+"/consolidations", map[string]any{
		"location_id": loc, "item": personalLoc,
		"value":  plant("desk action", "consolidation", "value", true, ""),
		"reason": plant("desk action", "consolidation", "reason", false, "")}, http.StatusOK)
	deskCall(t, hs.URL, coordDev.State.Token, "POST", "/api/v1/visits/"+v2+"/reopen", map[string]any{
		"reason": plant("desk action", "visit", "status_reason", false, "")}, http.StatusOK)

	// Read everything as everyone.
	routes := []string{
		"/api/v1/sync/pull?since=0&limit=5000",
		"/api/v1/conflicts",
		"/api/v1/conflicts?visit_id=" + v1,
		"/api/v1/quarantine",
		"/api/v1/visits",
		"/api/v1/visits/" + v1,
		"/api/v1/visits/" + v2,
		"/api/v1/visits/" + v1 + "/consolidation",
		"/api/v1/visits/" + v2 + "/consolidation",
		"/api/v1/visits/" + v1 + "/publication-check",
		"/api/v1/visits/" + v2 + "/publication-check",
		"/api/v1/facilities/" + facility,
		"/api/v1/facilities/" + facility + "/history",
		"/api/v1/facilities/" + facility + "/recommendations",
		"/api/v1/facilities/" + facility + "/publication-check",
		"/api/v1/audit?visit_id=" + v1,
		"/api/v1/audit?visit_id=" + v2,
		"/api/v1/audit?type=confidential_note&id=" + note,
		"/api/v1/audit?type=observation&id=" + obs,
		"/api/v1/audit?type=interview&id=" + interview,
		"/api/v1/facilities/" + facility + "/followups",
		"/api/v1/audit/accounts",
		"/api/v1/facilities/" + facility + "/report.pdf?lang=en&unapproved=1",
		"/api/v1/facilities/" + facility + "/report.pdf?lang=ru&unapproved=1&detail=all",
		"/api/v1/facilities/" + facility + "/report.csv?kind=observations&unapproved=1",
		"/api/v1/facilities/" + facility + "/report.csv?kind=indicators&unapproved=1",
		"/api/v1/facilities/" + facility + "/report.csv?kind=recommendations&unapproved=1",
		"/api/v1/regions/KZ-KAR/report.pdf?lang=kk&unapproved=1",
		"/api/v1/regions/KZ-KAR/report.csv?kind=recommendations&unapproved=1",
		"/api/v1/facilities/" + facility + "/report.csv?kind=access&unapproved=1",
		"/api/v1/regions/KZ-KAR/report.csv?kind=access&unapproved=1",
	}
	type read struct {
		route, role string
		ok          bool // answered 200
		body        string
	}
	var reads []read
	for _, r := range roles {
		c := login(r.username, "reader")
		for _, route := range routes {
			status, body := get(t, hs.URL, c.State.Token, route)
			reads = append(reads, read{route: route, role: r.name, ok: status == http.StatusOK, body: body})
			if strings.Contains(route, "/report.") && r.username == "coord" && status != http.StatusOK {
				t.Errorf("%s as the coordinator = %d %.300s; the reports must be read for the check to mean anything", route, status, body)
			}
		}
	}
	reads = append(reads, read{route: "server log", role: "log", ok: true, body: logs.String()})

	viewer := func(roleName string) schema.Viewer {
		for _, r := range roles {
			if r.name == roleName {
				return schema.Viewer{UserID: ids[r.username], Role: r.role, Region: r.region}
			}
		}
		if roleName == "log" {
			return schema.Viewer{Role: schema.RoleLog}
		}
		return schema.Viewer{Role: schema.RolePublic}
	}
	ruleVisible := func(c *canary, roleName string, route string) bool {
		v := viewer(roleName)
		if strings.Contains(route, "/report.") {
			v = schema.Viewer{Role: schema.RolePublic} // a report is read by whoever receives it
		}
		s := c.subject
		s.OnTeam = slices.Contains(team, v.UserID)
		return schema.FieldAccess(v, s, c.field) == schema.Visible
	}

	// The follow-up list: the region's monitors and coordinator read what
	// the interview was about; no one else reads it at all.
	for _, rd := range reads {
		if !strings.HasSuffix(rd.route, "/followups") {
			continue
		}
		rel := schema.RelationOf(viewer(rd.role), schema.Subject{Type: "interview", Region: "KZ-KAR"})
		allowed := schema.FollowUpAccess(rel) == schema.Visible
		if allowed != rd.ok || allowed != strings.Contains(rd.body, `"about":["ill_treatment","legal"]`) {
			t.Errorf("follow-ups read by %s: answered %v, body %.200s; the rule says %v", rd.role, rd.ok, rd.body, schema.FollowUpAccess(rel))
		}
		if strings.Contains(rd.body, interview) || strings.Contains(rd.body, ids["author"]) {
			t.Errorf("follow-ups read by %s name the interview or its author: %.300s", rd.role, rd.body)
		}
	}

	// The desk's interview counts of a visit: for readers who may see the
	// interviews' answers (the region's coordinator), no one else.
	for _, rd := range reads {
		if rd.route != "/api/v1/visits/"+v1 || !rd.ok {
			continue
		}
		s := schema.Subject{Type: "interview", Region: "KZ-KAR", OnTeam: slices.Contains(team, viewer(rd.role).UserID)}
		allowed := schema.FieldAccess(viewer(rd.role), s, "complaints") == schema.Visible
		if got := strings.Contains(rd.body, `"interviews":{`); got != allowed {
			t.Errorf("interview counts in the desk's visit read by %s: %v; the rule says %v", rd.role, got, allowed)
		}
	}

	seen := map[string]int{}
	checks := 0
	for _, c := range canaries {
		for _, rd := range reads {
			checks++
			present := strings.Contains(rd.body, c.text)
			if present {
				seen[c.text]++
			}
			if present && !ruleVisible(c, rd.role, rd.route) {
				t.Errorf("LEAK: %s (%s, %s) appears in %s read by %s; the rule says %v",
					c.text, c.ruleName, c.entry, rd.route, rd.role, schema.FieldAccess(viewer(rd.role), c.subject, c.field))
			}
		}
		// Two readers the rule lets see it, on the same route: both or neither.
		for _, route := range routes {
			var with, without []string
			for _, rd := range reads {
				if rd.route != route || !rd.ok || !ruleVisible(c, rd.role, route) {
					continue
				}
				if strings.Contains(rd.body, c.text) {
					with = append(with, rd.role)
				} else {
					without = append(without, rd.role)
				}
			}
			if len(with) > 0 && len(without) > 0 {
				t.Errorf("%s (%s, %s) on %s: seen by %v but not by %v, though the rule lets them all see it",
					c.text, c.ruleName, c.entry, route, with, without)
			}
		}
		if seen[c.text] == 0 {
			t.Errorf("%s (%s, %s) appears nowhere: the planting did not work", c.text, c.ruleName, c.entry)
		}
	}
	if t.Failed() {
		for _, rd := range reads {
			if rd.route == "/api/v1/quarantine" && rd.role == "admin" {
				t.Logf("quarantine as admin: %.2000s", rd.body)
			}
		}
	}
	fields, entries := map[string]bool{}, map[string]bool{}
	for _, c := range canaries {
		fields[c.ruleName], entries[c.entry] = true, true
	}
	t.Logf("%d canaries: %d fields x %d entry ways; %d routes (+ server log) x %d roles; %d checks; every canary seen %v times",
		len(canaries), len(fields), len(entries), len(routes), len(roles), checks, seen)
}

// personalItems returns a location-scope and a visit-scope personal text item.
func personalItems(t *testing.T, tmpl *schema.Template) (loc, visit string) {
	t.Helper()
	for _, it := range tmpl.Items {
		if it.Personal && it.Scope == schema.ScopeLocation && loc == "" {
			loc = it.ID
		}
		if it.Personal && it.Scope == schema.ScopeVisit && visit == "" {
			visit = it.ID
		}
	}
	if loc == "" || visit == "" {
		t.Fatal("the default checklist has no personal text item of each scope")
	}
	return loc, visit
}

// deskCall makes an API call and fails the test unless it answers want.
func deskCall(t *testing.T, base, token, method, path string, body any, want int) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d %s; want %d", method, path, resp.StatusCode, out, want)
	}
}

// get reads a route as text: JSON and CSV as sent, a PDF through pdftotext.
func get(t *testing.T, base, token, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/pdf") {
		return resp.StatusCode, pdfToText(t, body)
	}
	return resp.StatusCode, string(body)
}

// pdfToText extracts a PDF's text with pdftotext; without poppler-utils the
// test fails on CI (CI=true) and is skipped elsewhere.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install poppler-utils")
		}
		t.Skip("pdftotext not found: install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), uuid.NewString()+".pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
