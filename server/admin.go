package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"inspecta/schema"
	"inspecta/store"
)

func (s *Server) handleListUsers(w http.ResponseWriter, r *http.Request) {
	var users []*store.User
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		users, err = tx.Users()
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if users == nil {
		users = []*store.User{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

// createUserRequest is the body of POST /api/v1/users.
type createUserRequest struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Region   string `json:"region"`
	Password string `json:"password"`
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var req createUserRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	nu := store.NewUser{Username: strings.TrimSpace(req.Username), Name: strings.TrimSpace(req.Name), Role: req.Role,
		Region: req.Region, Password: req.Password}
	if err := nu.Validate(); err != nil {
		writeValidationError(w, err)
		return
	}
	var u *store.User
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		var err error
		if u, err = tx.CreateUser(nu); err != nil {
			return err
		}
		return tx.AddAuditEvent(p.User.ID, "user_created", u.ID, fmt.Sprintf("username=%s role=%s region=%s", u.Username, u.Role, u.Region), r.RemoteAddr)
	})
	if errors.Is(err, store.ErrUsernameTaken) {
		writeError(w, http.StatusConflict, "username_taken", err.Error(), "username")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"user": u})
}

// patchUserRequest is the body of PATCH /api/v1/users/{id}; absent fields stay as they are.
type patchUserRequest struct {
	Name     *string `json:"name"`
	Role     *string `json:"role"`
	Region   *string `json:"region"`
	Disabled *bool   `json:"disabled"`
}

