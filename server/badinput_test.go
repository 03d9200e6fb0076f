package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

// badInput is one entry of the catalogue: a request that must get a clear
// 4xx answer (or, for one operation inside a push, a rejection naming its
// field) and must change nothing else.
type badInput struct {
	name    string
	method  string
	path    string
	token   string // "member", "other" (another region), "expired", "revoked", "forged", "none"
	headers map[string]string
	body    []byte
	status  int    // the HTTP status wanted
	opError string // for a push of one operation: part of the rejection's message
}

const sqlInjection = `Cell 1'); DROP TABLE observations; --`
const scriptInjection = `<script>alert("x")</script>`

// TestBadInputCatalogue41 sends 41 kinds of bad input and checks each answer,
// then that nothing recorded before was lost and injection text is stored verbatim.
func TestBadInputCatalogue41(t *testing.T) {
	ctx := context.Background()
	env := newAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	env.user("coord", "coordinator", "KZ-KAR")
	env.user("memberala", "member", "KZ-ALA")
	device, err := isync.Login(ctx, nil, env.hs.URL, "member1", "password-member1", "phone")
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{"member": device.State.Token, "other": env.token("memberala"), "forged": "Zm9yZ2VkLXRva2Vu", "none": ""}
	// A visit with one observation, as the baseline that must survive everything.
	status, fac := env.call("POST", "/api/v1/facilities", env.token("coord"), strings.NewReader(`{"name":"SIZO No. 61","type":"sizo","region":"KZ-KAR"}`))
	if status != http.StatusCreated {
		t.Fatalf("facility = %d %v", status, fac)
	}
	visitID, cellID := uuid.Must(uuid.NewV7()).String(), uuid.Must(uuid.NewV7()).String()
	device.Upsert("visit", visitID, map[string]any{"facility_id": fac["id"], "kind": "regular"})
	device.Upsert("location", cellID, map[string]any{"visit_id": visitID, "label": "Cell 14", "kind": "cell"})
	device.Upsert("observation", uuid.Must(uuid.NewV7()).String(), map[string]any{"visit_id": visitID, "location_id": cellID, "item": "cell_area_m2", "value": 11.5})
	if err := device.Push(ctx); err != nil {
		t.Fatal(err)
	}
	// Tokens that no longer work.
	revoked := env.token("member1")
	env.call("POST", "/api/v1/auth/logout", revoked, nil)
	tokens["revoked"] = revoked
	expired := env.token("member1")
	env.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec("UPDATE devices SET expires_at = '2020-01-01T00:00:00.000Z' WHERE token_hash = ?", store.HashToken(expired))
		return err
	})
	tokens["expired"] = expired

	hlcN := 0
	opJSON := func(typ, id, action string, fields string) string {
		hlcN++
		return fmt.Sprintf(`{"op_id":%q,"type":%q,"id":%q,"action":%q,"hlc":"2026-11-26T10:15:03.120Z/%04d/x","fields":%s}`,
			uuid.Must(uuid.NewV7()).String(), typ, id, action, hlcN, fields)
	}
	obs := func(item, value string) string {
		return opJSON("observation", uuid.Must(uuid.NewV7()).String(), "upsert",
			fmt.Sprintf(`{"visit_id":%q,"location_id":%q,"item":%q,"value":%s}`, visitID, cellID, item, value))
	}
	push := func(ops ...string) []byte {
		return []byte(`{"ops":[` + strings.Join(ops, ",") + `]}`)
	}
	pushCase := func(name, op, wantMsg string) badInput {
		return badInput{name: name, method: "POST", path: "/api/v1/sync/push", token: "member", body: push(op), status: http.StatusOK, opError: wantMsg}
	}
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	manyOps := make([]string, isync.MaxOpsPerPush+1)
	for i := range manyOps {
		manyOps[i] = obs("persons_present", "3")
	}
	catalogue := []badInput{
		// The body of a push as a whole.
		{name: "malformed JSON", method: "POST", path: "/api/v1/sync/push", token: "member", body: []byte(`{"ops":[{"op_id":}`), status: 400},
		{name: "truncated JSON", method: "POST", path: "/api/v1/sync/push", token: "member", body: push(obs("persons_present", "3"))[:60], status: 400},
		{name: "deeply nested JSON", method: "POST", path: "/api/v1/sync/push", token: "member", body: []byte(`{"ops":[` + deep + `]}`), status: 400},
		{name: "invalid UTF-8", method: "POST", path: "/api/v1/sync/push", token: "member", body: append([]byte(`{"ops":[],"device_id":"`), 0xff, 0xfe, '"', '}'), status: 400},
		{name: "empty body", method: "POST", path: "/api/v1/sync/push", token: "member", body: nil, status: 400},
		{name: "array instead of object", method: "POST", path: "/api/v1/sync/push", token: "member", body: []byte(`[1,2]`), status: 400},
		{name: "unknown top-level field", method: "POST", path: "/api/v1/sync/push", token: "member", body: []byte(`{"ops":[],"admin":true}`), status: 400},
		{name: "ops not a list", method: "POST", path: "/api/v1/sync/push", token: "member", body: []byte(`{"ops":"all"}`), status: 400},
		{name: "NaN literal", method: "POST", path: "/api/v1/sync/push", token: "member", body: push(obs("air_temperature_c", "NaN")), status: 400},
		{name: "Infinity literal", method: "POST", path: "/api/v1/sync/push", token: "member", body: push(obs("air_temperature_c", "Infinity")), status: 400},
		{name: "another device's id", method: "POST", path: "/api/v1/sync/push", token: "member", body: []byte(`{"device_id":"` + uuid.Must(uuid.NewV7()).String() + `","ops":[]}`), status: 400},
		{name: "1001 operations", method: "POST", path: "/api/v1/sync/push", token: "member", body: push(manyOps...), status: 413},
		{name: "body over 4 MiB", method: "POST", path: "/api/v1/sync/push", token: "member", body: push(obs("access_refused_details", `"`+strings.Repeat("a", 5<<20)+`"`)), status: 413},
		{name: "text after the push's JSON", method: "POST", path: "/api/v1/sync/push", token: "member", body: append(push(obs("persons_present", "4")), " trailing"...), status: 400},
		{name: "a second JSON value after the push", method: "POST", path: "/api/v1/sync/push", token: "member", body: append(push(obs("persons_present", "5")), ` {"ops":[]}`...), status: 400},
		{name: "a closing brace after the push", method: "POST", path: "/api/v1/sync/push", token: "member", body: append(push(obs("persons_present", "6")), "}"...), status: 400},
		{name: "a closing bracket after a new facility", method: "POST", path: "/api/v1/facilities", token: "member", body: []byte(`{"name":"SIZO No. 62","type":"sizo","region":"KZ-KAR"}]`), status: 400},
		{name: "gzip header on plain text", method: "POST", path: "/api/v1/sync/push", token: "member", headers: map[string]string{"Content-Encoding": "gzip"}, body: push(), status: 400},
		// Who is asking.
		{name: "no token", method: "POST", path: "/api/v1/sync/push", token: "none", body: push(), status: 401},
		{name: "forged token", method: "POST", path: "/api/v1/sync/push", token: "forged", body: push(), status: 401},
		{name: "expired token", method: "GET", path: "/api/v1/sync/pull", token: "expired", status: 401},
		{name: "revoked token", method: "GET", path: "/api/v1/sync/pull", token: "revoked", status: 401},
		// One operation inside a push: rejected with its field, the rest applied.
		pushCase("number as a string", obs("cell_area_m2", `"11.5"`), "must be a number"),
		pushCase("NaN as a string", obs("air_temperature_c", `"NaN"`), "must be a number"),
		pushCase("infinite number", obs("air_temperature_c", "1e999"), "finite"),
		pushCase("out of range", obs("air_temperature_c", "-90"), "between"),
		pushCase("negative count", obs("persons_present", "-3"), "between"),
		pushCase("fraction for a count", obs("persons_present", "2.5"), "whole number"),
		pushCase("boolean for a number", obs("cell_area_m2", "true"), "must be a number"),
		pushCase("unknown choice option", obs("location_type", `"luxury"`), "must be one of"),
		pushCase("unknown item", obs("cell_colour", `"grey"`), "unknown checklist item"),
		pushCase("duplicate keys", `{"op_id":"`+uuid.Must(uuid.NewV7()).String()+`","type":"location","id":"`+cellID+`","action":"upsert","hlc":"2026-11-26T10:15:03.120Z/0999/x","fields":{"label":"A","label":"B"}}`, "appears twice"),
		pushCase("duplicate keys of the operation", `{"op_id":"`+uuid.Must(uuid.NewV7()).String()+`","type":"location","id":"`+cellID+`","action":"upsert","action":"delete","hlc":"2026-11-26T10:15:03.120Z/0999/x","fields":{"label":"A"}}`, "action appears twice"),
		pushCase("duplicate keys inside a value", obs("location_type", `{"cell":1,"cell":2}`), "value.cell appears twice"),
		pushCase("duplicate keys inside a list", obs("location_type", `[{"cell":1,"cell":2}]`), "value.cell appears twice"),
		pushCase("huge string", opJSON("location", uuid.Must(uuid.NewV7()).String(), "upsert", `{"visit_id":"`+visitID+`","label":"`+strings.Repeat("л", 100_000)+`"}`), "characters long"),
		pushCase("id not a UUID", opJSON("location", "cell-14", "upsert", `{"visit_id":"`+visitID+`"}`), "must be a UUID"),
		pushCase("unknown record type", opJSON("prisoner", uuid.Must(uuid.NewV7()).String(), "upsert", `{}`), "unknown record type"),
		pushCase("unknown action", opJSON("location", cellID, "truncate", `{}`), "upsert or delete"),
		pushCase("missing op_id", `{"type":"location","id":"`+cellID+`","action":"upsert","hlc":"2026-11-26T10:15:03.120Z/0001/x","fields":{}}`, "op_id"),
		pushCase("author in the payload", opJSON("observation", uuid.Must(uuid.NewV7()).String(), "upsert", `{"visit_id":"`+visitID+`","item":"headcount","value":3,"author_id":"`+uuid.Must(uuid.NewV7()).String()+`"}`), "set by the server"),
		pushCase("approval through sync", opJSON("visit", visitID, "upsert", `{"status":"approved"}`), "approved by its coordinator"),
		pushCase("unknown visit id", opJSON("location", uuid.Must(uuid.NewV7()).String(), "upsert", `{"visit_id":"`+uuid.Must(uuid.NewV7()).String()+`"}`), "no visit"),
		{name: "other region's visit", method: "POST", path: "/api/v1/sync/push", token: "other", body: push(obs("persons_present", "2")), status: 200, opError: "another region"},
		// Other endpoints.
		{name: "pull with a negative since", method: "GET", path: "/api/v1/sync/pull?since=-1", token: "member", status: 400},
		{name: "pull with a huge limit", method: "GET", path: "/api/v1/sync/pull?limit=999999", token: "member", status: 400},
		{name: "sign-in body over the limit", method: "POST", path: "/api/v1/auth/login", token: "none", body: []byte(`{"username":"` + strings.Repeat("a", 20<<10) + `"}`), status: 413},
		{name: "sign-in with SQL in the username", method: "POST", path: "/api/v1/auth/login", token: "none", body: []byte(`{"username":"' OR 1=1 --","password":"x"}`), status: 401},
	}
	// Injection text is data: stored verbatim and harmless.
	injections := []string{
		opJSON("location", uuid.Must(uuid.NewV7()).String(), "upsert", fmt.Sprintf(`{"visit_id":%q,"label":%q,"kind":"cell"}`, visitID, sqlInjection)),
		opJSON("observation", uuid.Must(uuid.NewV7()).String(), "upsert",
			fmt.Sprintf(`{"visit_id":%q,"item":"access_refused_details","value":%q}`, visitID, scriptInjection)),
	}
	before := snapshot(t, env)
	for _, c := range catalogue {
		req, _ := http.NewRequest(c.method, env.hs.URL+c.path, bytes.NewReader(c.body))
		if tok := tokens[c.token]; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		for k, v := range c.headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: %s %s = %d %.200s; want %d", c.name, c.method, c.path, resp.StatusCode, body, c.status)
			continue
		}
		if c.opError != "" {
			var pr isync.PushResponse
			json.Unmarshal(body, &pr)
			if len(pr.Results) != 1 || pr.Results[0].Status != isync.StatusRejected || pr.Results[0].Error == nil ||
				pr.Results[0].Error.Field == "" || !strings.Contains(pr.Results[0].Error.Message, c.opError) {
				t.Errorf("%s: push answer %.300s; want one rejection naming its field, saying %q", c.name, body, c.opError)
			}
			continue
		}
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(body, &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Errorf("%s: answer %.200s; want a JSON error with a code and a message", c.name, body)
		}
	}
	if len(catalogue) < 40 {
		t.Errorf("the catalogue has %d bad inputs; want at least 40", len(catalogue))
	}
	after := snapshot(t, env)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s went from %d to %d rows after the bad inputs; want no change", table, n, after[table])
		}
	}
	// The injections, pushed as ordinary data, are stored exactly as typed.
	res := postPush(t, env, tokens["member"], push(injections...))
	for _, r := range res.Results {
		if r.Status != isync.StatusApplied {
			t.Errorf("injection text as data = %+v; want applied (it is just text)", r)
		}
	}
	var label, text string
	env.db.Read(ctx, func(tx *store.Tx) error {
		tx.QueryRow("SELECT label FROM locations WHERE label LIKE '%DROP TABLE%'").Scan(&label)
		return tx.QueryRow("SELECT value FROM observations WHERE item = 'access_refused_details'").Scan(&text)
	})
	if label != sqlInjection {
		t.Errorf("stored label = %q; want %q verbatim", label, sqlInjection)
	}
	var stored string
	json.Unmarshal([]byte(text), &stored)
	if stored != scriptInjection {
		t.Errorf("stored text = %q; want %q verbatim", stored, scriptInjection)
	}
	if n := countRows(t, env, "SELECT count(*) FROM observations WHERE item = 'cell_area_m2' AND value = '11.5'"); n != 1 {
		t.Errorf("the baseline observation is gone (%d rows)", n)
	}
	t.Logf("%d bad inputs answered", len(catalogue))
}

