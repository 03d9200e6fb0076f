package server_test

import (
	"net/http"
	"testing"

	"inspecta/schema"
)

func TestAdminManagesUsers(t *testing.T) {
	e := newDeskEnv(t)
	root := e.signUp("root", schema.RoleAdmin, "")
	e.signUp("coord", schema.RoleCoordinator, "KZ-KAR")
	e.signUp("staff", schema.RoleStaff, "")

	create := func(who string, body map[string]any) (int, map[string]any) {
		return e.api("POST", "/api/v1/users", who, body)
	}
	newMember := map[string]any{"username": "zhanar", "name": "Zhanar", "role": "member", "region": "KZ-KAR", "password": "long-enough-1"}
	tests := []struct {
		who  string
		body map[string]any
		want int
	}{
		{"coord", newMember, http.StatusForbidden},
		{"staff", newMember, http.StatusForbidden},
		{"root", map[string]any{"username": "x", "role": "chief", "password": "long-enough-1"}, http.StatusBadRequest},
		{"root", map[string]any{"username": "x", "role": "member", "password": "long-enough-1"}, http.StatusBadRequest}, // no region
		{"root", map[string]any{"username": "x", "role": "member", "region": "KZ-KAR", "password": "short"}, http.StatusBadRequest},
		{"root", newMember, http.StatusCreated},
		{"root", newMember, http.StatusConflict},
	}
	var zhanar string
	for _, tt := range tests {
		status, body := create(tt.who, tt.body)
		if status != tt.want {
			t.Errorf("createUser(%q as %s) = %d %v; want %d", tt.body["username"], tt.who, status, body, tt.want)
		}
		if status == http.StatusCreated {
			zhanar = body["user"].(map[string]any)["id"].(string)
		}
	}
	status, body := e.api("POST", "/api/v1/auth/login", "", map[string]string{"username": "zhanar", "password": "long-enough-1"})
	if status != http.StatusOK {
		t.Fatalf("login of the new user = %d %v; want 200", status, body)
	}
	e.tokens["zhanar"] = body["token"].(string)

	if status, body := e.api("GET", "/api/v1/users", "root", nil); status != http.StatusOK || len(body["users"].([]any)) != 4 {
		t.Errorf("list users = %d %v; want 200 with 4 users", status, body)
	}
	if status, _ := e.api("GET", "/api/v1/users", "coord", nil); status != http.StatusForbidden {
		t.Errorf("list users as coordinator = %d; want 403", status)
	}

	patch := func(id string, body map[string]any) (int, map[string]any) {
		return e.api("PATCH", "/api/v1/users/"+id, "root", body)
	}
	for _, tt := range []struct {
		name string
		id   string
		body map[string]any
		want int
	}{
		{"promote to coordinator of Almaty", zhanar, map[string]any{"role": "coordinator", "region": "KZ-ALA"}, http.StatusOK},
		{"unknown region", zhanar, map[string]any{"region": "KZ-XXX"}, http.StatusBadRequest},
		{"unknown role", zhanar, map[string]any{"role": "chief"}, http.StatusBadRequest},
		{"unknown user", "no-such-user", map[string]any{"role": "member"}, http.StatusNotFound},
		{"demote oneself", root.ID, map[string]any{"role": "staff"}, http.StatusConflict},
		{"disable oneself", root.ID, map[string]any{"disabled": true}, http.StatusConflict},
		{"unknown field", zhanar, map[string]any{"password": "x"}, http.StatusBadRequest},
	} {
		if status, body := patch(tt.id, tt.body); status != tt.want {
			t.Errorf("patchUser(%s) = %d %v; want %d", tt.name, status, body, tt.want)
		}
	}
	// The role change revoked the user's tokens (issue 12); a new sign-in has the new role.
	if status, _ := e.api("GET", "/api/v1/me", "zhanar", nil); status != http.StatusUnauthorized {
		t.Errorf("me with a token from before the role change = %d; want 401", status)
	}
	status, body = e.api("POST", "/api/v1/auth/login", "", map[string]string{"username": "zhanar", "password": "long-enough-1"})
	if status != http.StatusOK {
		t.Fatalf("login after the role change = %d %v; want 200", status, body)
	}
	e.tokens["zhanar"] = body["token"].(string)
	if _, me := e.api("GET", "/api/v1/me", "zhanar", nil); me["user"].(map[string]any)["role"] != "coordinator" ||
		me["user"].(map[string]any)["region_id"] != "KZ-ALA" {
		t.Errorf("me after promotion = %v; want coordinator of KZ-ALA", me["user"])
	}
	// A new password works, the old one no longer.
	if status, _ := e.api("POST", "/api/v1/users/"+zhanar+"/password", "root", map[string]string{"password": "short"}); status != http.StatusBadRequest {
		t.Errorf("setPassword(short) = %d; want 400", status)
	}
	if status, _ := e.api("POST", "/api/v1/users/"+zhanar+"/password", "root", map[string]string{"password": "another-long-one"}); status != http.StatusNoContent {
		t.Errorf("setPassword = %d; want 204", status)
	}
	for _, tt := range []struct {
		password string
		want     int
	}{{"long-enough-1", http.StatusUnauthorized}, {"another-long-one", http.StatusOK}} {
		if status, _ := e.api("POST", "/api/v1/auth/login", "", map[string]string{"username": "zhanar", "password": tt.password}); status != tt.want {
			t.Errorf("login(zhanar, %q) = %d; want %d", tt.password, status, tt.want)
		}
	}
	// Disabling stops the existing token at once.
	if status, body := patch(zhanar, map[string]any{"disabled": true}); status != http.StatusOK || body["user"].(map[string]any)["disabled"] != true {
		t.Errorf("disable = %d %v; want 200, disabled", status, body)
	}
	if status, _ := e.api("GET", "/api/v1/me", "zhanar", nil); status != http.StatusUnauthorized {
		t.Errorf("me as a disabled user = %d; want 401", status)
	}

	_, events := e.api("GET", "/api/v1/audit/accounts?user_id="+zhanar, "root", nil)
	actions := map[string]bool{}
	for _, x := range events["events"].([]any) {
		actions[x.(map[string]any)["action"].(string)] = true
	}
	for _, a := range []string{"user_created", "user_updated", "password_reset", "login"} {
		if !actions[a] {
			t.Errorf("account audit of the user lacks %q: %v", a, events["events"])
		}
	}
	if status, _ := e.api("GET", "/api/v1/audit/accounts", "coord", nil); status != http.StatusForbidden {
		t.Errorf("account audit as coordinator = %d; want 403", status)
	}
}
