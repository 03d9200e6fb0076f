package sync_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"inspecta/server"
	"inspecta/store"
	isync "inspecta/sync"
)

// testEnv is a real server on a real SQLite file.
type testEnv struct {
	t      testing.TB
	db     *store.DB
	srv    *server.Server
	http   *httptest.Server
	engine *isync.Engine
}

func newEnv(t testing.TB) *testEnv {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "inspecta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.PasswordCost = store.MinPasswordCost // test users: bcrypt at its default cost is seconds under -race
	srv := server.New(db, nil)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testEnv{t: t, db: db, srv: srv, http: hs, engine: srv.Engine}
}

func password(username string) string { return "password-" + username }

func (e *testEnv) addUser(username, role, region string) *store.User {
	e.t.Helper()
	var u *store.User
	err := e.db.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		u, err = tx.CreateUser(store.NewUser{Username: username, Role: role, Region: region, Password: password(username)})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *testEnv) login(username string, hc *http.Client) *isync.Client {
	e.t.Helper()
	c, err := isync.Login(context.Background(), hc, e.http.URL, username, password(username), "test device")
	if err != nil {
		e.t.Fatalf("login(%q): %v", username, err)
	}
	return c
}

// apply applies an operation as the given user and returns its result.
func (e *testEnv) apply(u *store.User, op isync.Op) isync.Result {
	e.t.Helper()
	var res isync.Result
	err := e.db.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		res, err = e.engine.ApplyServerOp(tx, isync.Actor{UserID: u.ID, Role: u.Role, Region: u.Region, DeviceID: "test"}, op)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// serverOp applies an operation as the given user, failing the test unless applied.
func (e *testEnv) serverOp(u *store.User, op isync.Op) {
	e.t.Helper()
	if res := e.apply(u, op); res.Status != isync.StatusApplied {
		e.t.Fatalf("serverOp(%s %s) = %s %+v; want applied", op.Type, op.ID, res.Status, res.Error)
	}
}

func raw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func fields(kv map[string]any) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range kv {
		out[k] = raw(v)
	}
	return out
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// facility creates a verified facility in region as its coordinator.
func (e *testEnv) facility(coord *store.User, name string) string {
	id := newID()
	e.serverOp(coord, isync.Op{Type: "facility", ID: id, Action: "upsert",
		Fields: fields(map[string]any{"name": name, "type": "sizo", "region": coord.Region})})
	return id
}

// count runs a count query.
func (e *testEnv) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	err := e.db.Read(context.Background(), func(tx *store.Tx) error { return tx.QueryRow(query, args...).Scan(&n) })
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