func postPush(t *testing.T, env *apiEnv, token string, body []byte) isync.PushResponse {
	t.Helper()
	req, _ := http.NewRequest("POST", env.hs.URL+"/api/v1/sync/push", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var pr isync.PushResponse
	json.NewDecoder(resp.Body).Decode(&pr)
	return pr
}

// snapshot counts the rows of the tables bad input must not change.
func snapshot(t *testing.T, env *apiEnv) map[string]int {
	out := map[string]int{}
	for _, table := range []string{"facilities", "visits", "locations", "observations", "record_index"} {
		out[table] = countRows(t, env, "SELECT count(*) FROM "+table)
	}
	out["applied ops"] = countRows(t, env, "SELECT count(*) FROM ops WHERE status <> 'rejected'")
	return out
}

// TestSlowClientIsCutOff: a client that sends its headers too slowly is
// disconnected by the server's header timeout instead of holding a connection.
func TestSlowClientIsCutOff(t *testing.T) {
	hs := server.NewHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	hs.ReadHeaderTimeout = 300 * time.Millisecond
	ts := httptest.NewUnstartedServer(hs.Handler)
	ts.Config = hs
	ts.Start()
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\n")) // and then nothing
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 512)
	n, err := conn.Read(buf)
	if err == nil && !strings.Contains(string(buf[:n]), "408") {
		t.Errorf("slow client got %q; want the connection closed or 408", buf[:n])
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Error("the server kept a stalled client's connection open for 10 s")
	}
}