// handlePatchUser changes a user's role, region, name or whether the account
// is disabled. A new role or region changes what the user may see, so their
// devices pull again from the start. An admin cannot demote or disable
// themselves, nor the last enabled admin.
func (s *Server) handlePatchUser(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var req patchUserRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	id := mux.Vars(r)["id"]
	var u *store.User
	var problem *fieldProblem
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		cur, err := tx.User(id)
		if err != nil {
			return err
		}
		role, region := cur.Role, cur.Region
		if req.Role != nil {
			role = *req.Role
		}
		if req.Region != nil {
			region = *req.Region
		}
		if !schema.RoleNeedsRegion(role) {
			region = ""
		}
		demoted := cur.Role == schema.RoleAdmin && role != schema.RoleAdmin
		disabling := req.Disabled != nil && *req.Disabled && !cur.Disabled
		switch {
		case !schema.ValidRole(role):
			problem = &fieldProblem{http.StatusBadRequest, "invalid", fmt.Sprintf("unknown role %q: use member, coordinator, staff or admin", role), "role"}
		case schema.RoleNeedsRegion(role) && region == "":
			problem = &fieldProblem{http.StatusBadRequest, "invalid", fmt.Sprintf("a %s needs a region, an ISO 3166-2:KZ code such as KZ-KAR", role), "region"}
		case region != "" && !knownRegion(region):
			problem = &fieldProblem{http.StatusBadRequest, "invalid", fmt.Sprintf("unknown region %q: use an ISO 3166-2:KZ code such as KZ-KAR", region), "region"}
		case req.Name != nil && (strings.TrimSpace(*req.Name) == "" || len([]rune(*req.Name)) > 200):
			problem = &fieldProblem{http.StatusBadRequest, "invalid", "the name must be 1 to 200 characters", "name"}
		case cur.ID == p.User.ID && (demoted || disabling):
			problem = &fieldProblem{http.StatusConflict, "self", "you cannot change your own role or disable your own account; ask another administrator", ""}
		}
		if problem != nil {
			return nil
		}
		if cur.Role == schema.RoleAdmin && !cur.Disabled && (demoted || disabling) {
			n, err := tx.CountActiveAdmins()
			if err != nil {
				return err
			}
			if n <= 1 {
				problem = &fieldProblem{http.StatusConflict, "last_admin", "this is the last enabled administrator; make another one first", ""}
				return nil
			}
		}
		var changes []string
		if role != cur.Role || region != cur.Region {
			if err := tx.SetUserRole(cur.ID, role, region); err != nil {
				return err
			}
			changes = append(changes, "role="+role, "region="+region)
		}
		if req.Disabled != nil && *req.Disabled != cur.Disabled {
			if err := tx.SetUserDisabled(cur.ID, *req.Disabled); err != nil {
				return err
			}
			changes = append(changes, "disabled="+strconv.FormatBool(*req.Disabled))
		}
		if req.Name != nil && strings.TrimSpace(*req.Name) != cur.Name {
			if err := tx.SetUserName(cur.ID, strings.TrimSpace(*req.Name)); err != nil {
				return err
			}
			changes = append(changes, "name="+strings.TrimSpace(*req.Name))
		}
		if len(changes) > 0 {
			if err := tx.AddAuditEvent(p.User.ID, "user_updated", cur.ID, strings.Join(changes, " "), r.RemoteAddr); err != nil {
				return err
			}
		}
		u, err = tx.User(cur.ID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no user with that id", "id")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if problem != nil {
		writeError(w, problem.status, problem.code, problem.message, problem.field)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
}

func knownRegion(code string) bool {
	_, ok := schema.RegionByCode(code)
	return ok
}

// passwordRequest is the body of POST /api/v1/users/{id}/password.
type passwordRequest struct {
	Password string `json:"password"`
}

// writeValidationError answers 400 for a user or password the rules refuse:
// a refused password with its reason as the code (store.PasswordReasons),
// which the desk says in the admin's language; anything else as "invalid".
func writeValidationError(w http.ResponseWriter, err error) {
	var weak *store.PasswordError
	if errors.As(err, &weak) {
		writeError(w, http.StatusBadRequest, weak.Reason, weak.Error(), "password")
		return
	}
	writeError(w, http.StatusBadRequest, "invalid", err.Error(), "")
}

// handleSetPassword resets a user's password (store.ValidatePassword) and
// revokes every token of the user.
func (s *Server) handleSetPassword(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var req passwordRequest
	if !decodeJSON(w, r, 16<<10, &req) {
		return
	}
	id := mux.Vars(r)["id"]
	var weak error
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		u, err := tx.User(id)
		if err != nil {
			return err
		}
		if weak = store.ValidatePassword(u.Username, req.Password); weak != nil {
			return nil
		}
		if err := tx.SetPassword(id, req.Password); err != nil {
			return err
		}
		return tx.AddAuditEvent(p.User.ID, "password_reset", id, "", r.RemoteAddr)
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no user with that id", "id")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if weak != nil {
		writeValidationError(w, weak)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deviceView is a device as the admin screen lists it.
type deviceView struct {
	*store.Device
	Username string `json:"username"`
	UserName string `json:"user_name"`
	Revoked  bool   `json:"revoked"`
}

func (s *Server) handleListDevices(w http.ResponseWriter, r *http.Request) {
	userID := r.URL.Query().Get("user_id")
	list := []deviceView{}
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		devices, err := tx.Devices(userID)
		if err != nil {
			return err
		}
		users, err := tx.Users()
		if err != nil {
			return err
		}
		byID := map[string]*store.User{}
		for _, u := range users {
			byID[u.ID] = u
		}
		for _, d := range devices {
			v := deviceView{Device: d, Revoked: d.RevokedAt != ""}
			if u := byID[d.UserID]; u != nil {
				v.Username, v.UserName = u.Username, u.Name
			}
			list = append(list, v)
		}
		return nil
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": list})
}

// handleRevokeDevice revokes a device's token (a lost or seized phone): its
// next request gets 401. What it pushed before stays; what it holds unsynced
// stays on the device until its user signs in again there.
func (s *Server) handleRevokeDevice(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id := mux.Vars(r)["id"]
	var d *store.Device
	already := false
	err := s.DB.Write(r.Context(), func(tx *store.Tx) error {
		var err error
		if d, err = tx.Device(id); err != nil {
			return err
		}
		if d.RevokedAt != "" {
			already = true
			return nil
		}
		if err := tx.RevokeDevice(id, p.User.ID); err != nil {
			return err
		}
		if err := tx.AddAuditEvent(p.User.ID, "device_revoked", id, "user="+d.UserID+" device="+d.Name, r.RemoteAddr); err != nil {
			return err
		}
		d, err = tx.Device(id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "not_found", "no device with that id", "id")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if already {
		writeError(w, http.StatusConflict, "already_revoked", "this device was already revoked on "+d.RevokedAt, "id")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"device": deviceView{Device: d, Revoked: true}})
}

// handleAccountAudit answers GET /api/v1/audit/accounts?user_id=&limit=: sign-ins,
// revocations and account changes, newest first (admins only).
func (s *Server) handleAccountAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 500
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 5000 {
			writeError(w, http.StatusBadRequest, "invalid", "limit must be between 1 and 5000", "limit")
			return
		}
		limit = n
	}
	var events []store.AuditEvent
	err := s.DB.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		events, err = tx.AuditEvents(q.Get("user_id"), limit)
		return err
	})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": events})
}