// TestUnknownContentEncodingIsRefused: a body in a Content-Encoding the
// server does not undo (br) was read as plain JSON; it is refused 415
// unsupported_encoding, before anything is read. gzip stays for the push.
func TestUnknownContentEncodingIsRefused(t *testing.T) {
	env := newAPIEnv(t)
	env.user("member1", "member", "KZ-KAR")
	token := env.token("member1")
	send := func(path, encoding string, body []byte) (int, map[string]any) {
		req, _ := http.NewRequest("POST", env.hs.URL+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Encoding", encoding)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	plain := []byte(`{"ops":[]}`)
	for _, c := range []struct{ path, encoding string }{
		{"/api/v1/sync/push", "br"}, {"/api/v1/sync/push", "deflate"}, {"/api/v1/sync/push", "gzip, br"},
		{"/api/v1/photos", "gzip"},
	} {
		if status, body := send(c.path, c.encoding, plain); status != http.StatusUnsupportedMediaType || errorField(body, "code") != "unsupported_encoding" {
			t.Errorf("POST %s in %s = %d %v; want 415 unsupported_encoding", c.path, c.encoding, status, body)
		}
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(plain)
	zw.Close()
	for encoding, body := range map[string][]byte{"": plain, "identity": plain, "gzip": zipped.Bytes(), "GZIP": zipped.Bytes()} {
		if status, out := send("/api/v1/sync/push", encoding, body); status != http.StatusOK {
			t.Errorf("push in %q = %d %v; want 200", encoding, status, out)
		}
	}
}
